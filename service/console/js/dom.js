// Building elements with text nodes only: nothing the API returns is ever parsed as HTML, except the
// search snippets, which go through safeSnippet.
let counter = 0;
export const uid = (prefix = "f") => `${prefix}-${++counter}`;

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  let value;
  for (const [name, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (name === "value") value = v; // set after the options of a <select> exist
    else if (name.startsWith("on") && typeof v === "function") el.addEventListener(name.slice(2), v);
    else if (name === "class") el.className = v;
    else if (name === "dataset") Object.assign(el.dataset, v);
    else if (typeof v !== "string" && typeof v !== "number" && v !== true) el[name] = v;
    else el.setAttribute(name, v === true ? "" : String(v));
  }
  append(el, children);
  if (value !== undefined) el.value = value;
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// A labelled control: every input of the console goes through here, so none lacks a label.
export function field(label, control, hint) {
  control.id ||= uid("f");
  const parts = [h("label", { for: control.id }, label), control];
  if (hint) {
    const hintId = uid("hint");
    control.setAttribute("aria-describedby", hintId);
    parts.push(h("p", { class: "hint", id: hintId }, hint));
  }
  return h("div", { class: "field" }, parts);
}

export function when(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function badge(status, label) {
  return h("span", { class: `badge status-${status}` }, label || status.replaceAll("_", " "));
}

// Snippets arrive HTML-escaped with <mark> around matches. They are parsed inertly in a <template> and
// rebuilt from their text and <mark> elements only, so no other markup can get through.
export function safeSnippet(html) {
  const t = document.createElement("template");
  t.innerHTML = html;
  const out = document.createDocumentFragment();
  for (const node of t.content.childNodes) {
    if (node.nodeName === "MARK") out.append(h("mark", {}, node.textContent));
    else out.append(document.createTextNode(node.textContent));
  }
  return out;
}

export function errorBox(error, lead) {
  const p = error.problem;
  return h("div", { class: "error", role: "alert" },
    h("strong", {}, lead || "The service refused this"),
    ": ", error.message,
    p?.errors?.length ? h("ul", {}, p.errors.map((e) => h("li", {}, `${e.field}: ${e.message}`))) : null);
}

export function setTitle(text) {
  document.title = `${text} · Claimtrail console`;
}

// replaceChildren, but skipping null and false (replaceChildren would print them as text).
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}
