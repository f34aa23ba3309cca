// The console's shell: a hash router (#/path?query), so every view and its filters live in the URL
// and survive a reload or a bookmark, with no server-side routes beyond index.html.
import { auth } from "./api.js";
import { h, errorBox, fill } from "./dom.js";
import { go, notice } from "./nav.js";
import { signin } from "./views/signin.js";
import { queue } from "./views/queue.js";
import { claim } from "./views/claim.js";
import { sourceList, sourceNew, sourcePage } from "./views/sources.js";
import { speakerList, speakerPage } from "./views/speakers.js";
import { candidates, candidateReview } from "./views/candidates.js";

const routes = [
  [/^\/queue$/, queue, "queue"],
  [/^\/claims\/([0-9a-f-]{36})$/, claim, "queue"],
  [/^\/sources$/, sourceList, "sources"],
  [/^\/sources\/new$/, sourceNew, "sources"],
  [/^\/sources\/([0-9a-f-]{36})$/, sourcePage, "sources"],
  [/^\/sources\/([0-9a-f-]{36})\/candidates$/, candidateReview, "candidates"],
  [/^\/speakers$/, speakerList, "speakers"],
  [/^\/speakers\/([0-9a-f-]{36})$/, speakerPage, "speakers"],
  [/^\/candidates$/, candidates, "candidates"],
  [/^\/signin$/, signin, null],
];

function renderWho() {
  const who = document.getElementById("who");
  if (auth.key) {
    fill(who, h("span", {}, "Signed in with an API key"), " ",
      h("button", { type: "button", class: "link", onclick: () => { auth.clear(); renderWho(); go("/signin"); } }, "Sign out"));
  } else {
    fill(who, h("span", {}, "Reading without a key"), " ", h("a", { href: "#/signin" }, "Sign in"));
  }
}

let rendering = 0;
async function render() {
  const raw = location.hash.slice(1) || "/queue";
  const [path, q = ""] = raw.split("?");
  const params = new URLSearchParams(q);
  const main = document.getElementById("main");
  const mine = ++rendering;
  renderWho();
  notice(null);
  const route = routes.find(([re]) => re.test(path));
  for (const a of document.querySelectorAll("nav a[data-section]")) {
    if (route && a.dataset.section === route[2]) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  if (!route) {
    fill(main, h("h1", {}, "Not found"), h("p", {}, "No such page in the console. ", h("a", { href: "#/queue" }, "Go to the queue")));
    return;
  }
  const view = h("div", { class: "view", "aria-busy": "true" }, h("p", { class: "loading" }, "Loading…"));
  fill(main, view);
  try {
    await route[1]({ params, match: path.match(route[0]), view, isCurrent: () => mine === rendering });
  } catch (error) {
    if (mine !== rendering) return;
    fill(view, h("h1", {}, "Could not load this page"), errorBox(error, `The service answered ${error.status || "nothing"}`));
  }
  view.removeAttribute("aria-busy");
  // Focus the new page's heading, so keyboard and screen-reader users start at the top of it.
  if (mine === rendering && !view.contains(document.activeElement)) view.querySelector("h1")?.focus({ preventScroll: false });
}

window.addEventListener("key-refused", () => {
  notice(h("div", { class: "error" }, h("strong", {}, "Your API key was refused"),
    ": it is unknown or has been revoked. ", h("a", { href: "#/signin" }, "Sign in with another key"), "."));
});
window.addEventListener("hashchange", render);
render();
