// Sources: the list, adding one (text pasted or read from a file), and one source with its sentences.
import { all, api, auth, get, query, sentences } from "../api.js";
import { h, field, errorBox, setTitle, when, badge, fill } from "../dom.js";
import { go, href } from "../nav.js";

const LANGUAGES = ["en", "am", "ar", "bg", "da", "de", "el", "es", "fa", "fr", "hi", "hy", "it", "ja", "kk", "mr", "my", "nl", "pl", "ru", "sk", "ur", "zh"];
const DRAFT = "claimtrail.draft.source";

export async function sourceList({ params, view }) {
  setTitle("Sources");
  const cursor = params.get("cursor") || "";
  const publisher = params.get("publisher") || "";
  const { data } = await get(`/sources${query({ limit: 20, cursor, publisher })}`);
  const pub = h("input", { type: "text", name: "publisher", value: publisher });
  const form = h("form", { class: "filters", role: "search" }, h("div", { class: "search-row" },
    field("Publisher (exact)", pub), h("button", { type: "submit" }, "Filter")));
  form.addEventListener("submit", (e) => { e.preventDefault(); go("/sources", { publisher: pub.value.trim() }); });
  fill(view, h("h1", { tabindex: "-1" }, "Sources"),
    h("p", {}, h("a", { href: "#/sources/new", class: "button" }, "Add a source")), form,
    data.items.length ? h("ol", { class: "claim-list" }, data.items.map((s) => h("li", { class: "claim-row" },
      h("a", { href: `#/sources/${s.id}`, class: "claim-link" }, s.title),
      h("p", { class: "meta" }, [s.publisher, s.published_date, `${s.sentence_count} sentences`, `added ${when(s.created_at)}`].filter(Boolean).join(" · ")))))
      : h("p", {}, "No source yet."),
    h("nav", { class: "paging", "aria-label": "Pages" },
      cursor ? h("a", { href: href("/sources", { publisher }), class: "button secondary" }, "First page") : null,
      data.next_cursor ? h("a", { href: href("/sources", { publisher, cursor: data.next_cursor }), class: "button", rel: "next" }, "Next page") : null));
}

export async function sourceNew({ view }) {
  setTitle("Add a source");
  let draft = {};
  try { draft = JSON.parse(sessionStorage.getItem(DRAFT)) || {}; } catch { /* a broken draft is dropped */ }
  const c = {
    title: h("input", { type: "text", name: "title", required: true, maxlength: "500", value: draft.title || "" }),
    publisher: h("input", { type: "text", name: "publisher", value: draft.publisher || "" }),
    url: h("input", { type: "url", name: "url", value: draft.url || "", placeholder: "https://…" }),
    published_date: h("input", { type: "date", name: "published_date", value: draft.published_date || "" }),
    language: h("select", { name: "language", value: draft.language || "en" }, LANGUAGES.map((l) => h("option", { value: l }, l))),
    text: h("textarea", { name: "text", rows: "12", required: true, value: draft.text || "" }),
  };
  // on unless unticked, as the API does it; sent either way so a long source is extracted too when ticked
  const extract = h("input", { type: "checkbox", name: "extract", checked: draft.extract !== false });
  const file = h("input", { type: "file", name: "file", accept: ".txt,text/plain" });
  const save = () => sessionStorage.setItem(DRAFT, JSON.stringify({ ...Object.fromEntries(Object.entries(c).map(([k, el]) => [k, el.value])), extract: extract.checked }));
  for (const el of Object.values(c)) el.addEventListener("input", save);
  extract.addEventListener("change", () => { sessionStorage.setItem(DRAFT, JSON.stringify({ ...JSON.parse(sessionStorage.getItem(DRAFT) || "{}"), extract: extract.checked })); });
  file.addEventListener("change", async () => {
    const chosen = file.files[0];
    if (chosen) { c.text.value = await chosen.text(); save(); }
  });
  const message = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card" },
    field("Title", c.title), field("Publisher", c.publisher), field("URL of the original", c.url),
    field("Published on", c.published_date), field("Language", c.language),
    field("Text", c.text, "Kept exactly as given: claims point into it by character offsets."),
    field("…or read the text from a file", file, "A plain-text file; it fills the text box above."),
    h("div", { class: "check" }, extract, h("label", { for: (extract.id = "f-extract") }, "Propose candidate claims from it now (English; takes a moment)")),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Store source")), message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = { title: c.title.value.trim(), text: c.text.value, language: c.language.value };
    for (const k of ["publisher", "url", "published_date"]) if (c[k].value.trim()) body[k] = c[k].value.trim();
    try {
      fill(message, h("p", { class: "loading" }, extract.checked ? "Storing the source and proposing candidates…" : "Storing the source…"));
      const { data } = await api("POST", `/sources?extract=${extract.checked}`, { body });
      sessionStorage.removeItem(DRAFT);
      go(data.extraction ? `/sources/${data.id}/candidates` : `/sources/${data.id}`);
    } catch (error) {
      fill(message, errorBox(error, `Could not store the source (${error.status})`));
    }
  });
  fill(view, h("h1", { tabindex: "-1" }, "Add a source"), form);
}

