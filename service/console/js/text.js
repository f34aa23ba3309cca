// Source text with a quote highlighted, sentences made pickable, and before/after diffs of history.
import { h } from "./dom.js";

// The API counts offsets in Unicode code points; JavaScript strings count UTF-16 units.
export function codePoints(text) { return Array.from(text); }

function piece(chars, from, to, highlight) {
  const parts = [];
  const [hs, he] = highlight || [-1, -1];
  const cuts = [from, Math.min(Math.max(hs, from), to), Math.min(Math.max(he, from), to), to];
  for (let i = 0; i < 3; i++) {
    if (cuts[i + 1] <= cuts[i]) continue;
    const text = chars.slice(cuts[i], cuts[i + 1]).join("");
    parts.push(i === 1 ? h("mark", { class: "quote" }, text) : text);
  }
  return parts;
}

// The source's text as nodes: the quote [start, end) in a <mark class="quote">; with `sentences`, each
// sentence a focusable button-like span that calls onPick(sentence) on click, Enter or Space.
export function sourceText(text, { highlight, sentences, onPick, picked = [] } = {}) {
  const chars = codePoints(text);
  const box = h("div", { class: "source-text" });
  if (!sentences) {
    box.append(...piece(chars, 0, chars.length, highlight));
    return box;
  }
  let at = 0;
  for (const s of sentences) {
    if (s.start > at) box.append(...piece(chars, at, s.start, highlight));
    const choose = () => onPick(s);
    box.append(h("span", {
      class: "sentence", role: "button", tabindex: "0", dataset: { index: String(s.index) },
      "aria-pressed": picked.includes(s.index) ? "true" : "false",
      "aria-label": `Sentence ${s.index + 1}: pick as evidence`,
      onclick: choose,
      onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); choose(); } },
    }, piece(chars, s.start, s.end, highlight)));
    at = s.end;
  }
  if (at < chars.length) box.append(...piece(chars, at, chars.length, highlight));
  return box;
}

// Word-level diff (longest common subsequence) of two strings, as <del>/<ins> runs.
export function wordDiff(before, after) {
  const a = String(before ?? "").split(/(\s+)/);
  const b = String(after ?? "").split(/(\s+)/);
  if (a.length * b.length > 250000) return [h("del", {}, before), " ", h("ins", {}, after)];
  const n = a.length, m = b.length;
  const L = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
    L[i][j] = a[i] === b[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  }
  const out = [];
  const push = (kind, text) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text; else out.push({ kind, text });
  };
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { push("same", a[i]); i++; j++; }
    else if (L[i + 1][j] >= L[i][j + 1]) push("del", a[i++]);
    else push("ins", b[j++]);
  }
  while (i < n) push("del", a[i++]);
  while (j < m) push("ins", b[j++]);
  return out.map((r) => (r.kind === "same" ? r.text : h(r.kind, {}, r.text)));
}

const IGNORED = new Set(["updated_at", "created_at", "hash", "prev_hash"]);

function show(value) {
  if (value === null || value === undefined) return "(none)";
  if (Array.isArray(value) && value.every((v) => typeof v !== "object")) return value.length ? value.join(", ") : "(none)";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

// The fields an audit event changed, as a table of field, before and after; text fields as a word diff.
export function eventDiff(event) {
  const before = event.before || {}, after = event.after || {};
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => !IGNORED.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  if (!event.before) {
    // A creation: its fields, no "before" column to compare.
    const shown = names.filter((k) => !["id", "claim_id", "version", "appearances", "first_appearance_id"].includes(k) && after[k] != null && !(Array.isArray(after[k]) && !after[k].length));
    return h("dl", { class: "created" }, shown.map((k) => [h("dt", {}, k.replaceAll("_", " ")), h("dd", {}, show(after[k]))]));
  }
  return h("table", { class: "diff" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Field"), h("th", { scope: "col" }, "Before"), h("th", { scope: "col" }, "After"))),
    h("tbody", {}, names.map((k) => {
      const textual = typeof before[k] === "string" && typeof after[k] === "string" && k !== "status";
      return h("tr", { dataset: { field: k } },
        h("th", { scope: "row" }, k.replaceAll("_", " ")),
        h("td", { class: "before" }, textual ? wordDiff(before[k], after[k]).filter((n) => !(n instanceof Node && n.tagName === "INS")) : h("del", {}, show(before[k]))),
        h("td", { class: "after" }, textual ? wordDiff(before[k], after[k]).filter((n) => !(n instanceof Node && n.tagName === "DEL")) : h("ins", {}, show(after[k]))));
    })));
}

// The source's text with many spans marked at once (candidates' quotes, which may overlap): each run of
// text covered by one or more spans is a <mark class="cand"> listing them in data-ids; the runs of the
// `current` span also get class "current". A click on a run calls onPick with one of its spans' ids.
export function markedText(text, spans, { current, onPick } = {}) {
  const chars = codePoints(text);
  const clamp = (n) => Math.min(Math.max(n, 0), chars.length);
  const cuts = [...new Set([0, chars.length, ...spans.flatMap((s) => [clamp(s.start), clamp(s.end)])])].sort((a, b) => a - b);
  const box = h("div", { class: "source-text" });
  for (let i = 0; i < cuts.length - 1; i++) {
    const [from, to] = [cuts[i], cuts[i + 1]];
    const run = chars.slice(from, to).join("");
    const covering = spans.filter((s) => s.start <= from && s.end >= to && s.end > s.start);
    if (!covering.length) { box.append(run); continue; }
    const mine = covering.some((s) => s.id === current);
    // A click on a run shared by several picks the next one after the current, so each can be reached.
    const next = covering[(covering.findIndex((s) => s.id === current) + 1) % covering.length];
    box.append(h("mark", { class: mine ? "cand current" : "cand", dataset: { ids: covering.map((s) => s.id).join(" ") },
      title: covering.length > 1 ? `${covering.length} candidates` : null,
      onclick: onPick ? () => onPick(next.id) : null }, run));
  }
  return box;
}
