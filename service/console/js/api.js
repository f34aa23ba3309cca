// The console's only way to the service: the public REST API, with the signed-in key as a bearer token.
const KEY = "claimtrail.key";

export const auth = {
  get key() { return sessionStorage.getItem(KEY); },
  set(key) { sessionStorage.setItem(KEY, key); },
  clear() { sessionStorage.removeItem(KEY); },
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export async function api(method, path, { body, ifMatch, key } = {}) {
  const headers = { Accept: "application/json" };
  const secret = key ?? auth.key;
  if (secret) headers.Authorization = `Bearer ${secret}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (ifMatch) headers["If-Match"] = ifMatch;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const error = new ApiError(response.status, typeof data === "object" ? data : { detail: data });
    // A key that worked at sign-in can be revoked meanwhile: every page hears of it, not just this call.
    if (response.status === 401 && secret && key === undefined) {
      window.dispatchEvent(new CustomEvent("key-refused", { detail: error }));
    }
    throw error;
  }
  return { data, etag: response.headers.get("ETag"), status: response.status };
}

export const get = (path, options) => api("GET", path, options);

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}

// Every item of a keyset-paged list, up to `maxPages` pages of 100 (for short lists: a source's
// sentences, a claim's reviews or history).
export async function all(path, maxPages = 50) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < maxPages; i++) {
    const sep = path.includes("?") ? "&" : "?";
    const { data } = await get(`${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    items.push(...data.items);
    cursor = data.next_cursor;
    if (!cursor) break;
  }
  return items;
}

const sourceCache = new Map();
const sentenceCache = new Map();
export function source(id) {
  if (!sourceCache.has(id)) sourceCache.set(id, get(`/sources/${id}`).then((r) => r.data).catch((e) => { sourceCache.delete(id); throw e; }));
  return sourceCache.get(id);
}
export function sentences(id) {
  if (!sentenceCache.has(id)) sentenceCache.set(id, all(`/sources/${id}/sentences`, 200).catch((e) => { sentenceCache.delete(id); throw e; }));
  return sentenceCache.get(id);
}

let scale;
export function verdictScale() {
  scale ||= get("/verdicts").then((r) => r.data).catch((e) => { scale = null; throw e; });
  return scale;
}
