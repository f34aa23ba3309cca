"""The container's start, run here as it would run there: bin/start migrates, seeds and serves with
gunicorn.conf.py; several workers share one PostgreSQL database; the Dockerfile runs that script."""
import json
import os
import re
import shlex
import socket
import subprocess
from concurrent.futures import ThreadPoolExecutor

import psycopg
from prometheus_client.parser import text_string_to_metric_families

from service.store.audit import verify_chain
from service.store.db import database, open_database
from tests.live_server import ROOT, START, live_server

DOCKERFILE = ROOT / "Dockerfile"


def dockerfile_instructions():
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = (line.strip() for line in text.splitlines())
    return [tuple(line.split(None, 1)) for line in lines if line and not line.startswith("#")]


def dockerfile(instruction):
    return [arguments for name, arguments in dockerfile_instructions() if name == instruction]


def healthcheck_command():
    [healthcheck] = dockerfile("HEALTHCHECK")
    return shlex.split(healthcheck.split(" CMD ", 1)[1])


def metric(scrape, name, **labels):
    return sum(sample.value for family in text_string_to_metric_families(scrape) for sample in family.samples
               if sample.name == name and labels.items() <= sample.labels.items())


def test_the_start_script_migrates_seeds_serves_and_stops_gracefully(tmp_path):
    with live_server(f"sqlite:///{tmp_path / 'claimtrail.db'}", seeds=True) as server:
        assert server.request("GET", "/health")[::2] == (200, {"status": "ok"})
        assert server.request("GET", "/ready")[::2] == (200, {"status": "ready"})
        status, headers, _ = server.request("GET", "/claims?limit=1", headers={"X-Request-ID": "start-1"})
        assert (status, headers["X-Request-ID"]) == (200, "start-1")
        scrape = server.request("GET", "/metrics")[2]
        assert metric(scrape, "claimtrail_claims", status="unverified") == 9
        assert metric(scrape, "claimtrail_http_requests_total", endpoint="/claims", status="200") == 1
        port = server.url.rsplit(":", 1)[1]
        healthcheck = subprocess.run(healthcheck_command(), env={**os.environ, "PORT": port}, timeout=10)
        assert healthcheck.returncode == 0
        assert server.stop() == 0
        lines = server.log_lines()
    said = {(line["logger"], line["message"]) for line in lines}
    assert ("claimtrail.start.migrate", "applied 001_initial") in said
    assert any(logger == "claimtrail.start.seed" and "created 1 sources" in message for logger, message in said)
    [request_line] = [line for line in lines if line.get("request_id") == "start-1"]
    assert (request_line["endpoint"], request_line["status"]) == ("/claims", 200)
    assert ("gunicorn.error", "Shutting down: Master") in said


def test_several_workers_share_one_postgresql_database(empty_pg_url):
    with live_server(empty_pg_url, workers=3) as server:
        editor = server.key("editor")

        def create(n):
            return server.request("POST", "/speakers", {"name": f"Speaker {n}"},
                                  headers={"X-Request-ID": f"load-{n}", **editor})[0]

        def read(_):
            return server.request("GET", "/speakers?limit=5")[0]

        with ThreadPoolExecutor(12) as pool:
            creates = pool.map(create, range(60))
            reads = pool.map(read, range(60))
            assert (list(creates), list(reads)) == ([201] * 60, [200] * 60)
        scrape = server.request("GET", "/metrics")[2]
        assert server.stop() == 0
        lines = server.log_lines()

    assert metric(scrape, "claimtrail_http_requests_total", endpoint="/speakers", method="POST") == 60
    assert len({line["pid"] for line in lines if line["logger"] == "claimtrail.request"}) > 1
    with psycopg.connect(empty_pg_url) as conn:
        assert sorted(name for (name,) in conn.execute("SELECT name FROM speaker")) == sorted(f"Speaker {n}" for n in range(60))
        request_ids = [rid for (rid,) in conn.execute(
            "SELECT request_id FROM audit_event WHERE resource_type = 'speaker' ORDER BY seq")]
    assert sorted(request_ids) == sorted(f"load-{n}" for n in range(60))
    database.initialize(open_database(empty_pg_url, pool_size=0))
    with database.connection_context():
        assert verify_chain()["valid"]


