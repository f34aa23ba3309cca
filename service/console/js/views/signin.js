import { api, auth } from "../api.js";
import { h, field, setTitle, fill } from "../dom.js";
import { go } from "../nav.js";

export async function signin({ params, view }) {
  setTitle("Sign in");
  const key = h("input", { type: "password", name: "key", autocomplete: "off", required: true, spellcheck: "false" });
  const message = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card narrow" },
    field("API key", key, "Kept in this browser tab only (sessionStorage) and sent as a bearer token."),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Sign in")),
    message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    fill(message, h("p", {}, "Checking the key…"));
    try {
      // Any request with the key proves it: an unknown or revoked key is refused with 401.
      await api("GET", "/verdicts", { key: key.value.trim() });
      auth.set(key.value.trim());
      go(params.get("next") || "/queue");
    } catch (error) {
      fill(message, h("p", { class: "error", role: "alert" }, error.status === 401
        ? "This key was refused: it is unknown or has been revoked. Check it, or ask an admin for a new one."
        : `The service could not check the key: ${error.message}`));
      key.focus();
    }
  });
  fill(view, h("h1", { tabindex: "-1" }, "Sign in"),
    h("p", {}, "Reading works without a key where the service allows it; reviewing and editing need one."), form);
}
