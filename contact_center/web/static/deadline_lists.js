// Deadlines at risk and overdue as a table: on the supervisor's board every one (escalated
// first), on the inbox the agent's own ("My deadlines"). Read from
// GET /api/v1/deadlines?scope=all|mine (state=breached and state=warned), re-read on deadline
// and clock events (a burst is one read, shared with the page's notices); the time left or
// overdue ticks every 30 seconds between reads.
"use strict";

(function () {
  const CC = window.CC;
  const _ = CC.t;
  const el = CC.el;
  const D = window.CCDeadlines;
  const FIRST_ROWS = 5;
  const EVENTS = ["deadline.warned", "deadline.breached", "clock.updated", "case.updated", "ticket.updated"];

  const escalated = (d) => Boolean(d.breached_at) || (d.state === "running" && d.due_at && Date.parse(d.due_at) <= Date.now());

  function stateCell(d) {
    return escalated(d)
      ? el("span", { class: "badge danger" }, _("Escalated"))
      : el("span", { class: "badge" }, _("At risk"));
  }

  function row(d, withOwner) {
    const ticket = el("a", { href: "/tickets/" + encodeURIComponent(d.ticket_id) },
      "#" + d.ticket_number + (d.subject ? " " + d.subject : ""));
    return el("tr", { "data-clock": d.id, class: escalated(d) ? "breached" : "warned" },
      el("td", {}, ticket),
      el("td", {}, d.customer_name || "", d.key_account ? el("span", { class: "badge key" }, _("Key account")) : null),
      withOwner ? el("td", {}, d.assignee_name || el("span", { class: "muted" }, _("Unassigned"))) : null,
      el("td", {}, D.clockLabel(d)),
      el("td", {}, stateCell(d)),
      el("td", { class: "left" }, D.clockText(d)),
      el("td", { class: "due" }, d.due_at ? el("time", { datetime: d.due_at }, CC.formatTime(d.due_at)) : "—"));
  }

  function mount(box, scope, withOwner) {
    const body = box.querySelector("tbody");
    const status = box.querySelector("[role=status]");
    const count = box.querySelector(".count");
    let deadlines = [];
    let timer = null;
    let expanded = false;
    // A long list (a morning after a holiday) shows its most urgent rows; the rest on request.
    const more = el("button", { type: "button", class: "link", hidden: true, "aria-expanded": "false" });
    more.addEventListener("click", () => { expanded = !expanded; draw(); });
    box.append(el("p", { class: "more" }, more));

    function draw() {
      deadlines.sort((a, b) => Number(escalated(b)) - Number(escalated(a))
        || (Date.parse(a.due_at || "") || 0) - (Date.parse(b.due_at || "") || 0));
      const columns = withOwner ? 7 : 6;
      const shown = expanded ? deadlines : deadlines.slice(0, FIRST_ROWS);
      body.replaceChildren(...(deadlines.length
        ? shown.map((d) => row(d, withOwner))
        : [el("tr", { class: "empty" }, el("td", { colspan: String(columns) }, _("No deadlines at risk.")))]));
      if (count) count.textContent = String(deadlines.length);
      more.hidden = deadlines.length <= FIRST_ROWS;
      more.setAttribute("aria-expanded", String(expanded));
      more.textContent = expanded ? _("Show the first {n} only", { n: FIRST_ROWS }) : _("Show all {n}", { n: deadlines.length });
      box.hidden = false;
    }

    let running = false;
    let again = false;

    async function load() {
      if (running) { again = true; return; } // one read at a time; a change meanwhile reads once more
      running = true;
      try {
        // Only those at risk or overdue: a met or cancelled clock is no one's worry.
        deadlines = (await D.readDeadlines(scope)).filter((d) => d.state === "running" || d.state === "paused");
        status.textContent = "";
        draw();
      } catch (error) {
        if (error.status === 403 || error.status === 404) box.hidden = true;
        else status.textContent = _("Could not read the deadlines; they will be read again on the next change.");
      } finally {
        running = false;
        if (again) { again = false; schedule(); }
      }
    }

    function schedule() {
      // A burst of events (a busy minute, a scan after downtime) becomes one read: the first
      // event sets the timer, the rest of the burst finds it set (as the inbox does).
      if (timer) return;
      timer = setTimeout(() => { timer = null; load(); }, 500);
    }

    for (const name of EVENTS) CC.live.on(name, schedule);
    CC.live.on("reload", schedule);
    setInterval(draw, 30000);
    load();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const board = document.getElementById("deadlines-board");
    if (board) mount(board, "all", true);
    const mine = document.getElementById("my-deadlines");
    if (mine) mount(mine, "mine", false);
  });
})();
