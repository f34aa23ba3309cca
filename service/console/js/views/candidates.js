// Candidate-claim review (issue 14) needs endpoints the service does not have yet. This view says so
// and does nothing else: no sample data, no fake buttons.
import { h, setTitle, fill } from "../dom.js";

export async function candidates({ view }) {
  setTitle("Candidate claims");
  fill(view, 
    h("h1", { tabindex: "-1" }, "Candidate claims"),
    h("div", { class: "card placeholder", id: "candidates-placeholder" },
      h("p", {}, h("strong", {}, "Not available yet."),
        " When the service proposes candidate claims for a source (issue 14), this is where checkers will review them: ",
        "the source on one side with each candidate's words highlighted; the candidate on the other with its speaker, ",
        "how the speaker was found, its check-worthiness and likely duplicates; accept (after editing) or reject with a reason, ",
        "by button or keyboard."),
      h("p", {}, "Until those endpoints exist, record claims with POST /claims (see the ", h("a", { href: "/docs" }, "API docs"), ").")));
}
