"use strict";

// The complaint phrases page: add, remove and edit phrases, save them with the version the
// page was read at, and try a text against the phrases as they stand on the page.
(function () {
  const { el, api } = window.CC;
  const _ = window.CC.t;
  const form = document.getElementById("classifier-form");
  if (!form) return;
  const rows = document.getElementById("phrases");
  const status = document.getElementById("classifier-status");

  function say(text, kind) {
    status.textContent = text;
    status.className = kind ? "alert " + kind : "";
  }

  function phraseRow(text, weight) {
    return el("tr", {},
      el("td", {}, el("input", { name: "text", maxlength: 100, required: true, "aria-label": _("Phrase"), value: text })),
      el("td", {}, el("input", {
        name: "weight", type: "number", min: 0, max: 1, step: 0.05, required: true,
        "aria-label": _("Weight"), value: weight,
      })),
      el("td", {}, el("button", { type: "button", class: "remove-phrase" }, _("Remove"))));
  }

  function rules() {
    const phrases = [];
    for (const row of rows.querySelectorAll("tr")) {
      const text = row.querySelector('input[name="text"]').value.trim();
      const weight = Number(row.querySelector('input[name="weight"]').value);
      if (text) phrases.push({ text, weight });
    }
    return { threshold: Number(document.getElementById("threshold").value), phrases };
  }

  function inputOf(field) {
    // "classifier.phrases.3.text" → the fourth row's text box
    const match = /phrases\.(\d+)\.(text|weight)$/.exec(field || "");
    if (match) {
      const row = rows.querySelectorAll("tr")[Number(match[1])];
      return row ? row.querySelector(`input[name="${match[2]}"]`) : null;
    }
    return field && field.endsWith("threshold") ? document.getElementById("threshold") : null;
  }

  rows.addEventListener("click", (event) => {
    const button = event.target.closest(".remove-phrase");
    if (button) button.closest("tr").remove();
  });

  document.getElementById("add-phrase").addEventListener("click", () => {
    const row = phraseRow("", 0.5);
    rows.append(row);
    row.querySelector("input").focus();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = Object.assign(rules(), { version: Number(form.dataset.version) });
    try {
      const saved = await api("PUT", "/api/v1/classifier", body);
      form.dataset.version = String(saved.version);
      document.getElementById("classifier-version").textContent = _("Version {version}", { version: saved.version });
      say(_("Saved (version {version}).", { version: saved.version }), "ok");
    } catch (error) {
      say(error.message, "error");
      const input = inputOf(error.field);
      if (input) input.focus();
    }
  });

  document.getElementById("try-button").addEventListener("click", async () => {
    const result = document.getElementById("try-result");
    const text = document.getElementById("try-text").value;
    try {
      const found = await api("POST", "/api/v1/classifier/try", Object.assign({ text }, rules()));
      const verdict = found.kind === "complaint" ? _("A complaint") : _("Not a complaint");
      result.replaceChildren(
        el("p", {}, el("strong", {}, verdict), " · ",
          _("confidence {percent}%", { percent: Math.round(found.confidence * 100) })),
        found.matched.length
          ? el("p", {}, _("Phrases found:"), " ", found.matched.map((m) => el("span", { class: "badge" }, m)))
          : el("p", { class: "muted" }, _("No phrase found.")));
    } catch (error) {
      result.replaceChildren(el("p", { class: "alert error" }, error.message));
    }
  });
})();
