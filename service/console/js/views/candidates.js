// Candidate claims: the list across sources (#/candidates), and one source's review screen
// (#/sources/<id>/candidates?c=<candidate>): the source text with every candidate's words marked on one
// side, the current candidate on the other with its speaker, how the speaker was found, its
// check-worthiness and likely duplicates; accept (after editing text, speaker or quote bounds) or reject
// with a reason, by button or key (j/k next/previous, a accept, r reject), without leaving the page.
// Every decision sends the candidate's ETag in If-Match; what the checker types is kept in
// sessionStorage per candidate, so neither a reload nor a 412 loses it.
import { api, all, auth, get, query, sentences, source as cachedSource } from "../api.js";
import { h, field, badge, errorBox, setTitle, fill } from "../dom.js";
import { href, go } from "../nav.js";
import { markedText, codePoints } from "../text.js";

const STATUSES = ["proposed", "accepted", "rejected"];
export const REASONS = [
  ["not_check_worthy", "Not check-worthy"], ["duplicate", "Duplicate of a stored claim"],
  ["wrong_split", "Wrongly split"], ["opinion", "Opinion, not a checkable claim"], ["other", "Other"]];
const HOW = {
  named: "named in the text", role: "from the office the source gave a named person",
  pronoun: "from a pronoun or a continued quotation", stored: "from a stored speaker's role or alias",
  publisher: "the article's own voice (its publisher)",
};
const KIND = {
  reported: "reported speech", direct: "direct quotation", continued: "a quotation continued",
  verb_phrase: "one verb phrase of a longer statement", according: "“according to …”", narrated: "narrated by the article",
};

const score = (c) => c.check_worthiness.score.toFixed(2);
const reasonLabel = (r) => REASONS.find(([id]) => id === r)?.[1] || r;

// --- #/candidates: every source's candidates, by status and check-worthiness, keyset pages ---
export async function candidates({ params, view }) {
  setTitle("Candidate claims");
  const status = params.has("status") ? params.get("status") : "proposed";
  const min = params.get("min_check_worthiness") || "";
  const cursor = params.get("cursor") || "";
  const { data } = await get(`/candidates${query({ status, min_check_worthiness: min, cursor, limit: 25 })}`);
  const titles = new Map(await Promise.all([...new Set(data.items.map((c) => c.source_id))]
    .map(async (id) => [id, await cachedSource(id).then((s) => s.title).catch(() => "a source")])));
  const statusSel = h("select", { name: "status", value: status },
    h("option", { value: "" }, "Any status"), STATUSES.map((s) => h("option", { value: s }, s)));
  const minInput = h("input", { type: "number", name: "min_check_worthiness", min: "0", max: "1", step: "0.05", value: min });
  const form = h("form", { class: "filters card" }, h("div", { class: "inline" },
    field("Status", statusSel), field("Check-worthiness at least (0–1)", minInput),
    h("button", { type: "submit" }, "Filter")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    go("/candidates", { status: statusSel.value || "", min_check_worthiness: minInput.value });
  });
  fill(view, h("h1", { tabindex: "-1" }, "Candidate claims"),
    h("p", {}, "Statements the service proposed from stored sources. Open one to review its source's candidates side by side with the text; ",
      "to propose candidates for a source, open it from ", h("a", { href: "#/sources" }, "Sources"), "."),
    form,
    data.items.length ? h("ol", { class: "claim-list", id: "candidate-list" }, data.items.map((c) => h("li", { class: "claim-row" },
      h("a", { class: "claim-link", href: href(`/sources/${c.source_id}/candidates`, { c: c.id }) }, c.text), " ", badge(c.status),
      h("p", { class: "meta" }, [`check-worthiness ${score(c)}`, c.speaker.name ? `speaker ${c.speaker.name}` : "speaker unknown",
        `from “${titles.get(c.source_id)}”, sentence ${c.sentence_index + 1}`].join(" · ")))))
      : h("p", {}, "No candidate matches these filters."),
    h("nav", { class: "paging", "aria-label": "Pages" },
      cursor ? h("a", { href: href("/candidates", { status, min_check_worthiness: min }), class: "button secondary" }, "First page") : null,
      data.next_cursor ? h("a", { href: href("/candidates", { status, min_check_worthiness: min, cursor: data.next_cursor }), class: "button", rel: "next" }, "Next page") : null));
}

