// Moving between views: the hash holds the view and its parameters, so back, reload and bookmarks work.
export function href(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ""}`;
}

export function go(path, params = {}) {
  location.hash = href(path, params);
}

export function notice(node) {
  document.getElementById("notice").replaceChildren(node || "");
}
