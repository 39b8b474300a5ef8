// My callbacks on the inbox: open callback tasks (after a hang-up in the queue, a voicemail, a
// key account's issue) with their due time counting down, overdue ones marked, the customer and
// the reason. "Call now" dials the customer from the service's number; "Done" records the
// outcome. Read from GET /api/v1/callbacks?state=open (mine and unassigned) and again on callback.* events.
"use strict";

(function () {
  const CC = window.CC;
  const _ = CC.t;
  const el = CC.el;
  const REASONS = {
    abandoned: _("Hung up while waiting"), voicemail: _("Voicemail"), manual: _("Asked for a call back"),
  };
  const OUTCOMES = {
    reached: _("Reached the customer"), no_answer: _("No answer"), voicemail_left: _("Left a voicemail"),
    wrong_number: _("Wrong number"), not_needed: _("No longer needed"),
  };

  /** "in 1 h 05 min", "3 min overdue": how far a due time is, in words. */
  function dueText(seconds) {
    const minutes = Math.round(Math.abs(seconds) / 60);
    const span = minutes >= 60
      ? _("{h} h {m} min", { h: Math.floor(minutes / 60), m: String(minutes % 60).padStart(2, "0") })
      : _("{m} min", { m: minutes });
    return seconds >= 0 ? _("due in {span}", { span }) : _("{span} overdue", { span });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const box = document.getElementById("callbacks");
    if (!box) return;
    const list = document.getElementById("callbacks-list");
    const status = document.getElementById("callbacks-status");
    const me = document.body.dataset.userId;
    let tasks = [];

    const customerName = (task) => (task.customer && task.customer.name) || task.customer_name || _("Unknown caller");

    function doneForm(task) {
      const outcome = el("select", { name: "outcome", "aria-label": _("Outcome for {customer}", { customer: customerName(task) }) },
        Object.entries(OUTCOMES).map(([value, label]) => el("option", { value }, label)));
      const note = el("input", { name: "note", maxlength: "500", placeholder: _("Note (optional)"),
        "aria-label": _("Note for {customer}", { customer: customerName(task) }) });
      return el("form", { onsubmit: (event) => { event.preventDefault(); finish(task, outcome.value, note.value); } },
        outcome, note, el("button", { type: "submit" }, _("Done")));
    }

    function item(task) {
      const left = (Date.parse(task.due_at) - Date.now()) / 1000;
      const ticket = task.ticket_id
        ? el("a", { href: "/tickets/" + encodeURIComponent(task.ticket_id) }, task.ticket_number ? "#" + task.ticket_number : _("Ticket"))
        : null;
      return el("li", { "data-id": task.id, class: left < 0 ? "overdue" : null },
        el("span", { class: "who" }, customerName(task), " ",
          task.key_account || (task.customer && task.customer.key_account) ? el("span", { class: "badge key" }, _("Key account")) : null),
        el("span", { class: "due", "data-due": task.due_at },
          left < 0 ? el("span", { class: "badge danger" }, _("Overdue")) : null, " ", dueText(left), " ",
          el("time", { datetime: task.due_at, class: "muted" }, CC.formatTime(task.due_at))),
        task.phone ? el("span", { class: "nowrap" }, task.phone) : null,
        el("span", { class: "reason" }, REASONS[task.reason] || task.reason || ""),
        ticket,
        el("span", { class: "actions" },
          el("button", { type: "button", class: "primary", onclick: () => dial(task) }, _("Call now")),
          doneForm(task)));
    }

    function draw() {
      box.hidden = false;
      document.getElementById("callbacks-count").textContent = String(tasks.length);
      const focused = document.activeElement && list.contains(document.activeElement);
      if (focused) return; // the agent is filling in an outcome; the next read redraws
      tasks.sort((a, b) => Date.parse(a.due_at) - Date.parse(b.due_at));
      list.replaceChildren(...(tasks.length ? tasks.map(item) : [el("li", { class: "muted" }, _("No callbacks due."))]));
    }

    async function load() {
      try {
        // Mine and nobody's yet (routing offers those, but anyone may take one from here).
        const answer = await CC.api("GET", "/api/v1/callbacks?state=open&limit=200");
        tasks = answer.callbacks.filter((task) => !task.assignee_id || String(task.assignee_id) === me);
        draw();
      } catch (error) {
        if (error.status === 403 || error.status === 404) box.hidden = true;
        else status.textContent = _("Could not read your callbacks.");
      }
    }

    async function dial(task) {
      status.textContent = _("Calling {customer}…", { customer: customerName(task) });
      try {
        await CC.api("POST", `/api/v1/callbacks/${encodeURIComponent(task.id)}/dial`);
        status.textContent = _("Call to {customer} started.", { customer: customerName(task) });
      } catch (error) {
        status.textContent = _("Not done: {error}", { error: error.message });
      }
    }

    async function finish(task, outcome, note) {
      try {
        await CC.api("POST", `/api/v1/callbacks/${encodeURIComponent(task.id)}/done`, { outcome, note });
        status.textContent = _("Callback to {customer} done.", { customer: customerName(task) });
        if (document.activeElement) document.activeElement.blur();
        load();
      } catch (error) {
        status.textContent = _("Not done: {error}", { error: error.message });
      }
    }

    // Due times move on by themselves: the words and the overdue marks follow each minute.
    setInterval(() => { if (!list.contains(document.activeElement)) draw(); }, 30000);
    CC.live.on("callback.created", load);
    CC.live.on("callback.updated", load);
    CC.live.on("reload", load);
    load();
  });
})();