export async function sourcePage({ match, view }) {
  const id = match[1];
  const [{ data: src }, sents, { data: claims }] = await Promise.all([
    get(`/sources/${id}`), sentences(id), get(`/claims${query({ source_id: id, limit: 50 })}`)]);
  setTitle(src.title);
  const candidatesBox = h("section", { class: "card", "aria-labelledby": "cand-h", id: "source-candidates" });
  await renderCandidates(src, candidatesBox);
  fill(view, 
    h("h1", { tabindex: "-1" }, src.title),
    h("p", { class: "meta" }, [src.publisher, src.published_date, src.language, `added ${when(src.created_at)}`].filter(Boolean).join(" · "),
      src.url ? [" · ", h("a", { href: src.url, rel: "noreferrer noopener", target: "_blank" }, "original")] : null),
    h("p", { class: "meta" }, "SHA-256 of the text: ", h("code", { class: "hash" }, src.sha256)),
    h("div", { class: "claim-layout" },
      h("div", { class: "claim-main" },
        h("section", { class: "card", "aria-labelledby": "sc-h" }, h("h2", { id: "sc-h" }, "Claims from this source"),
          claims.items.length ? h("ul", {}, claims.items.map((c) => h("li", {}, h("a", { href: `#/claims/${c.id}` }, c.text), " ", badge(c.status))))
            : h("p", {}, "No claim is recorded from this source yet.")),
        candidatesBox),
      h("section", { class: "card", "aria-labelledby": "sent-h" }, h("h2", { id: "sent-h" }, `Sentences (${sents.length})`),
        h("ol", { class: "sentences", start: "1", id: "sentences" }, sents.map((s) => h("li", { value: String(s.index + 1) }, s.text,
          h("span", { class: "meta" }, ` [${s.start}–${s.end})`)))))));
}

// The source's candidate claims: how many wait for review, a link to the review screen, and (for an
// editor) running extraction again, which never duplicates a candidate nor touches a decided one.
async function renderCandidates(src, box) {
  const items = await all(`/sources/${src.id}/candidates`);
  const n = (s) => items.filter((c) => c.status === s).length;
  const message = h("div", { "aria-live": "polite" });
  const propose = h("button", { type: "button", class: "secondary", onclick: async () => {
    propose.disabled = true;
    fill(message, h("p", { class: "loading" }, "Proposing candidates…"));
    try {
      const { data } = await api("POST", `/sources/${src.id}/candidates`, { body: {} });
      await renderCandidates(src, box);
      box.querySelector("[aria-live]").replaceChildren(h("p", { class: "ok" }, `${data.proposed} new candidate${data.proposed === 1 ? "" : "s"} proposed; ${data.already_present} already there.`));
    } catch (error) {
      propose.disabled = false;
      fill(message, errorBox(error, `Could not propose candidates (${error.status})`));
    }
  } }, items.length ? "Propose again (keeps decided ones)" : "Propose candidate claims");
  fill(box, h("h2", { id: "cand-h" }, "Candidate claims"),
    items.length
      ? h("p", {}, `${items.length} proposed from this source: ${n("proposed")} to review, ${n("accepted")} accepted, ${n("rejected")} rejected. `)
      : h("p", {}, "No candidate claim has been proposed from this source yet."),
    h("div", { class: "actions" },
      items.length ? h("a", { class: "button", href: `#/sources/${src.id}/candidates` }, "Review candidates") : null,
      auth.key ? propose : null),
    message);
}
