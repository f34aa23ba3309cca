"""The review console in a real browser (Debian's chromium through Playwright), against the service as
`make run` starts it, on SQLite. Each test works on seeded claims of its own."""
import re
from urllib.parse import quote, urlparse

from playwright.sync_api import expect

SEEDED_GAZA = "Iran supports the Palestinian Resistance in Gaza."
SEEDED_AIRSTRIKES = "Israel carried out a series of airstrikes in Damascus."


def sign_in(page, server, secret):
    page.goto(f"{server.url}/console/#/signin")
    page.get_by_label("API key").fill(secret)
    page.get_by_label("API key").press("Enter")  # the keyboard is enough
    expect(page.get_by_role("heading", name="Queue", exact=True)).to_be_visible()


def open_filters(page):
    # The filters start open when the URL already sets one; a click on "Filters" would close them.
    if not page.locator("form.filters details").evaluate("d => d.open"):
        page.locator("summary", has_text="Filters").click()


def claim_id(server, text):
    status, _, body = server.request("GET", f"/claims?q={quote(text)}&limit=5")
    assert status == 200
    [found] = [c for c in body["items"] if c["text"] == text]
    return found["id"]


def open_claim(page, server, text):
    page.goto(f"{server.url}/console/#/claims/{claim_id(server, text)}")
    expect(page.locator(".claim-text")).to_have_text(text)


def test_a_wrong_key_is_refused_clearly_and_a_valid_one_survives_a_reload(page, server, editor):
    page.goto(f"{server.url}/console/#/signin")
    page.get_by_label("API key").fill("ct_not-a-key")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("form [role=alert]")).to_contain_text("This key was refused: it is unknown or has been revoked")
    sign_in(page, server, editor["secret"])
    page.reload()
    expect(page.locator("#who")).to_contain_text("Signed in with an API key")
    assert page.evaluate("sessionStorage.getItem('claimtrail.key')") == editor["secret"]


def test_a_key_revoked_while_signed_in_is_reported_on_the_next_request(page, server):
    admin = server.key("admin", owner="Console Admin")
    status, _, made = server.request("POST", "/keys", {"owner": "Short-lived", "role": "checker"}, headers=admin)
    assert status == 201
    sign_in(page, server, made["key"])
    assert server.request("POST", f"/keys/{made['id']}/revocation", {"reason": "left"}, headers=admin)[0] == 200
    page.get_by_role("link", name="Sources").click()
    expect(page.locator("#notice")).to_contain_text("Your API key was refused: it is unknown or has been revoked")


def test_the_queue_filters_by_status_tag_and_speaker_with_counts_and_keeps_them_in_the_url(page, server, editor):
    sign_in(page, server, editor["secret"])
    counts = {c["status"]: c["count"] for c in server.request("GET", "/claims/counts")[2]["items"]}
    unverified = page.locator('.tabs a[data-status="unverified"]')
    expect(unverified.locator(".count")).to_have_text(str(counts["unverified"]))
    unverified.click()
    expect(page).to_have_url(re.compile(r"status=unverified"))
    open_filters(page)
    page.get_by_label("Tag").fill("airstrikes")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"status=unverified.*tag=airstrikes|tag=airstrikes.*status=unverified"))
    expect(page.locator(".claim-link")).to_have_text([SEEDED_AIRSTRIKES])
    page.reload()  # the filters come back from the URL
    expect(page.get_by_label("Tag")).to_have_value("airstrikes")
    expect(page.locator(".claim-link")).to_have_text([SEEDED_AIRSTRIKES])
    page.get_by_role("link", name="Clear all").click()
    # Wait for the cleared queue: until it is drawn, the old page's filters still stand open.
    expect(page.locator("form.filters details")).to_have_js_property("open", False)
    open_filters(page)
    page.get_by_label("Speaker").select_option(label="Ali Mahmoud Abbas")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".claim-link")).to_have_text(["The U.S. presence in Syria is illegal."])


def test_search_marks_the_words_in_snippets_and_leads_to_the_claim(page, server, editor):
    sign_in(page, server, editor["secret"])
    page.get_by_label("Search", exact=True).fill("Palestinian Gaza")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"q=Palestinian\+Gaza"))
    row = page.locator(".claim-row", has_text=SEEDED_GAZA)
    expect(row.locator(".snippet mark").first).to_have_text(re.compile("Palestinian|Gaza"))
    row.get_by_role("link", name=SEEDED_GAZA).click()
    expect(page.locator(".claim-text")).to_have_text(SEEDED_GAZA)