// --- #/sources/<id>/candidates: the review screen ---
function draftKey(id) { return `claimtrail.draft.candidate.${id}`; }
function loadDraft(c) {
  let saved = {};
  try { saved = JSON.parse(sessionStorage.getItem(draftKey(c.id))) || {}; } catch { /* a broken draft is dropped */ }
  return Object.assign({ text: c.text, speaker: c.speaker.name || "", start: c.position_selector.start,
    end: c.position_selector.end, claimDate: "", tags: "", reason: "", rejectReason: "", duplicateOf: "", note: "" }, saved);
}

const typing = (el) => el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

export async function candidateReview({ match, params, view, isCurrent }) {
  const sourceId = match[1];
  const [{ data: src }, items, sents] = await Promise.all([
    get(`/sources/${sourceId}`), all(`/sources/${sourceId}/candidates`), sentences(sourceId)]);
  if (!isCurrent()) return;
  setTitle(`Candidates · ${src.title}`);
  const list = items.sort((a, b) => a.position_selector.start - b.position_selector.start
    || a.position_selector.end - b.position_selector.end || a.id.localeCompare(b.id));
  const chars = codePoints(src.text);
  const wanted = list.findIndex((c) => c.id === params.get("c"));
  const firstOpen = list.findIndex((c) => c.status === "proposed");
  const state = { index: wanted >= 0 ? wanted : Math.max(firstOpen, 0), etag: null, draft: null, loading: 0 };

  const announce = h("div", { class: "announce", id: "review-status", "aria-live": "polite" });
  const counts = h("p", { class: "meta", id: "candidate-counts" });
  const sourceBox = h("section", { class: "card review-source", "aria-labelledby": "rs-h" });
  const panel = h("section", { class: "card review-panel", id: "candidate", "aria-labelledby": "cand-h" });
  const listBox = h("nav", { class: "card review-list", "aria-labelledby": "cl-h" });

  const header = [
    h("h1", { tabindex: "-1" }, "Review candidate claims"),
    h("p", { class: "meta" }, "From ", h("a", { href: `#/sources/${src.id}` }, src.title),
      [src.publisher, src.published_date].filter(Boolean).length ? ` · ${[src.publisher, src.published_date].filter(Boolean).join(" · ")}` : ""),
    counts,
    h("p", { class: "keys", id: "keys" }, "Keys: ", h("kbd", {}, "j"), " next · ", h("kbd", {}, "k"), " previous · ",
      h("kbd", {}, "a"), " accept · ", h("kbd", {}, "r"), " reject · ", h("kbd", {}, "Esc"), " leaves a field so the keys work again"),
  ];

  if (!list.length) {
    fill(view, header[0], header[1], h("div", { class: "card" }, h("p", {}, "No candidate has been proposed for this source. "),
      h("p", {}, h("a", { href: `#/sources/${src.id}` }, "Open the source"), " to propose candidates (needs an editor's key).")));
    return;
  }

  const current = () => list[state.index];
  const saveDraft = () => sessionStorage.setItem(draftKey(current().id), JSON.stringify(state.draft));

  function renderCounts() {
    const n = Object.fromEntries(STATUSES.map((s) => [s, list.filter((c) => c.status === s).length]));
    counts.textContent = `${list.length} candidates: ${n.proposed} to review · ${n.accepted} accepted · ${n.rejected} rejected`;
  }

  function renderSource() {
    const c = current();
    const spans = list.map((x) => (x.id === c.id && c.status === "proposed" && state.draft
      ? { id: x.id, start: Number(state.draft.start), end: Number(state.draft.end) }
      : { id: x.id, start: x.position_selector.start, end: x.position_selector.end }));
    const text = markedText(src.text, spans, { current: c.id, onPick: (id) => select(list.findIndex((x) => x.id === id)) });
    text.id = "review-source-text";
    text.tabIndex = 0;
    text.setAttribute("aria-label", `Text of ${src.title}, with the candidates' words marked`);
    fill(sourceBox, h("h2", { id: "rs-h" }, "Source"), h("p", { class: "hint" }, "Marked: every candidate's words; outlined: the current one. Click marked words to review that candidate."), text);
    const mark = text.querySelector("mark.current");
    if (mark && text.isConnected) text.scrollTop = mark.offsetTop - text.clientHeight / 3;
  }

  function renderList() {
    fill(listBox, h("h2", { id: "cl-h" }, "All candidates of this source"),
      h("ol", { class: "candidate-nav" }, list.map((c, i) => h("li", {},
        h("button", { type: "button", class: "link", "aria-current": i === state.index ? "true" : null, onclick: () => select(i) },
          c.text), " ", badge(c.status), h("span", { class: "meta" }, ` · ${score(c)}`)))));
  }

  function facts(c) {
    const s = c.speaker;
    const signals = Object.entries(c.check_worthiness.signals || {})
      .filter(([, v]) => v !== false && v !== null && v !== 0 && !(Array.isArray(v) && !v.length))
      .map(([k, v]) => `${k.replaceAll("_", " ")}${v === true ? "" : `: ${Array.isArray(v) ? v.join(", ") : v}`}`);
    const sentence = sents.find((x) => x.index === c.sentence_index);
    return h("dl", { class: "facts" },
      h("dt", {}, "Speaker"), h("dd", { id: "cand-speaker" }, s.name
        ? [s.id ? h("a", { href: `#/speakers/${s.id}` }, s.name) : s.name, s.role ? `, ${s.role}` : "", s.id ? " (stored speaker)" : " (new speaker)"]
        : h("strong", {}, "Not found: name the speaker when accepting")),
      h("dt", {}, "How found"), h("dd", { id: "cand-how" }, `${HOW[s.how] || s.how} · confidence ${Math.round(s.confidence * 100)}%`),
      h("dt", {}, "Check-worthiness"), h("dd", { id: "cand-score" },
        h("meter", { min: "0", max: "1", value: String(c.check_worthiness.score), "aria-label": "Check-worthiness" }), ` ${score(c)}`,
        signals.length ? h("span", { class: "meta" }, ` · ${signals.join(" · ")}`) : null),
      h("dt", {}, "Found as"), h("dd", {}, KIND[c.kind] || c.kind),
      h("dt", {}, "Quote"), h("dd", {}, h("q", {}, c.quote_selector.exact),
        h("span", { class: "meta" }, ` · sentence ${c.sentence_index + 1}${sentence ? ` [${sentence.start}–${sentence.end})` : ""}`)));
  }

  function duplicates(c) {
    const canReject = c.status === "proposed" && auth.key;
    return h("section", { class: "dups", "aria-labelledby": "cd-h" }, h("h3", { id: "cd-h" }, "Likely duplicates"),
      c.likely_duplicates.length ? h("ul", { class: "duplicates", id: "cand-duplicates" }, c.likely_duplicates.map((d) => h("li", {},
        h("a", { href: `#/claims/${d.id}` }, d.text), " ", badge(d.status), h("span", { class: "meta" }, ` · score ${d.score.toFixed(2)} `),
        canReject ? h("button", { type: "button", class: "link", onclick: () => {
          Object.assign(state.draft, { rejectReason: "duplicate", duplicateOf: d.id }); saveDraft(); renderPanel();
          panel.querySelector("#reject-reason")?.focus();
        } }, "Reject as a duplicate of this") : null)))
        : h("p", { class: "meta" }, "No stored claim was found to repeat it when it was proposed."));
  }

  function decided(c) {
    if (c.status === "accepted") {
      return h("p", { class: "decided ok", id: "cand-decision" }, "Accepted: ", h("a", { href: `#/claims/${c.claim_id}` }, "open the claim it made"), ".");
    }
    const r = c.rejection || {};
    return h("p", { class: "decided", id: "cand-decision" }, `Rejected: ${reasonLabel(r.reason)}`,
      r.duplicate_of ? [" of ", h("a", { href: `#/claims/${r.duplicate_of}` }, "this claim")] : null, r.note ? ` — ${r.note}` : "", ".");
  }

  function forms(c) {
    const d = state.draft;
    const bind = (el, key, after) => el.addEventListener("input", () => { d[key] = el.value; saveDraft(); after?.(); });
    const sentence = sents.find((x) => x.index === c.sentence_index);
    const text = h("textarea", { name: "text", rows: "3", required: true, maxlength: "2000", value: d.text });
    const speaker = h("input", { type: "text", name: "speaker", maxlength: "300", value: d.speaker });
    const bounds = sentence ? { min: String(sentence.start), max: String(sentence.end) } : { min: "0" };
    const start = h("input", { type: "number", name: "quote_start", required: true, ...bounds, value: String(d.start) });
    const end = h("input", { type: "number", name: "quote_end", required: true, ...bounds, value: String(d.end) });
    const preview = h("q", { id: "quote-preview" });
    const showQuote = () => { preview.textContent = chars.slice(Number(d.start), Number(d.end)).join(""); };
    showQuote();
    const claimDate = h("input", { type: "date", name: "claim_date", value: d.claimDate });
    const tags = h("input", { type: "text", name: "tags", value: d.tags });
    const reason = h("input", { type: "text", name: "accept_reason", maxlength: "2000", value: d.reason });
    bind(text, "text"); bind(speaker, "speaker"); bind(claimDate, "claimDate"); bind(tags, "tags"); bind(reason, "reason");
    bind(start, "start", () => { showQuote(); renderSource(); }); bind(end, "end", () => { showQuote(); renderSource(); });

    const acceptForm = h("form", { class: "accept-form", id: "accept-form", "aria-labelledby": "acc-h" },
      h("h3", { id: "acc-h" }, "Accept as a claim"),
      field("Claim text", text, "Edit it into a self-contained, attributed statement if it needs it."),
      field("Speaker", speaker, c.speaker.id
        ? "The stored speaker; type another name to use that one (found, else created), or clear it for none."
        : "Found by name when accepting, else created; clear it for none."),
      h("fieldset", {}, h("legend", {}, "Quote bounds (character offsets into the source, inside its sentence)"),
        h("div", { class: "inline" }, field("Quote starts at", start), field("Quote ends before", end)),
        h("p", { class: "hint" }, "Quoted words: ", preview)),
      h("div", { class: "inline" }, field("Claimed on (optional)", claimDate), field("Tags (optional, commas)", tags)),
      field("Why (optional, kept in the history)", reason),
      h("div", { class: "actions" }, h("button", { type: "submit", "aria-keyshortcuts": "a" }, "Accept ", h("kbd", {}, "a"))));
    acceptForm.addEventListener("submit", (e) => { e.preventDefault(); accept(); });

    const rejectReason = h("select", { name: "reject_reason", id: "reject-reason", required: true, value: d.rejectReason },
      h("option", { value: "" }, "Choose a reason"), REASONS.map(([id, label]) => h("option", { value: id }, label)));
    const duplicateOf = h("select", { name: "duplicate_of", value: d.duplicateOf },
      h("option", { value: "" }, "Choose the claim it repeats"),
      c.likely_duplicates.map((x) => h("option", { value: x.id }, `${x.text.slice(0, 90)} (${x.score.toFixed(2)})`)));
    const dupField = field("Duplicate of", duplicateOf, "One of the likely duplicates above.");
    const note = h("input", { type: "text", name: "note", maxlength: "2000", value: d.note });
    const showDup = () => { dupField.hidden = rejectReason.value !== "duplicate"; };
    showDup();
    rejectReason.addEventListener("change", () => { d.rejectReason = rejectReason.value; saveDraft(); showDup(); });
    duplicateOf.addEventListener("change", () => { d.duplicateOf = duplicateOf.value; saveDraft(); });
    bind(note, "note");
    // A select does not submit its form on Enter by itself; here it does, so r, a reason, Enter is enough.
    rejectReason.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); rejectForm.requestSubmit(); } });
    const rejectForm = h("form", { class: "reject-form", id: "reject-form", "aria-labelledby": "rej-h" },
      h("h3", { id: "rej-h" }, "Reject"),
      field("Reason for rejecting", rejectReason, "With r the focus comes here: choose with the arrow keys, then Enter."),
      dupField, field("Note (optional)", note),
      h("div", { class: "actions" }, h("button", { type: "submit", class: "danger", "aria-keyshortcuts": "r" }, "Reject ", h("kbd", {}, "r"))));
    rejectForm.addEventListener("submit", (e) => { e.preventDefault(); reject(); });
    return h("div", { class: "decide" }, acceptForm, rejectForm);
  }

  function renderPanel() {
    const c = current();
    fill(panel,
      h("div", { class: "panel-head" },
        h("h2", { id: "cand-h", tabindex: "-1" }, `Candidate ${state.index + 1} of ${list.length} `, badge(c.status)),
        h("div", { class: "actions step" },
          h("button", { type: "button", class: "secondary", "aria-keyshortcuts": "k", disabled: state.index === 0, onclick: () => select(state.index - 1) }, "Previous ", h("kbd", {}, "k")),
          h("button", { type: "button", class: "secondary", "aria-keyshortcuts": "j", disabled: state.index === list.length - 1, onclick: () => select(state.index + 1) }, "Next ", h("kbd", {}, "j")))),
      h("blockquote", { class: "claim-text", id: "cand-text" }, c.text),
      facts(c),
      duplicates(c),
      c.status !== "proposed" ? decided(c)
        : auth.key ? forms(c)
          : h("p", {}, h("a", { href: "#/signin" }, "Sign in"), " with a checker's key to accept or reject candidates."));
  }

  // Moves to candidate i: reads it again (for its ETag and any decision made meanwhile) and keeps its
  // id in the URL without a new history entry or a re-render.
  async function select(i, { focus = true, keepMessage = false } = {}) {
    if (i < 0 || i >= list.length) return;
    state.index = i;
    const c = current();
    const mine = ++state.loading;
    panel.setAttribute("aria-busy", "true");
    history.replaceState(null, "", href(`/sources/${sourceId}/candidates`, { c: c.id }));
    if (!keepMessage) fill(announce);
    try {
      const r = await get(`/candidates/${c.id}`);
      if (mine !== state.loading) return;
      list[i] = r.data;
      state.etag = r.etag;
      state.etagOf = r.data.id;
    } catch (error) {
      if (mine !== state.loading) return;
      fill(announce, errorBox(error, `Could not read this candidate (${error.status})`));
    }
    state.draft = loadDraft(current());
    renderPanel(); renderSource(); renderList(); renderCounts();
    panel.removeAttribute("aria-busy");
    if (focus) panel.querySelector("#cand-h").focus();
  }

  function nextOpen() {
    for (let k = 1; k <= list.length; k++) {
      const i = (state.index + k) % list.length;
      if (list[i].status === "proposed") return i;
    }
    return state.index;
  }

  async function decide(path, body, what) {
    const c = current();
    if (state.etagOf !== c.id) return null; // still reading it: a key pressed too soon does nothing
    try {
      const { data } = await api("POST", `/candidates/${c.id}/${path}`, { body, ifMatch: state.etag });
      return data;
    } catch (error) {
      if (error.status === 412) {
        // Someone decided or changed it meanwhile: say so, show its state now, keep the typed draft.
        const sent = c.version;
        const r = await get(`/candidates/${c.id}`);
        list[state.index] = r.data; state.etag = r.etag; state.etagOf = r.data.id;
        renderPanel(); renderSource(); renderList(); renderCounts();
        fill(announce, h("div", { class: "conflict", role: "alert", id: "conflict" },
          h("h2", {}, "Someone else changed this candidate while you were working"),
          h("p", {}, `You were working on version ${sent}; it is now at version ${r.data.version}, ${r.data.status}. Nothing of yours was sent.`,
            r.data.status === "proposed" ? " What you typed is kept in the form: check it, then send again." : " What you typed is kept here:"),
          r.data.status === "proposed" ? null : typed(state.draft)));
      } else if (error.status === 401 && !auth.key) {
        fill(announce, errorBox(error, "Sign in first"));
      } else {
        fill(announce, errorBox(error, `Could not ${what} (${error.status})`));
      }
      announce.scrollIntoView({ block: "nearest" });
      return null;
    }
  }

  // The checker's unsent edits, shown when the candidate was decided by someone else meanwhile.
  function typed(d) {
    const rows = [["Claim text", d.text], ["Speaker", d.speaker], ["Quote", chars.slice(Number(d.start), Number(d.end)).join("")],
      ["Claimed on", d.claimDate], ["Tags", d.tags], ["Why", d.reason], ["Reason for rejecting", reasonLabel(d.rejectReason || "")], ["Note", d.note]]
      .filter(([, v]) => v);
    return h("dl", { class: "facts typed", id: "typed" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  }

  async function accept() {
    const c = current(), d = state.draft;
    const body = {};
    if (d.text.trim() !== c.text) body.text = d.text.trim();
    const name = d.speaker.trim();
    if (!name) body.speaker_id = null;
    else if (name !== (c.speaker.name || "")) body.speaker_name = name;
    if (Number(d.start) !== c.position_selector.start || Number(d.end) !== c.position_selector.end) {
      body.quote = { start: Number(d.start), end: Number(d.end) };
    }
    if (d.claimDate) body.claim_date = d.claimDate;
    const tags = [...new Set(d.tags.split(",").map((t) => t.trim()).filter(Boolean))];
    if (tags.length) body.tags = tags;
    if (d.reason.trim()) body.reason = d.reason.trim();
    const data = await decide("acceptance", body, "accept the candidate");
    if (!data) return;
    sessionStorage.removeItem(draftKey(c.id));
    list[state.index] = data.candidate;
    await select(nextOpen(), { keepMessage: true });
    fill(announce, h("p", { class: "ok" }, "Accepted: ", h("a", { href: `#/claims/${data.claim.id}`, id: "made-claim" }, data.claim.text), ` (claim made, candidate ${list.findIndex((x) => x.id === c.id) + 1}).`));
  }

  async function reject() {
    const c = current(), d = state.draft;
    if (!d.rejectReason) { fill(announce, h("p", { class: "error", role: "alert" }, "Choose a reason for rejecting first.")); panel.querySelector("#reject-reason")?.focus(); return; }
    const body = { reason: d.rejectReason };
    if (d.rejectReason === "duplicate" && d.duplicateOf) body.duplicate_of = d.duplicateOf;
    if (d.note.trim()) body.note = d.note.trim();
    const data = await decide("rejection", body, "reject the candidate");
    if (!data) return;
    sessionStorage.removeItem(draftKey(c.id));
    list[state.index] = data;
    await select(nextOpen(), { keepMessage: true });
    fill(announce, h("p", { class: "ok" }, `Rejected candidate ${list.findIndex((x) => x.id === c.id) + 1} (${reasonLabel(body.reason)}).`));
  }

  function onKey(e) {
    if (!view.isConnected) { document.removeEventListener("keydown", onKey); return; }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e.target)) {
      if (e.key === "Escape") { e.preventDefault(); panel.querySelector("#cand-h")?.focus(); }
      return;
    }
    // a and r act on the candidate shown, so not while the next one is being read.
    const open = current().status === "proposed" && auth.key && !panel.hasAttribute("aria-busy");
    if (e.key === "j") { e.preventDefault(); select(state.index + 1); }
    else if (e.key === "k") { e.preventDefault(); select(state.index - 1); }
    else if (e.key === "a" && open) { e.preventDefault(); panel.querySelector("#accept-form")?.requestSubmit(); }
    else if (e.key === "r" && open) {
      e.preventDefault();
      const reason = panel.querySelector("#reject-reason");
      reason.scrollIntoView({ block: "center" });
      reason.focus();
    }
  }
  document.addEventListener("keydown", onKey);

  // The panel is drawn only once the candidate has been read again, with its ETag (select, below).
  // On a phone: the candidate, then the source, then the list; from 1000 px the source stands beside both.
  fill(view, ...header, announce, h("div", { class: "claim-layout review-layout" }, panel, sourceBox, listBox));
  await select(state.index, { focus: false });
}
