// The ticket page's complaint panel (only when the ticket has a case):
// where the case came from, its steps as a progress list, the current step with what leaving
// it requires and a live countdown for each of its deadlines, the fields a move needs and a
// button per allowed next step, and the steps taken. A refused move shows the server's words
// beside the field it names; what was typed stays. Read from GET .../case, again on case and
// ticket events; the countdowns come from the clocks card (ticket_clocks.js).
"use strict";

(function () {
  const CC = window.CC;
  const _ = CC.t;
  const el = CC.el;
  const D = window.CCDeadlines;
  const $ = (id) => document.getElementById(id);
  const data = JSON.parse($("ticket-data").textContent);
  const ticketId = String(data.ticket_id);
  const base = "/api/v1/tickets/" + encodeURIComponent(ticketId);

  const FIELDS = {
    owner: _("Owner"), category: _("Category"), root_cause: _("Root cause"), facts: _("Facts"),
    resolution: _("Resolution"), callback_outcome: _("Callback outcome"),
  };
  const CHOICES = new Set(["category", "root_cause"]); // picked from a managed list
  const TEXTS = new Set(["facts", "resolution", "callback_outcome"]);
  const STEP_STATES = { done: _("done"), current: _("current step"), todo: _("to do") };
  const SOURCES = {
    ivr: _("The caller chose “complaint” in the phone menu."),
    address: _("Written to the complaints address."),
    agent: _("Marked as a complaint by an agent."),
    classifier: _("Recognised as a complaint from the customer’s words."),
  };
  let kase = null; // the case as last read (null: none)
  let labels = { category: [], root_cause: [] };
  const C = window.TicketClocks; // the clocks card (ticket_clocks.js): the clocks as last read
  const drafts = {}; // field → what the agent typed, kept across re-reads and refusals
  const errors = {}; // field → the server's words about it
  let busy = false;

  const labelOf = (list, key) => ((labels[list] || []).find((item) => item.key === key) || {}).title || key;

  // ---- The fields a move needs ----
  function fieldValue(name) {
    if (Object.prototype.hasOwnProperty.call(drafts, name)) return drafts[name];
    const saved = kase && kase.fields ? kase.fields[name] : "";
    return saved === null || saved === undefined ? "" : String(saved);
  }

  function errorNode(name) {
    return el("p", { class: "field-error alert error", id: "case-error-" + name, role: "alert", hidden: !errors[name] },
      errors[name] || "");
  }

  function ownerNode() {
    const owner = kase.fields && kase.fields.owner;
    const name = owner ? (data.staff || {})[owner] || _("assigned") : "";
    return el("div", { class: "case-field", "data-field": "owner" },
      el("span", { class: "field-label" }, FIELDS.owner), " ",
      name ? el("strong", {}, name) : el("span", { class: "muted" }, _("Nobody yet: choose an assignee above.")),
      errorNode("owner"));
  }

  function inputNode(name) {
    const id = "case-field-" + name;
    const attrs = { id, name, "data-field": name, "aria-describedby": "case-error-" + name, "aria-invalid": errors[name] ? "true" : null };
    let input;
    if (CHOICES.has(name)) {
      input = el("select", attrs, el("option", { value: "" }, _("Choose…")),
        (labels[name] || []).map((item) => el("option", { value: item.key }, item.title)));
      input.value = fieldValue(name);
    } else {
      input = el("textarea", Object.assign(attrs, { rows: "3", maxlength: "4000" }));
      input.value = fieldValue(name);
    }
    return el("div", { class: "case-field", "data-field": name },
      el("label", { for: id, class: "field-label" }, FIELDS[name] || name), input, errorNode(name));
  }

  /** The fields any allowed move asks for, in the definition's order, then those filled in. */
  function wantedFields() {
    const wanted = [];
    for (const move of kase.next || []) {
      for (const name of move.requires || []) if (!wanted.includes(name)) wanted.push(name);
    }
    return wanted;
  }

  // ---- The panel ----
  function sourceNode() {
    const parts = [SOURCES[kase.source] || kase.source];
    if (kase.source === "classifier") {
      const confidence = kase.confidence === null || kase.confidence === undefined ? null : Math.round(kase.confidence * 100);
      const matched = (kase.matched || []).join(", ");
      if (confidence !== null) {
        parts.push(" ", matched
          ? _("Confidence {confidence}% — matched: {phrases}", { confidence, phrases: matched })
          : _("Confidence {confidence}%", { confidence }));
      }
      if (kase.state === "open") {
        parts.push(" ", el("button", { type: "button", id: "case-undo", onclick: undoClassification }, _("Not a complaint")));
      }
    }
    return el("p", { class: "case-source" }, parts);
  }

  function stepsNode() {
    return el("ol", { class: "case-steps", "aria-label": _("Steps") }, (kase.steps || []).map((step) =>
      el("li", { class: "step-" + step.state, "data-step": step.key, "aria-current": step.state === "current" ? "step" : null },
        el("span", { class: "step-mark", "aria-hidden": "true" }, step.state === "done" ? "✓" : step.state === "current" ? "●" : "○"),
        " ", step.title, " ", el("span", { class: "visually-hidden" }, "(" + (STEP_STATES[step.state] || step.state) + ")"))));
  }

  function countdownNode(clock) {
    return el("li", { class: "countdown", "data-clock": clock.id },
      el("span", {}, C.name(clock, true)), ": ",
      el("strong", { class: "left", "data-clock-left": clock.id }, D.clockText(clock, C.skew)),
      clock.due_at ? [" ", el("time", { class: "muted", datetime: clock.due_at }, "(" + CC.formatTime(clock.due_at) + ")")] : null);
  }

  function currentNode() {
    const step = (kase.steps || []).find((s) => s.state === "current") || {};
    const requires = (step.requires || []).map((name) => FIELDS[name] || name);
    const clocks = C.list();
    const running = clocks.filter((c) => c.kind === "step" && c.step === kase.step && (c.state === "running" || c.state === "paused"));
    const caseClocks = running.length ? running : clocks.filter((c) => c.kind === "step" && (c.state === "running" || c.state === "paused"));
    return el("div", { class: "case-current" },
      el("p", {}, el("span", { class: "field-label" }, _("Current step")), " ", el("strong", { id: "case-step" }, kase.step_title || kase.step),
        kase.state !== "open" ? [" ", el("span", { class: "badge" }, kase.state === "closed" ? _("Case closed") : _("Withdrawn"))] : null),
      requires.length
        ? el("p", {}, _("To leave this step: {fields}", { fields: requires.join(", ") }))
        : null,
      caseClocks.length ? el("ul", { class: "countdowns", "aria-label": _("Deadlines") }, caseClocks.map(countdownNode)) : null);
  }

  function movesNode() {
    const wanted = wantedFields();
    const fields = wanted.filter((name) => name !== "owner").filter((name) => CHOICES.has(name) || TEXTS.has(name));
    const buttons = (kase.next || []).map((move) => el("button", {
      type: "button", class: "primary", "data-move": move.key, onclick: () => moveTo(move.key),
    }, _("Move to {step}", { step: move.title })));
    if (fields.length) buttons.push(el("button", { type: "button", id: "case-save", onclick: save }, _("Save without moving")));
    return el("form", { id: "case-form", class: "case-form", novalidate: true, onsubmit: (event) => event.preventDefault() },
      wanted.includes("owner") ? ownerNode() : null,
      fields.map(inputNode),
      buttons.length ? el("p", { class: "case-buttons" }, buttons) : null);
  }

  function recordedNode() {
    const shown = Object.entries(kase.fields || {}).filter(([name, value]) =>
      name !== "owner" && value && !wantedFields().includes(name) && FIELDS[name]);
    if (!shown.length) return null;
    return el("dl", { class: "facts case-recorded" }, shown.flatMap(([name, value]) => [
      el("dt", {}, FIELDS[name]), el("dd", {}, CHOICES.has(name) ? labelOf(name, value) : String(value))]));
  }

  function historyNode() {
    const rows = (kase.history || []).map((h) => el("li", {},
      el("strong", {}, h.title || h.step), " ",
      el("time", { datetime: h.entered_at }, CC.formatTime(h.entered_at)),
      h.entered_by_name ? " · " + h.entered_by_name : ""));
    return el("details", { class: "case-history" }, el("summary", {}, _("Steps taken ({n})", { n: rows.length })),
      el("ol", {}, rows));
  }

  function drawCase() {
    const panel = $("case-panel");
    if (!kase) { panel.hidden = true; $("case-body").replaceChildren(); return; }
    // Keep the agent's place: the field in focus and where the caret was.
    const active = document.activeElement;
    const focused = active && panel.contains(active) ? (active.dataset.field || active.dataset.move || active.id) : null;
    const caret = active && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
    const historyOpen = panel.querySelector(".case-history[open]") !== null;
    $("case-body").replaceChildren(sourceNode(), stepsNode(), currentNode(), recordedNode() || "", movesNode(), historyNode());
    if (historyOpen) panel.querySelector(".case-history").open = true;
    panel.hidden = false;
    if (focused) {
      const again = panel.querySelector(`[data-field="${CSS.escape(focused)}"]:is(input,select,textarea), [data-move="${CSS.escape(focused)}"], #${CSS.escape(focused)}`);
      if (again) {
        again.focus();
        if (caret && typeof again.setSelectionRange === "function") again.setSelectionRange(caret[0], caret[1]);
      }
    }
  }

  // ---- Reading ----
  async function loadCase() {
    try {
      const answer = await CC.api("GET", base + "/case");
      kase = answer.case;
      labels = answer.labels || labels;
      C.setSteps(kase ? kase.steps || [] : []); // step clocks take the steps' titles
      drawCase();
    } catch (error) {
      if (error.status !== 404) showError(_("The complaint could not be loaded: {error}", { error: error.message }));
    }
  }

  function showError(text) {
    $("case-error").textContent = text;
    $("case-error").hidden = !text;
  }

  // ---- Writing ----
  function collected(names) {
    const fields = {};
    for (const name of names) {
      if (name === "owner") continue;
      const value = fieldValue(name).trim();
      if (value) fields[name] = value;
    }
    return fields;
  }

  function refused(error) {
    for (const key of Object.keys(errors)) delete errors[key];
    if (error.status === 422 && error.field) {
      errors[error.field] = error.message;
      drawCase();
      const field = document.querySelector(`#case-form [data-field="${CSS.escape(error.field)}"]:is(select,textarea,input)`);
      if (field) field.focus();
      showError(error.field in FIELDS ? "" : error.message);
    } else {
      drawCase();
      showError(error.status === 409
        ? _("This move is not possible now: {error}", { error: error.message })
        : _("Not done: {error}", { error: error.message }));
    }
  }

  async function moveTo(step) {
    if (busy || !kase) return;
    busy = true;
    showError("");
    const move = (kase.next || []).find((m) => m.key === step) || {};
    try {
      const answer = await CC.api("POST", base + "/case/moves", { to: step, fields: collected(wantedFields()) });
      for (const name of Object.keys(drafts)) delete drafts[name]; // sent with the move, now saved
      for (const key of Object.keys(errors)) delete errors[key];
      kase = answer.case || kase;
      drawCase();
      $("case-status").textContent = _("Moved to {step}.", { step: move.title || step });
      C.load();
    } catch (error) {
      refused(error);
    } finally {
      busy = false;
    }
  }

  async function save() {
    if (busy || !kase) return;
    busy = true;
    showError("");
    try {
      const answer = await CC.api("PATCH", base + "/case", { fields: collected(wantedFields()) });
      for (const name of Object.keys(drafts)) delete drafts[name];
      kase = (answer && answer.case) || kase;
      drawCase();
      $("case-status").textContent = _("Saved.");
    } catch (error) {
      refused(error);
    } finally {
      busy = false;
    }
  }

  async function undoClassification() {
    try {
      await CC.api("POST", base + "/classification/undo");
      // Said beside the ticket's controls: the panel goes once the case is withdrawn.
      document.querySelector("#ticket-controls .control-status").textContent = _("Not a complaint: the case was withdrawn.");
      loadCase();
      C.load();
      if (window.TicketPage) { window.TicketPage.loadTimeline(); window.TicketPage.loadSummary(); }
    } catch (error) {
      showError(_("Not done: {error}", { error: error.message }));
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const panel = $("case-panel");
    panel.addEventListener("input", (event) => {
      const name = event.target.dataset.field;
      if (!name) return;
      drafts[name] = event.target.value;
      if (errors[name]) {
        delete errors[name];
        const note = $("case-error-" + name);
        if (note) note.hidden = true;
        event.target.removeAttribute("aria-invalid");
      }
    });
    panel.addEventListener("change", (event) => {
      if (event.target.dataset.field) drafts[event.target.dataset.field] = event.target.value;
    });

    let timer = null;
    let withCase = false;
    function schedule(caseToo) {
      withCase = withCase || caseToo;
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (withCase) loadCase();
        C.load();
        withCase = false;
      }, 200);
    }
    const mine = (event) => String(event.ticket_id) === ticketId;
    CC.live.on("case.updated", (event) => { if (mine(event)) schedule(true); });
    // The owner is the ticket's assignee: a change of assignee (or kind) changes what is missing.
    CC.live.on("ticket.updated", (event) => { if (mine(event)) schedule(true); });
    for (const name of ["clock.updated", "deadline.warned", "deadline.breached", "message.received", "reply.queued"]) {
      CC.live.on(name, (event) => { if (mine(event)) schedule(false); });
    }
    CC.live.on("reload", () => schedule(true));
    C.onChange(() => { if (kase) drawCase(); });
    loadCase();
    C.load();
  });
})();