def test_the_dockerfile_starts_the_same_script_as_a_user_who_is_not_root():
    [base] = dockerfile("FROM")
    assert re.fullmatch(r"python:3\.\d+-slim", base)
    assert dockerfile("USER")[-1] not in ("root", "0")
    assert json.loads(dockerfile("CMD")[-1]) == [str(START.relative_to(ROOT))]
    assert os.access(START, os.X_OK)
    assert healthcheck_command()[0] == "python" and "/health" in healthcheck_command()[-1]


def test_the_dockerfile_installs_dependencies_before_copying_the_code_it_needs():
    steps = dockerfile_instructions()
    install = next(i for i, (name, args) in enumerate(steps) if name == "RUN" and "pip install" in args)
    copied = [(i, args.split()[:-1]) for i, (name, args) in enumerate(steps) if name == "COPY"]
    assert [sources for i, sources in copied if i < install] == [["pyproject.toml"]]
    sources = {source for _, names in copied for source in names}
    assert {"service", "schemas", "migrations", "seeds", "bin", "gunicorn.conf.py"} <= sources
    assert all((ROOT / source).exists() for source in sources)


def raw_request(url, data):
    """(status, content type, body) of bytes sent as they are, for requests no HTTP client would send."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(data)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers.get("Content-Type"), body


def test_requests_the_server_cannot_parse_get_a_problem_document_not_an_html_page(tmp_path):
    cases = {
        431: b"GET /claims HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n",  # a header over 8 KiB
        400: b"GET /claims HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n",
    }
    with live_server(f"sqlite:///{tmp_path / 'claimtrail.db'}") as server:
        for expected, data in cases.items():
            status, content_type, body = raw_request(server.url, data)
            assert (status, content_type) == (expected, "application/problem+json"), body
            problem = json.loads(body)
            assert problem["status"] == expected and problem["title"] and problem["detail"]
            assert problem["type"].startswith("urn:claimtrail:problem:")
        assert server.request("GET", "/health")[0] == 200  # and the server goes on serving


def chunked(method, path, body, headers):
    """A request whose body is sent in chunks, without Content-Length, as a streaming client sends it."""
    head = f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    pieces = [body[i:i + 100] for i in range(0, len(body), 100)]
    return (head + "\r\n").encode() + b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


def test_a_chunked_body_over_the_size_limit_is_refused_as_too_large_not_cut_short(tmp_path):
    limits = {"MAX_REQUEST_BYTES": "1000", "MAX_IMPORT_BYTES": "2000"}
    with live_server(f"sqlite:///{tmp_path / 'claimtrail.db'}", env=limits) as server:
        editor = server.key("editor")
        json_body = {**editor, "Content-Type": "application/json"}
        fits = json.dumps({"name": "Jane Doe"}).encode().ljust(1000)
        status, _, body = raw_request(server.url, chunked("POST", "/speakers", fits, json_body))
        assert status == 201, body
        too_large = json.dumps({"name": "x" * 1100}).encode()
        status, content_type, body = raw_request(server.url, chunked("POST", "/speakers", too_large, json_body))
        assert (status, content_type) == (413, "application/problem+json"), body
        just_over = fits + b" "  # valid JSON, cut at the limit or not: one byte past it
        assert raw_request(server.url, chunked("POST", "/speakers", just_over, json_body))[0] == 413
        lines = b"\n" * 2001
        ndjson = {**editor, "Content-Type": "application/x-ndjson"}
        assert raw_request(server.url, chunked("POST", "/import", lines, ndjson))[0] == 413
        assert raw_request(server.url, chunked("POST", "/import", lines[:2000], ndjson))[0] == 200
