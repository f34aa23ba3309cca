// Speakers: list and search (the API matches exact names only), edit with If-Match, and merge with its
// effect shown before anything is sent.
import { api, get, query } from "../api.js";
import { h, field, errorBox, setTitle, badge, fill } from "../dom.js";
import { go, href } from "../nav.js";

export async function speakerList({ params, view }) {
  setTitle("Speakers");
  const name = params.get("name") || "";
  const cursor = params.get("cursor") || "";
  const merged = params.get("include_merged") === "true";
  const { data } = await get(`/speakers${query({ limit: 50, cursor, name, include_merged: merged ? "true" : "" })}`);
  const nameInput = h("input", { type: "search", name: "name", value: name });
  const mergedBox = h("input", { type: "checkbox", name: "include_merged", checked: merged });
  const form = h("form", { class: "filters", role: "search" },
    h("div", { class: "search-row" }, field("Name", nameInput, "The exact name: the API has no partial-name search."),
      h("button", { type: "submit" }, "Search")),
    h("div", { class: "check" }, mergedBox, h("label", { for: (mergedBox.id = "include-merged") }, "Include merged speakers")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    go("/speakers", { name: nameInput.value.trim(), include_merged: mergedBox.checked ? "true" : "" });
  });
  fill(view, h("h1", { tabindex: "-1" }, "Speakers"), form,
    data.items.length ? h("ul", { class: "claim-list" }, data.items.map((s) => h("li", { class: "claim-row" },
      h("a", { href: `#/speakers/${s.id}`, class: "claim-link" }, s.name),
      h("p", { class: "meta" }, [s.kind, s.role, s.affiliation, s.region, s.merged_into_id ? "merged" : null].filter(Boolean).join(" · ")))))
      : h("p", {}, name ? `No speaker is named exactly “${name}”.` : "No speaker yet."),
    h("nav", { class: "paging", "aria-label": "Pages" },
      cursor ? h("a", { href: href("/speakers", { name }), class: "button secondary" }, "First page") : null,
      data.next_cursor ? h("a", { href: href("/speakers", { name, cursor: data.next_cursor }), class: "button", rel: "next" }, "Next page") : null));
}

