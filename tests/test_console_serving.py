"""What the service hands out for the console and the API docs, without a browser: the files, the
same-origin policy that keeps the console off the network, Swagger UI's local copies, and the
claim counts the queue shows."""
import re
from html.parser import HTMLParser

from service.web import CONSOLE_DIR
from tests.conftest import app_on

# A reference that would make the page load something from another host.
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|@import|url\(\s*["']?(?:https?:)?//|from\s+["'](?:https?:)?//""", re.I)


class References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found += [value for name, value in attrs if name in ("src", "href") and tag in ("script", "link")]


def test_the_console_is_served_with_a_policy_that_allows_only_this_origin(anonymous):
    page = anonymous.get("/console/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy
    module = anonymous.get("/console/js/main.js")
    assert module.status_code == 200 and "javascript" in module.mimetype
    assert anonymous.get("/console").status_code == 308


def test_every_console_file_it_references_is_served_and_none_comes_from_another_host(anonymous):
    files = [p for p in CONSOLE_DIR.rglob("*") if p.suffix in (".html", ".js", ".css")]
    assert len(files) >= 10
    for path in files:
        assert not EXTERNAL.search(path.read_text(encoding="utf-8")), path
        served = anonymous.get(f"/console/{path.relative_to(CONSOLE_DIR).as_posix()}")
        assert served.status_code == 200, path
    imports = 0
    for module in CONSOLE_DIR.rglob("*.js"):  # every import names a file that exists
        for target in re.findall(r'from\s+"(\.[^"]+)"', module.read_text(encoding="utf-8")):
            assert (module.parent / target).resolve().is_file(), (module, target)
            imports += 1
    assert imports > 20


def test_the_api_docs_load_swagger_ui_from_this_service(anonymous):
    docs = anonymous.get("/docs")
    parser = References()
    parser.feed(docs.get_data(as_text=True))
    assert sorted(parser.found) == ["/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui-standalone-preset.js",
                                    "/docs/assets/swagger-ui.css"]
    for url in parser.found:
        asset = anonymous.get(url)
        assert asset.status_code == 200 and len(asset.data) > 10_000, url


def test_the_console_and_docs_open_without_a_key_when_reads_need_one(tmp_path):
    with app_on(f"sqlite:///{tmp_path / 'closed.db'}") as app:
        app.extensions["claimtrail"].read_requires_key = True
        client = app.test_client()
        assert client.get("/claims").status_code == 401
        assert client.get("/console/").status_code == 200
        assert client.get("/docs/assets/swagger-ui.css").status_code == 200


def test_claim_counts_name_every_status_with_its_number(client, api):
    source = api.source()
    first = api.claim(source=source)
    api.claim(source=source, text="Imports fell 3 percent in 2023.")
    assert client.post(f"/claims/{first['id']}/reviews", json={}, headers={"If-Match": '"v1"'}).status_code == 201
    counts = client.get("/claims/counts")
    assert counts.status_code == 200
    by_status = {item["status"]: item["count"] for item in counts.json["items"]}
    assert list(by_status)[:2] == ["unverified", "in_review"] and list(by_status)[-1] == "retracted"
    assert (by_status["unverified"], by_status["in_review"], by_status["false"]) == (1, 1, 0)
    assert counts.json["total"] == 2