def test_a_claims_quote_is_highlighted_inside_its_source_and_scrolled_into_view(page, server):
    open_claim(page, server, SEEDED_GAZA)  # reading needs no key
    expect(page.locator("#provenance")).to_contain_text("Provenance verified")
    mark = page.locator(".source-text mark.quote")
    expect(mark).to_have_text("supporting the Palestinian Resistance in Gaza")
    box = page.locator(".source-text")
    # The quote sits far down the article: the box is scrolled so that it shows the quote.
    assert box.evaluate("b => b.scrollTop") > 0
    inside = box.evaluate("""b => { const m = b.querySelector('mark.quote').getBoundingClientRect(),
        r = b.getBoundingClientRect(); return m.top >= r.top && m.bottom <= r.bottom; }""")
    assert inside


def test_a_checker_puts_a_claim_in_review_and_gives_a_verdict_with_url_and_sentence_evidence(page, server, editor):
    text = "Iran and Syria's military partnership draws scrutiny and opposition from Western and regional powers."
    sign_in(page, server, editor["secret"])
    open_claim(page, server, text)
    page.get_by_role("button", name="Put in review").click()
    expect(page.locator("#claim-status")).to_contain_text("in review")
    expect(page.locator("#claim-version")).to_have_text("2")

    page.get_by_label("Verdict", exact=True).select_option("mostly_true")
    page.get_by_label("Rationale").fill("Western and regional statements confirm the scrutiny.")
    page.get_by_label("Evidence URL").fill("https://example.org/reactions")
    page.get_by_role("button", name="Add URL as evidence").click()
    page.get_by_role("button", name="Pick a sentence as evidence").click()
    first = page.locator(".source-text .sentence").first
    first.click()
    expect(first).to_have_attribute("aria-pressed", "true")
    picked = first.inner_text()
    expect(page.locator("#evidence-list > li")).to_have_count(2)
    # By keyboard too: Enter picks a focused sentence, and Enter again takes it back.
    second = page.locator(".source-text .sentence").nth(1)
    second.focus()
    second.press("Enter")
    expect(page.locator("#evidence-list > li")).to_have_count(3)
    second.press("Enter")
    expect(second).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#evidence-list > li")).to_have_count(2)
    page.get_by_role("button", name="Record verdict").click()

    expect(page.locator("#claim-status")).to_contain_text("Mostly true")
    review = page.locator("#reviews .review").first
    expect(review).to_contain_text("Verdict: Mostly true")
    expect(review.get_by_role("link", name="https://example.org/reactions")).to_be_visible()
    expect(review.locator("q")).to_have_text(picked)
    expect(page.locator("#claimreview")).to_contain_text('"alternateName": "Mostly true"')
    # The history shows the status change as a before/after row, not raw JSON.
    status_row = page.locator("#history .event").first.locator('tr[data-field="status"]')
    expect(status_row.locator(".before")).to_have_text("in_review")
    expect(status_row.locator(".after")).to_have_text("mostly_true")
    [stored] = [r for r in server.request("GET", f"/claims/{claim_id(server, text)}/reviews")[2]["items"] if r["verdict"]]
    assert [(e["url"], e["sentence_index"]) for e in stored["evidence"]] == [("https://example.org/reactions", None), (None, 0)]


def test_editing_tags_appears_in_the_history_as_a_before_after_diff(page, server, editor):
    sign_in(page, server, editor["secret"])
    open_claim(page, server, "The U.S. presence in Syria is illegal.")
    page.get_by_label("Tags", exact=True).fill("syria, united-states, legality")
    page.get_by_label("Reason for the change (optional)").fill("the claim is about legality")
    page.get_by_role("button", name="Save tags").click()
    latest = page.locator("#history .event").first
    expect(latest).to_contain_text("Reason: the claim is about legality")
    expect(latest.locator('tr[data-field="tags"] .before')).to_have_text("syria, united-states")
    expect(latest.locator('tr[data-field="tags"] .after')).to_have_text("syria, united-states, legality")
    expect(page.locator("#claim-tags")).to_contain_text("legality")
    # The claim as it stood when it was created, from a bookmarkable as_of link: the old tags.
    created = server.request("GET", f"/claims/{claim_id(server, 'The U.S. presence in Syria is illegal.')}/history")[2]["items"][0]["at"]
    page.goto(page.url.split("?")[0] + "?as_of=" + quote(created))
    expect(page.get_by_role("heading", name=re.compile("Claim as it stood at"))).to_be_visible()
    expect(page.locator("#claim-tags")).to_have_text("syriaunited-states")
    expect(page.get_by_role("button", name="Save tags")).to_have_count(0)  # a past state cannot be changed