export async function speakerPage({ match, view }) {
  const id = match[1];
  const [{ data: speaker, etag }, { data: claims }] = await Promise.all([
    get(`/speakers/${id}`), get(`/claims${query({ speaker_id: id, limit: 20 })}`)]);
  setTitle(speaker.name);
  const message = h("div", { "aria-live": "polite" });
  const c = {
    name: h("input", { type: "text", name: "name", required: true, value: speaker.name }),
    kind: h("select", { name: "kind", value: speaker.kind }, ["person", "organization"].map((k) => h("option", { value: k }, k))),
    aliases: h("input", { type: "text", name: "aliases", value: speaker.aliases.join("; ") }),
    role: h("input", { type: "text", name: "role", value: speaker.role || "" }),
    affiliation: h("input", { type: "text", name: "affiliation", value: speaker.affiliation || "" }),
    region: h("input", { type: "text", name: "region", value: speaker.region || "" }),
    reason: h("input", { type: "text", name: "reason" }),
  };
  const edit = h("form", { class: "card", "aria-labelledby": "edit-h" }, h("h2", { id: "edit-h" }, "Edit"),
    field("Name", c.name), field("Kind", c.kind), field("Aliases", c.aliases, "Separated by semicolons."),
    field("Role", c.role), field("Affiliation", c.affiliation), field("Region", c.region), field("Reason for the change (optional)", c.reason),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Save speaker")));
  edit.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = { name: c.name.value.trim(), kind: c.kind.value,
      aliases: c.aliases.value.split(";").map((a) => a.trim()).filter(Boolean),
      role: c.role.value.trim() || null, affiliation: c.affiliation.value.trim() || null, region: c.region.value.trim() || null };
    if (c.reason.value.trim()) body.reason = c.reason.value.trim();
    try {
      await api("PATCH", `/speakers/${id}`, { body, ifMatch: etag });
      await speakerPage({ match, view });
      view.prepend(h("p", { class: "ok", role: "status" }, "Saved."));
    } catch (error) {
      fill(message, errorBox(error, error.status === 412
        ? "Someone else changed this speaker meanwhile; reload the page to see their change (your edits are still in the form)"
        : `Could not save (${error.status})`));
    }
  });

  // Merge: the checker names the speaker to merge into, sees exactly what will happen, then confirms.
  const into = h("input", { type: "text", name: "into", placeholder: "Exact name of the other speaker" });
  const preview = h("div", { "aria-live": "polite" });
  const mergeForm = h("form", { class: "card", "aria-labelledby": "merge-h" }, h("h2", { id: "merge-h" }, "Merge into another speaker"),
    field("Speaker to merge into", into, "Their exact name, as the speakers list shows it."),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, "Show what the merge does")), preview);
  mergeForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    fill(preview);
    const { data } = await get(`/speakers${query({ name: into.value.trim(), limit: 10 })}`);
    const targets = data.items.filter((t) => t.id !== id);
    if (!targets.length) { fill(preview, h("p", { class: "error" }, `No other speaker is named exactly “${into.value.trim()}”.`)); return; }
    fill(preview, ...targets.map((t) => {
      const reason = h("input", { type: "text", name: "merge_reason" });
      const names = [speaker.name, ...speaker.aliases].filter((n) => n !== t.name && !t.aliases.includes(n));
      const confirm = h("form", { class: "merge-preview" },
        h("h3", {}, `Merge “${speaker.name}” into “${t.name}”`, h("span", { class: "meta" }, ` (${[t.role, t.affiliation].filter(Boolean).join(", ") || t.kind})`)),
        h("ul", {},
          h("li", {}, claims.items.length
            ? `${claims.items.length}${claims.next_cursor ? " or more" : ""} claim${claims.items.length === 1 ? "" : "s"} move to “${t.name}”, each as a recorded change.`
            : "No claim moves: this speaker has none."),
          h("li", {}, names.length ? `“${t.name}” gains the aliases: ${names.join("; ")}.` : "No new alias."),
          h("li", {}, `“${speaker.name}” stays readable, marked as merged; lists leave it out.`)),
        field("Reason for the merge (optional)", reason),
        h("div", { class: "actions" }, h("button", { type: "submit", class: "danger" }, `Merge into ${t.name}`)));
      confirm.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        try {
          await api("POST", `/speakers/${id}/merge`, { body: { into: t.id, ...(reason.value.trim() ? { reason: reason.value.trim() } : {}) }, ifMatch: etag });
          go(`/speakers/${t.id}`);
        } catch (error) {
          preview.append(errorBox(error, `Could not merge (${error.status})`));
        }
      });
      return confirm;
    }));
  });

  fill(view, h("h1", { tabindex: "-1" }, speaker.name),
    speaker.merged_into_id ? h("p", { class: "banner" }, "Merged into ", h("a", { href: `#/speakers/${speaker.merged_into_id}` }, "another speaker"), ".") : null,
    h("p", { class: "meta" }, [speaker.kind, speaker.role, speaker.affiliation, speaker.region, `version ${speaker.version}`].filter(Boolean).join(" · ")),
    h("div", { class: "claim-layout" },
      h("div", { class: "claim-main" }, message, edit, speaker.merged_into_id ? null : mergeForm),
      h("section", { class: "card", "aria-labelledby": "spc-h" }, h("h2", { id: "spc-h" }, "Claims"),
        claims.items.length ? h("ul", {}, claims.items.map((cl) => h("li", {}, h("a", { href: `#/claims/${cl.id}` }, cl.text), " ", badge(cl.status)))) : h("p", {}, "None."),
        claims.next_cursor ? h("p", {}, h("a", { href: href("/queue", { speaker_id: id }) }, "All of this speaker's claims in the queue")) : null)));
}
