// One claim: its text, speaker and status; each appearance inside its source with the quote highlighted;
// the provenance check; reviews with evidence; history as diffs; as_of; likely duplicates; ClaimReview;
// and the checker's actions, each sent with If-Match. What the checker types is kept in sessionStorage
// (per claim), so neither a reload nor a 412 loses it.
import { api, all, auth, get, query, sentences, source, verdictScale } from "../api.js";
import { h, field, badge, errorBox, setTitle, when, uid, fill } from "../dom.js";
import { href, go } from "../nav.js";
import { sourceText, eventDiff } from "../text.js";

const STANCES = ["supports", "refutes", "context"];

function loadDraft(id) {
  try { return JSON.parse(sessionStorage.getItem(`claimtrail.draft.${id}`)) || {}; } catch { return {}; }
}

export async function claim({ params, match, view, isCurrent }) {
  const id = match[1];
  const asOf = params.get("as_of");
  const draft = Object.assign({ verdict: "", rationale: "", evidence: [], url: "", urlStance: "supports",
    retractReason: "", tags: null, tagsReason: "" }, loadDraft(id));
  const saveDraft = () => sessionStorage.setItem(`claimtrail.draft.${id}`, JSON.stringify(draft));
  const state = { claim: null, etag: null, lastSeq: 0, picking: new Set() };
  const scale = await verdictScale();
  const verdictIds = new Set(scale.verdicts.map((v) => v.id));
  const label = (s) => scale.verdicts.find((v) => v.id === s)?.label || s.replaceAll("_", " ");

  // Sections, filled in by the functions below; forms are built once, so a refresh never clears them.
  const header = h("section", { class: "claim-head", "aria-labelledby": "claim-h1" });
  const sourcesBox = h("section", { class: "claim-sources", "aria-label": "Where the claim appears" });
  const actions = h("section", { class: "card actions-box", "aria-labelledby": "act-h" });
  const conflictBox = h("div", { class: "conflict-slot", "aria-live": "assertive" });
  const reviewsBox = h("section", { class: "card", "aria-labelledby": "rev-h" });
  const historyBox = h("section", { class: "card", "aria-labelledby": "hist-h" });
  const dupBox = h("section", { class: "card", "aria-labelledby": "dup-h" });
  const ldBox = h("section", { class: "card", "aria-labelledby": "ld-h" });
  const asOfBox = h("section", { class: "card", "aria-labelledby": "asof-h" });
  const status = h("p", { class: "sr-status", "aria-live": "polite" });

  async function loadClaim() {
    const r = await get(`/claims/${id}${query({ as_of: asOf })}`);
    state.claim = r.data;
    state.etag = r.etag;
  }

  try {
    await loadClaim();
  } catch (error) {
    if (error.status === 404 && asOf) {
      fill(view, h("h1", { tabindex: "-1" }, "Claim as of " + when(asOf)),
        h("p", { class: "error" }, "This claim did not exist yet at that time. "), h("a", { href: `#/claims/${id}` }, "See the claim as it is now"));
      return;
    }
    throw error;
  }
  if (!isCurrent()) return;
  setTitle(state.claim.text.slice(0, 60));

  function renderHeader() {
    const c = state.claim, s = c.speaker;
    fill(header, 
      h("h1", { id: "claim-h1", tabindex: "-1" }, asOf ? `Claim as it stood at ${when(asOf)}` : "Claim"),
      asOf ? h("p", { class: "banner" }, "A past state, rebuilt from the history: it cannot be changed. ",
        h("a", { href: `#/claims/${id}` }, "See the claim as it is now")) : null,
      h("blockquote", { class: "claim-text" }, c.text),
      h("dl", { class: "facts" },
        h("dt", {}, "Status"), h("dd", { id: "claim-status" }, badge(c.status, verdictIds.has(c.status) ? label(c.status) : null)),
        h("dt", {}, "Version"), h("dd", { id: "claim-version" }, String(c.version)),
        h("dt", {}, "Speaker"), h("dd", {}, s ? [h("a", { href: `#/speakers/${s.id}` }, s.name),
          s.role ? `, ${s.role}` : "", s.affiliation ? ` (${s.affiliation})` : ""] : "Unknown"),
        h("dt", {}, "Claimed on"), h("dd", {}, c.claim_date || "Unknown"),
        h("dt", {}, "Tags"), h("dd", { id: "claim-tags" }, c.tags.length ? c.tags.map((t) => h("a", { class: "tag", href: href("/queue", { tag: t }) }, t)) : "None"),
        h("dt", {}, "Updated"), h("dd", {}, when(c.updated_at))));
  }

  async function renderSources() {
    const provenance = asOf ? null : await get(`/claims/${id}/provenance`).then((r) => r.data).catch(() => null);
    const panels = [];
    if (provenance) {
      panels.push(provenance.verified
        ? h("p", { class: "provenance ok", id: "provenance" }, "✓ Provenance verified: every quote still matches its stored source text.")
        : h("div", { class: "provenance failed", id: "provenance", role: "alert" },
          h("strong", {}, "✗ PROVENANCE CHECK FAILED"),
          h("ul", {}, provenance.appearances.filter((l) => !l.check.verified).map((l) => h("li", {},
            `${l.source.title}, sentence ${l.sentence.index + 1}: `,
            Object.entries(l.check).filter(([k, v]) => k !== "verified" && !v).map(([k]) => k.replaceAll("_", " ")).join(", ") + " — NOT as recorded")))));
    }
    for (const a of state.claim.appearances) {
      const src = await source(a.source_id);
      const check = provenance?.appearances.find((l) => l.appearance.id === a.id)?.check;
      const picking = state.picking.has(a.source_id);
      const sents = picking ? await sentences(a.source_id) : null;
      const pickedHere = draft.evidence.filter((e) => e.source_id === a.source_id).map((e) => e.sentence_index);
      const text = sourceText(src.text, {
        highlight: [a.position_selector.start, a.position_selector.end], sentences: sents, picked: pickedHere,
        onPick: (sentence) => pickSentence(src, sentence),
      });
      const textId = uid("src");
      text.id = textId;
      text.tabIndex = 0;
      text.setAttribute("aria-label", `Text of ${src.title}`);
      panels.push(h("article", { class: "card source-panel", dataset: { sourceId: a.source_id } },
        h("h2", {}, h("a", { href: `#/sources/${src.id}` }, src.title)),
        h("p", { class: "meta" }, [src.publisher, src.published_date].filter(Boolean).join(" · ") || "No publisher or date",
          src.url ? [" · ", h("a", { href: src.url, rel: "noreferrer noopener", target: "_blank" }, "original")] : null),
        h("p", { class: "meta" }, `Quoted from sentence ${a.sentence_index + 1}`,
          check ? (check.verified ? h("span", { class: "ok" }, " · quote matches") : h("strong", { class: "failed" }, " · QUOTE DOES NOT MATCH")) : null),
        asOf || !auth.key ? null : h("button", { type: "button", class: "secondary", "aria-controls": textId, "aria-pressed": picking ? "true" : "false",
          onclick: async () => { picking ? state.picking.delete(a.source_id) : state.picking.add(a.source_id); await renderSources(); } },
          picking ? "Stop picking sentences" : "Pick a sentence as evidence"),
        picking ? h("p", { class: "hint" }, "Click a sentence, or focus it and press Enter, to add it to the verdict's evidence.") : null,
        text));
    }
    fill(sourcesBox, ...panels);
    // The quote is scrolled into view inside its source's box, not the page.
    for (const box of sourcesBox.querySelectorAll(".source-text")) {
      const mark = box.querySelector("mark.quote");
      if (mark) box.scrollTop = mark.offsetTop - box.clientHeight / 3;
    }
  }

  function pickSentence(src, sentence) {
    const exists = draft.evidence.find((e) => e.source_id === src.id && e.sentence_index === sentence.index);
    if (exists) {
      draft.evidence = draft.evidence.filter((e) => e !== exists);
      status.textContent = `Sentence ${sentence.index + 1} removed from the evidence.`;
    } else {
      draft.evidence.push({ stance: "supports", source_id: src.id, sentence_index: sentence.index, text: sentence.text, title: src.title });
      status.textContent = `Sentence ${sentence.index + 1} of ${src.title} added to the evidence.`;
    }
    saveDraft();
    renderEvidence();
    for (const span of sourcesBox.querySelectorAll(`[data-source-id="${src.id}"] .sentence[data-index="${sentence.index}"]`)) {
      span.setAttribute("aria-pressed", exists ? "false" : "true");
    }
  }

  // --- actions ---
  const evidenceList = h("ul", { class: "evidence-list", id: "evidence-list" });
  function renderEvidence() {
    fill(evidenceList, ...(draft.evidence.length ? draft.evidence.map((e, i) => {
      const stance = h("select", { value: e.stance, onchange: (ev) => { e.stance = ev.target.value; saveDraft(); } }, STANCES.map((s) => h("option", { value: s }, s)));
      return h("li", {},
        field(`Stance of evidence ${i + 1}`, stance),
        e.url ? h("a", { href: e.url, rel: "noreferrer noopener", target: "_blank" }, e.url)
          : [h("q", {}, e.text), h("span", { class: "meta" }, `${e.title}, sentence ${e.sentence_index + 1}`)],
        h("button", { type: "button", class: "link", onclick: () => { draft.evidence.splice(i, 1); saveDraft(); renderEvidence(); renderSources(); } }, `Remove evidence ${i + 1}`));
    }) : [h("li", { class: "hint" }, "No evidence yet: add a URL, or pick a sentence in a source.")]));
  }

  async function send(method, path, body, what) {
    const sentVersion = state.claim.version;
    try {
      await api(method, path, { body, ifMatch: state.etag });
      return true;
    } catch (error) {
      if (error.status === 412) await showConflict(sentVersion);
      else if (error.status === 401 && !auth.key) fill(conflictBox, errorBox(error, "Sign in first"));
      else fill(conflictBox, errorBox(error, `Could not ${what} (${error.status})`));
      conflictBox.scrollIntoView({ block: "nearest" });
      return false;
    }
  }

  // Someone changed the claim after this page read it: show what changed, move to the new version,
  // and leave every form as the checker left it, so sending again is a deliberate second step.
  async function showConflict(sentVersion) {
    await loadClaim();
    const events = await all(`/claims/${id}/history`);
    const newer = events.filter((e) => e.seq > state.lastSeq);
    state.lastSeq = Math.max(state.lastSeq, ...events.map((e) => e.seq));
    renderHeader();
    renderActionsVisibility();
    fill(conflictBox, h("div", { class: "conflict", role: "alert", id: "conflict" },
      h("h2", {}, "Someone else changed this claim while you were working"),
      h("p", {}, `You were working on version ${sentVersion}; it is now at version ${state.claim.version}. Nothing of yours was sent. `,
        "What you typed is kept below: check these changes, then send again if it still holds."),
      h("ol", { class: "history" }, newer.map(eventItem))));
    renderReviews(); renderHistory();
  }

  const verdict = h("select", { name: "verdict", value: draft.verdict, required: true },
    h("option", { value: "" }, "Choose a verdict"), scale.verdicts.map((v) => h("option", { value: v.id }, v.label)));
  const rationale = h("textarea", { name: "rationale", rows: "5", required: true, value: draft.rationale });
  const url = h("input", { type: "url", name: "evidence_url", value: draft.url, placeholder: "https://…" });
  const urlStance = h("select", { value: draft.urlStance }, STANCES.map((s) => h("option", { value: s }, s)));
  verdict.addEventListener("change", () => { draft.verdict = verdict.value; saveDraft(); });
  rationale.addEventListener("input", () => { draft.rationale = rationale.value; saveDraft(); });
  url.addEventListener("input", () => { draft.url = url.value; saveDraft(); });
  urlStance.addEventListener("change", () => { draft.urlStance = urlStance.value; saveDraft(); });
  const addUrl = h("button", { type: "button", class: "secondary", onclick: () => {
    if (!url.value.trim() || !url.checkValidity()) { url.reportValidity(); return; }
    draft.evidence.push({ stance: urlStance.value, url: url.value.trim() });
    draft.url = ""; url.value = ""; saveDraft(); renderEvidence(); url.focus();
  } }, "Add URL as evidence");

  const verdictForm = h("form", { class: "verdict-form", "aria-labelledby": "verdict-h" },
    h("h3", { id: "verdict-h" }, "Give a verdict"),
    field("Verdict", verdict),
    field("Rationale", rationale, "Why this verdict; shown with the review and in ClaimReview."),
    h("fieldset", {}, h("legend", {}, "Evidence"), evidenceList,
      h("div", { class: "inline" }, field("Evidence URL", url), field("Stance of the URL", urlStance), addUrl),
      h("p", { class: "hint" }, "To cite a sentence of a stored source, use “Pick a sentence as evidence” beside the source.")),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Record verdict")));
  verdictForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const evidence = draft.evidence.map(({ stance, url: u, source_id, sentence_index }) =>
      (u ? { stance, url: u } : { stance, source_id, sentence_index }));
    if (await send("POST", `/claims/${id}/reviews`, { verdict: verdict.value, rationale: rationale.value, evidence }, "record the verdict")) {
      Object.assign(draft, { verdict: "", rationale: "", evidence: [] }); saveDraft();
      state.picking.clear();
      await refresh("Verdict recorded.");
    }
  });

  const inReviewButton = h("button", { type: "button", onclick: async () => {
    if (await send("POST", `/claims/${id}/reviews`, {}, "put the claim in review")) await refresh("The claim is in review.");
  } }, "Put in review");

  const tags = h("input", { type: "text", name: "tags", value: draft.tags ?? state.claim.tags.join(", ") });
  const tagsReason = h("input", { type: "text", name: "tags_reason", value: draft.tagsReason });
  tags.addEventListener("input", () => { draft.tags = tags.value; saveDraft(); });
  tagsReason.addEventListener("input", () => { draft.tagsReason = tagsReason.value; saveDraft(); });
  const tagsForm = h("form", { class: "tags-form", "aria-labelledby": "tags-h" }, h("h3", { id: "tags-h" }, "Edit tags"),
    field("Tags", tags, "Separated by commas."), field("Reason for the change (optional)", tagsReason),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Save tags")));
  tagsForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const list = [...new Set(tags.value.split(",").map((t) => t.trim()).filter(Boolean))];
    const body = { tags: list, ...(tagsReason.value.trim() ? { reason: tagsReason.value.trim() } : {}) };
    if (await send("PATCH", `/claims/${id}`, body, "save the tags")) {
      draft.tags = null; draft.tagsReason = ""; saveDraft(); await refresh("Tags saved.");
    }
  });

  const retractReason = h("textarea", { name: "retract_reason", rows: "2", required: true, value: draft.retractReason });
  retractReason.addEventListener("input", () => { draft.retractReason = retractReason.value; saveDraft(); });
  const retractForm = h("form", { class: "retract-form", "aria-labelledby": "retract-h" }, h("h3", { id: "retract-h" }, "Retract"),
    field("Reason for retracting", retractReason, "The claim stays readable, with its history."),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "danger" }, "Retract claim")));
  retractForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (await send("POST", `/claims/${id}/retraction`, { reason: retractReason.value }, "retract the claim")) {
      draft.retractReason = ""; saveDraft(); await refresh("Claim retracted.");
    }
  });

  function renderActionsVisibility() {
    const s = state.claim.status;
    inReviewButton.hidden = !(s === "unverified" || verdictIds.has(s));
    inReviewButton.textContent = s === "unverified" ? "Put in review" : "Reopen: put back in review";
    verdictForm.hidden = s !== "in_review";
    retractForm.hidden = tagsForm.hidden = s === "retracted";
    if (draft.tags === null) tags.value = state.claim.tags.join(", ");
  }

  function renderActions() {
    if (asOf) { actions.hidden = true; return; }
    if (!auth.key) {
      fill(actions, h("h2", { id: "act-h" }, "Act on this claim"),
        h("p", {}, h("a", { href: href("/signin", { next: `/claims/${id}` }) }, "Sign in with an API key"), " to review, retract or edit this claim."));
      return;
    }
    renderEvidence();
    renderActionsVisibility();
    fill(actions, h("h2", { id: "act-h" }, "Act on this claim"), conflictBox,
      h("div", { class: "actions" }, inReviewButton), verdictForm, tagsForm, retractForm);
  }

  function eventItem(e) {
    const what = e.resource_type === "review"
      ? (e.after?.verdict ? `Verdict: ${label(e.after.verdict)}` : "Put in review")
      : `${e.action} of the claim`;
    return h("li", { class: "event", dataset: { seq: String(e.seq), action: e.action } },
      h("h3", {}, what, h("span", { class: "meta" }, ` · ${when(e.at)} · by ${e.actor}`)),
      e.reason ? h("p", {}, h("strong", {}, "Reason: "), e.reason) : null,
      e.resource_type === "review" ? null : eventDiff(e));
  }

  async function renderHistory() {
    const events = await all(`/claims/${id}/history`);
    state.lastSeq = Math.max(state.lastSeq, ...events.map((e) => e.seq));
    fill(historyBox, h("h2", { id: "hist-h" }, "History"),
      h("p", { class: "hint" }, "Newest first: who changed what, when and why."),
      h("ol", { class: "history", id: "history" }, events.slice().reverse().map(eventItem)));
  }

  async function renderReviews() {
    const reviews = await all(`/claims/${id}/reviews`);
    const items = await Promise.all(reviews.slice().reverse().map(async (r) => h("li", { class: "review" },
      h("h3", {}, r.verdict ? `Verdict: ${label(r.verdict)}` : "Put in review", h("span", { class: "meta" }, ` · ${when(r.created_at)} · by ${r.reviewer}`)),
      r.rationale ? h("p", { class: "rationale" }, r.rationale) : null,
      r.evidence.length ? h("ul", { class: "evidence" }, await Promise.all(r.evidence.map(evidenceItem))) : null)));
    fill(reviewsBox, h("h2", { id: "rev-h" }, "Reviews"),
      items.length ? h("ol", { class: "reviews", id: "reviews" }, items) : h("p", {}, "No review yet."));
  }

  async function evidenceItem(e) {
    const stance = h("span", { class: `stance stance-${e.stance}` }, e.stance);
    if (e.url) return h("li", {}, stance, " ", h("a", { href: e.url, rel: "noreferrer noopener", target: "_blank" }, e.url), e.note ? ` — ${e.note}` : "");
    try {
      const [src, sents] = await Promise.all([source(e.source_id), sentences(e.source_id)]);
      const s = sents.find((x) => x.index === e.sentence_index);
      return h("li", {}, stance, " ", h("q", {}, s ? s.text : `sentence ${e.sentence_index + 1}`), " ",
        h("span", { class: "meta" }, "— ", h("a", { href: `#/sources/${src.id}` }, src.title), `, sentence ${e.sentence_index + 1}`));
    } catch {
      return h("li", {}, stance, ` sentence ${e.sentence_index + 1} of source ${e.source_id}`);
    }
  }

  // POST /claims/match scores every candidate; like POST /claims, a score of 0.5 or more is "likely".
  async function renderDuplicates() {
    const { data } = await api("POST", "/claims/match", { body: { text: state.claim.text, limit: 8 } });
    const others = data.matches.filter((m) => m.claim.id !== id);
    const row = (m) => h("li", {}, h("a", { href: `#/claims/${m.claim.id}` }, m.claim.text), " ", badge(m.claim.status),
      h("span", { class: "meta" }, ` · score ${m.score.toFixed(2)}`));
    const likely = others.filter((m) => m.score >= 0.5), weaker = others.filter((m) => m.score < 0.5).slice(0, 5);
    fill(dupBox, h("h2", { id: "dup-h" }, "Likely duplicates"),
      likely.length ? h("ul", { class: "duplicates", id: "duplicates" }, likely.map(row)) : h("p", {}, "No stored claim scores 0.5 or more against this one."),
      weaker.length ? h("details", {}, h("summary", {}, `Less similar claims (${weaker.length})`), h("ul", { class: "duplicates" }, weaker.map(row))) : null);
  }

  async function renderClaimReview() {
    if (!verdictIds.has(state.claim.status) || asOf) { ldBox.hidden = true; return; }
    const { data } = await get(`/claims/${id}/claimreview`);
    ldBox.hidden = false;
    fill(ldBox, h("h2", { id: "ld-h" }, "ClaimReview (JSON-LD)"),
      h("p", { class: "hint" }, "What search engines read about this verdict: ", h("a", { href: `/claims/${id}/claimreview` }, "raw document")),
      h("pre", { class: "jsonld", tabindex: "0", id: "claimreview" }, JSON.stringify(data, null, 2)));
  }

  function renderAsOf() {
    const input = h("input", { type: "datetime-local", name: "as_of", step: "1" });
    if (asOf) {
      const d = new Date(asOf);
      input.value = new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 19);
    }
    const form = h("form", {}, field("Show the claim as it stood at (your local time)", input),
      h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, "Show")));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!input.value) return;
      go(`/claims/${id}`, { as_of: new Date(input.value).toISOString() });
    });
    fill(asOfBox, h("h2", { id: "asof-h" }, "As of a moment"), form);
  }

  async function refresh(message) {
    fill(conflictBox);
    await loadClaim();
    renderHeader(); renderActionsVisibility(); renderEvidence();
    status.textContent = message;
    await Promise.all([renderSources(), renderReviews(), renderHistory(), renderClaimReview()]);
  }

  renderHeader();
  renderActions();
  renderAsOf();
  await Promise.all([
    renderSources(),
    asOf ? null : renderReviews(),
    asOf ? null : renderHistory(),
    renderDuplicates().catch((e) => fill(dupBox, h("h2", { id: "dup-h" }, "Likely duplicates"), errorBox(e))),
    renderClaimReview().catch(() => { ldBox.hidden = true; }),
  ]);
  if (!isCurrent()) return;
  // On a phone the sources come right after the claim; from 1000 px they stand beside everything else.
  fill(view, status, h("div", { class: "claim-layout claim-page" }, header, sourcesBox,
    h("div", { class: "claim-rest" }, asOf ? null : actions, asOf ? null : reviewsBox, asOf ? null : historyBox, ldBox, dupBox, asOfBox)));
  // Layout is known only once attached: place each quote in view inside its source box now.
  for (const box of sourcesBox.querySelectorAll(".source-text")) {
    const mark = box.querySelector("mark.quote");
    if (mark) box.scrollTop = mark.offsetTop - box.clientHeight / 3;
  }
}