def test_a_change_by_another_client_while_the_form_is_open_is_shown_and_the_typed_rationale_kept(page, server, editor):
    text = "Iran's Defense Minister pledged to help Syria enhance its defense and deterrent power."
    cid = claim_id(server, text)
    assert server.request("POST", f"/claims/{cid}/reviews", {}, headers={**editor["header"], "If-Match": '"v1"'})[0] == 201
    sign_in(page, server, editor["secret"])
    open_claim(page, server, text)
    page.get_by_label("Verdict", exact=True).select_option("half_true")
    rationale = "He pledged help; the deterrent part is his own framing."
    page.get_by_label("Rationale").fill(rationale)
    page.reload()  # nothing typed is lost on reload
    expect(page.get_by_label("Rationale")).to_have_value(rationale)

    # A second client changes the claim while the form is open.
    status, _, _ = server.request("PATCH", f"/claims/{cid}", {"tags": ["iran", "pledges"], "reason": "retagged by a colleague"},
                                  headers={**editor["header"], "If-Match": '"v2"'})
    assert status == 200
    page.get_by_role("button", name="Record verdict").click()
    conflict = page.locator("#conflict")
    expect(conflict).to_contain_text("Someone else changed this claim")
    expect(conflict).to_contain_text("You were working on version 2; it is now at version 3")
    expect(conflict).to_contain_text("retagged by a colleague")
    expect(conflict.locator('tr[data-field="tags"] .after')).to_have_text("iran, pledges")
    expect(page.get_by_label("Rationale")).to_have_value(rationale)
    expect(page.get_by_label("Verdict", exact=True)).to_have_value("half_true")
    assert server.request("GET", f"/claims/{cid}")[2]["status"] == "in_review"  # nothing of the checker's was applied

    page.get_by_role("button", name="Record verdict").click()  # sent again, knowingly, at version 3
    expect(page.locator("#claim-status")).to_contain_text("Half true")
    assert server.request("GET", f"/claims/{cid}")[2]["version"] == 4


def test_adding_a_source_from_an_uploaded_file_shows_its_sentences(page, server, editor):
    sign_in(page, server, editor["secret"])
    page.get_by_role("link", name="Sources").click()
    page.get_by_role("link", name="Add a source").click()
    page.get_by_label("Title").fill("Harbour council minutes")
    page.get_by_label("Publisher").fill("Port Gazette")
    page.get_by_label("URL of the original").fill("https://example.org/minutes")
    page.get_by_label("Published on").fill("2024-05-02")
    text = "The council met on Tuesday. It approved a new ferry timetable. Fares stay the same."
    page.get_by_label("…or read the text from a file").set_input_files(
        {"name": "minutes.txt", "mimeType": "text/plain", "buffer": text.encode()})
    expect(page.get_by_label("Text", exact=True)).to_have_value(text)
    page.get_by_label("Propose candidate claims from it now").uncheck()
    page.get_by_role("button", name="Store source").click()
    expect(page.get_by_role("heading", name="Harbour council minutes")).to_be_visible()
    expect(page.locator("#sentences > li")).to_have_count(3)
    expect(page.locator("#sentences > li").nth(1)).to_contain_text("It approved a new ferry timetable.")
    expect(page.locator("#source-candidates")).to_contain_text("No candidate claim has been proposed from this source yet")


ARTICLE = (
    "Clinics to open\n\n"
    "Health Minister Maria Ortega said the ministry would open 40 new clinics by April. "
    "Finance Minister Daniel Reyes said the budget would cut the deficit and raise spending on schools.\n\n"
    "Unemployment rose to 5.2 percent in March, the statistics office said."
)
ORTEGA = "Maria Ortega said the ministry would open 40 new clinics by April."
REYES_DEFICIT = "Daniel Reyes said the budget would cut the deficit."


def candidates_of(server, source_id):
    status, _, body = server.request("GET", f"/sources/{source_id}/candidates?limit=100")
    assert status == 200
    return {c["text"]: c for c in body["items"]}


def stored_source(server, editor, title):
    status, _, made = server.request("POST", "/sources?extract=true", {"title": title, "text": ARTICLE, "language": "en"},
                                     headers=editor["header"])
    assert status == 201, made
    return made["id"]


