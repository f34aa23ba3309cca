// The queue: claims filtered by status (with counts), tag, speaker, source, dates and search, keyset-paged.
// The filters are the URL's query, so a queue can be bookmarked and shared.
import { all, get, query, verdictScale } from "../api.js";
import { h, field, badge, safeSnippet, setTitle, when, fill } from "../dom.js";
import { go, href } from "../nav.js";

const FILTERS = ["q", "status", "tag", "speaker_id", "source_id", "date_from", "date_to"];

export async function queue({ params, view, isCurrent }) {
  setTitle("Queue");
  const chosen = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) || ""]));
  const cursor = params.get("cursor") || "";
  const [page, counts, scale, speakers, sources] = await Promise.all([
    get(`/claims${query({ ...chosen, cursor, limit: 20 })}`).then((r) => r.data),
    get("/claims/counts").then((r) => r.data).catch(() => null), // the tabs still work without counts
    verdictScale(),
    all("/speakers", 1), // the first 100 in the picker; a chosen one beyond them is added below
    all("/sources", 1),
  ]);
  if (!isCurrent()) return;
  if (chosen.speaker_id && !speakers.some((s) => s.id === chosen.speaker_id)) {
    speakers.push(await get(`/speakers/${chosen.speaker_id}`).then((r) => r.data).catch(() => ({ id: chosen.speaker_id, name: chosen.speaker_id })));
  }
  if (chosen.source_id && !sources.some((s) => s.id === chosen.source_id)) {
    sources.push(await get(`/sources/${chosen.source_id}`).then((r) => r.data).catch(() => ({ id: chosen.source_id, title: chosen.source_id })));
  }
  const labels = { unverified: "Unverified", in_review: "In review", retracted: "Retracted",
    ...Object.fromEntries(scale.verdicts.map((v) => [v.id, v.label])) };
  const statuses = counts ? counts.items.map((c) => c.status) : Object.keys(labels);
  const countOf = (s) => counts?.items.find((c) => c.status === s)?.count;

  const tabs = h("nav", { class: "tabs", "aria-label": "Status" }, h("ul", {},
    [["", "All", counts?.total], ...statuses.map((s) => [s, labels[s] || s, countOf(s)])].map(([s, label, n]) =>
      h("li", {}, h("a", { href: href("/queue", { ...chosen, status: s }), "aria-current": chosen.status === s ? "page" : null, dataset: { status: s || "all" } },
        label, n === undefined ? null : h("span", { class: "count" }, String(n)))))));

  const controls = {
    q: h("input", { type: "search", name: "q", value: chosen.q, maxlength: "500", placeholder: "Words in claims or their quotes" }),
    status: h("select", { name: "status", value: chosen.status },
      h("option", { value: "" }, "Any status"), statuses.map((s) => h("option", { value: s }, labels[s] || s))),
    tag: h("input", { type: "text", name: "tag", value: chosen.tag, maxlength: "100" }),
    speaker_id: h("select", { name: "speaker_id", value: chosen.speaker_id },
      h("option", { value: "" }, "Any speaker"), speakers.map((s) => h("option", { value: s.id }, s.name))),
    source_id: h("select", { name: "source_id", value: chosen.source_id },
      h("option", { value: "" }, "Any source"), sources.map((s) => h("option", { value: s.id }, s.title))),
    date_from: h("input", { type: "date", name: "date_from", value: chosen.date_from }),
    date_to: h("input", { type: "date", name: "date_to", value: chosen.date_to }),
  };
  const form = h("form", { class: "filters", role: "search" },
    h("div", { class: "search-row" }, field("Search", controls.q), h("button", { type: "submit" }, "Search")),
    h("details", { open: FILTERS.slice(1).some((k) => chosen[k]) || null },
      h("summary", {}, "Filters"),
      h("div", { class: "grid" },
        field("Status", controls.status), field("Tag", controls.tag), field("Speaker", controls.speaker_id),
        field("Source", controls.source_id), field("Claimed from", controls.date_from), field("Claimed until", controls.date_to)),
      h("div", { class: "actions" }, h("button", { type: "submit" }, "Apply filters"),
        h("a", { href: "#/queue", class: "button secondary" }, "Clear all"))));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    go("/queue", Object.fromEntries(FILTERS.map((k) => [k, controls[k].value.trim()])));
  });

  const list = h("ol", { class: "claim-list" }, page.items.map((c) => h("li", { class: "claim-row" },
    h("a", { href: `#/claims/${c.id}`, class: "claim-link" }, c.text),
    c.snippet ? h("p", { class: "snippet" }, safeSnippet(c.snippet)) : null,
    h("p", { class: "meta" }, badge(c.status), " ",
      c.speaker ? h("span", {}, c.speaker.name) : h("span", {}, "Speaker unknown"),
      c.claim_date ? h("span", {}, ` · claimed ${c.claim_date}`) : null,
      h("span", {}, ` · updated ${when(c.updated_at)}`),
      c.tags.length ? h("span", { class: "tags" }, c.tags.map((t) => h("a", { href: href("/queue", { ...chosen, tag: t }), class: "tag" }, t))) : null))));

  const paging = h("nav", { class: "paging", "aria-label": "Pages" },
    cursor ? h("a", { href: href("/queue", chosen), class: "button secondary" }, "First page") : null,
    page.next_cursor ? h("a", { href: href("/queue", { ...chosen, cursor: page.next_cursor }), class: "button", rel: "next" }, "Next page") : null);

  const summary = page.items.length
    ? `${page.items.length} claim${page.items.length === 1 ? "" : "s"} on this page${chosen.q ? `, best matches for “${chosen.q}” first` : ""}${page.next_cursor ? "; more on the next page" : ""}.`
    : "No claim matches these filters.";
  fill(view, h("h1", { tabindex: "-1" }, chosen.q ? `Search: ${chosen.q}` : "Queue"), tabs, form,
    h("p", { class: "summary", "aria-live": "polite" }, summary), list, paging);
}