def test_a_source_added_with_extraction_has_one_candidate_accepted_edited_and_another_rejected(page, server, editor):
    sign_in(page, server, editor["secret"])
    page.goto(f"{server.url}/console/#/sources/new")
    page.get_by_label("Title").fill("Ministers on clinics and the budget")
    page.get_by_label("Text", exact=True).fill(ARTICLE)
    page.get_by_label("Propose candidate claims from it now").check()
    page.get_by_role("button", name="Store source").click()
    expect(page.get_by_role("heading", name="Review candidate claims")).to_be_visible()
    expect(page.locator("#candidate-counts")).to_contain_text("4 candidates: 4 to review")
    source_id = re.search(r"sources/([0-9a-f-]{36})/candidates", page.url).group(1)
    # Every candidate's words are marked in the source; the current one is outlined.
    expect(page.locator("#review-source-text mark.current")).not_to_have_count(0)
    assert page.locator("#review-source-text mark.cand").count() >= 3

    page.locator(".candidate-nav button", has_text=ORTEGA).click()
    panel = page.locator("#candidate")
    expect(panel.locator("#cand-text")).to_have_text(ORTEGA)
    expect(panel.locator("#cand-speaker")).to_contain_text("Maria Ortega, Health Minister")
    expect(panel.locator("#cand-how")).to_contain_text("named in the text")
    expect(panel.locator("#cand-score")).to_contain_text("figures")
    expect(page.locator("#review-source-text mark.current")).to_contain_text(["40 new clinics"])
    edited = "Health Minister Maria Ortega said the ministry would open 40 new clinics by April 2025."
    page.get_by_label("Claim text").fill(edited)
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#review-status")).to_contain_text(f"Accepted: {edited}")
    expect(page.locator("#candidate-counts")).to_contain_text("3 to review · 1 accepted")
    accepted = candidates_of(server, source_id)[ORTEGA]
    assert accepted["status"] == "accepted"
    status, _, claim = server.request("GET", f"/claims/{accepted['claim_id']}")
    assert status == 200 and claim["text"] == edited and claim["speaker"]["name"] == "Maria Ortega"
    assert claim["appearances"][0]["source_id"] == source_id

    page.locator(".candidate-nav button", has_text=REYES_DEFICIT).click()
    expect(panel.locator("#cand-text")).to_have_text(REYES_DEFICIT)
    page.get_by_label("Reason for rejecting").select_option("wrong_split")
    page.get_by_label("Note (optional)").fill("one budget statement, not two")
    page.get_by_role("button", name="Reject").click()
    expect(page.locator("#review-status")).to_contain_text("Rejected candidate")
    rejected = candidates_of(server, source_id)[REYES_DEFICIT]
    assert rejected["status"] == "rejected"
    assert rejected["rejection"] == {"reason": "wrong_split", "note": "one budget statement, not two", "duplicate_of": None}
    page.reload()  # decisions are the service's, so a reload shows them
    expect(page.locator("#candidate-counts")).to_contain_text("2 to review · 1 accepted · 1 rejected")


def test_candidates_are_reviewed_by_keyboard_next_previous_reject_and_accept(page, server, editor):
    source_id = stored_source(server, editor, "Keyboard review")
    order = sorted(candidates_of(server, source_id).values(), key=lambda c: (c["position_selector"]["start"], c["position_selector"]["end"], c["id"]))
    sign_in(page, server, editor["secret"])
    page.goto(f"{server.url}/console/#/sources/{source_id}/candidates")
    heading = page.locator("#cand-h")
    expect(heading).to_contain_text("Candidate 1 of 4")
    page.keyboard.press("j")
    expect(heading).to_contain_text("Candidate 2 of 4")
    expect(heading).to_be_focused()  # the focus stays visible on the candidate
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(heading).to_contain_text("Candidate 2 of 4")
    expect(page.locator("#candidate")).not_to_have_attribute("aria-busy", "true")  # read again, with its ETag
    expect(page.locator("#cand-text")).to_have_text(order[1]["text"])
    page.keyboard.press("r")
    reason = page.get_by_label("Reason for rejecting")
    expect(reason).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(reason).to_have_value("not_check_worthy")
    page.keyboard.press("Enter")
    expect(page.locator("#review-status")).to_contain_text("Rejected candidate 2 (Not check-worthy)")
    expect(heading).to_contain_text("Candidate 3 of 4")  # on to the next one to review
    expect(page.locator("#candidate")).not_to_have_attribute("aria-busy", "true")
    assert server.request("GET", f"/candidates/{order[1]['id']}")[2]["status"] == "rejected"
    page.keyboard.press("a")  # accepted as proposed
    expect(page.locator("#review-status")).to_contain_text("Accepted:")
    assert server.request("GET", f"/candidates/{order[2]['id']}")[2]["status"] == "accepted"


def test_a_candidate_decided_by_another_client_meanwhile_is_reported_and_the_typed_text_kept(page, server, editor):
    source_id = stored_source(server, editor, "Conflicting review")
    candidate = candidates_of(server, source_id)[ORTEGA]
    sign_in(page, server, editor["secret"])
    page.goto(f"{server.url}/console/#/sources/{source_id}/candidates?c={candidate['id']}")
    typed = "The health ministry will open 40 clinics by April."
    page.get_by_label("Claim text").fill(typed)
    page.reload()  # nothing typed is lost on reload
    expect(page.get_by_label("Claim text")).to_have_value(typed)
    status, _, _ = server.request("POST", f"/candidates/{candidate['id']}/rejection", {"reason": "other", "note": "by a colleague"},
                                  headers={**editor["header"], "If-Match": '"v1"'})
    assert status == 200
    page.get_by_role("button", name="Accept").click()
    conflict = page.locator("#conflict")
    expect(conflict).to_contain_text("Someone else changed this candidate")
    expect(conflict).to_contain_text("it is now at version 2, rejected")
    expect(conflict.locator("#typed")).to_contain_text(typed)
    expect(page.locator("#cand-decision")).to_contain_text("Rejected: Other — by a colleague")
    assert server.request("GET", f"/candidates/{candidate['id']}")[2]["claim_id"] is None


def test_merging_speakers_shows_what_will_happen_before_it_is_done(page, server, editor):
    h = editor["header"]
    keep = server.request("POST", "/speakers", {"name": "Leila Example", "role": "Mayor"}, headers=h)[2]
    dupe = server.request("POST", "/speakers", {"name": "L. Example"}, headers=h)[2]
    source_id = server.request("GET", "/sources?limit=1")[2]["items"][0]["id"]
    made = server.request("POST", "/claims", {"text": "The meeting took place in Tehran.", "speaker_id": dupe["id"],
                                              "appearance": {"source_id": source_id, "sentence_index": 0}}, headers=h)
    assert made[0] == 201
    sign_in(page, server, editor["secret"])
    page.goto(f"{server.url}/console/#/speakers/{dupe['id']}")
    page.get_by_label("Speaker to merge into").fill("Leila Example")
    page.get_by_role("button", name="Show what the merge does").click()
    preview = page.locator(".merge-preview")
    expect(preview).to_contain_text("1 claim move to “Leila Example”")
    expect(preview).to_contain_text("gains the aliases: L. Example")
    assert server.request("GET", f"/speakers/{dupe['id']}")[2]["merged_into_id"] is None  # a preview changes nothing
    preview.get_by_role("button", name="Merge into Leila Example").click()
    # The preview's own heading names both speakers, so wait for the page of the speaker merged into.
    expect(page).to_have_url(f"{server.url}/console/#/speakers/{keep['id']}")
    expect(page.get_by_role("heading", name="Leila Example", exact=True, level=1)).to_be_visible()
    expect(page.get_by_role("link", name="The meeting took place in Tehran.")).to_be_visible()
    assert server.request("GET", f"/speakers/{dupe['id']}")[2]["merged_into_id"] == keep["id"]


def test_queue_and_claim_pages_fit_a_phone_screen_without_sideways_scrolling(phone, server):
    seeded_source = server.request("GET", "/candidates?limit=1")[2]["items"][0]["source_id"]
    for path in ("#/queue", f"#/claims/{claim_id(server, SEEDED_AIRSTRIKES)}", "#/sources/new",
                 f"#/sources/{seeded_source}/candidates", "#/candidates"):
        phone.goto(f"{server.url}/console/{path}")
        expect(phone.locator("h1")).to_be_visible()
        phone.wait_for_load_state("networkidle")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path


def test_the_api_docs_render_their_operations_with_no_network(page, server):
    blocked = []

    def local_only(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", local_only)
    page.goto(f"{server.url}/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() >= 30
    expect(page.locator(".opblock-summary-path", has_text="/claims/{claim_id}/reviews").first).to_be_visible()
    assert blocked == []
