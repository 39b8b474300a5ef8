// The ticket page's clocks card, on every ticket: first response, next update, resolution and
// step deadlines with their state (at risk, breached), the time left and the due time, and the
// clock event log (started, paused, resumed, warned, breached, met) collapsed under it. Read
// from GET .../clocks; the complaint panel (ticket_case.js) reads it again on its events and
// draws its countdowns from the clocks kept here (window.TicketClocks). Every countdown on the
// page ([data-clock-left]) ticks each second, on the server's clock.
"use strict";

(function () {
  const CC = window.CC;
  const _ = CC.t;
  const el = CC.el;
  const D = window.CCDeadlines;
  const $ = (id) => document.getElementById(id);
  const data = JSON.parse($("ticket-data").textContent);
  const base = "/api/v1/tickets/" + encodeURIComponent(String(data.ticket_id));
  const skew = Date.parse(data.server_now) - Date.now() || 0; // the server's clock − ours
  const STATES = { running: _("Running"), paused: _("Paused"), met: _("Met"), cancelled: _("Cancelled") };
  const EVENTS = {
    started: _("started"), paused: _("paused"), resumed: _("resumed"), warned: _("warned"),
    breached: _("breached"), met: _("met"), cancelled: _("cancelled"),
  };

  let clocks = [];
  let events = [];
  let steps = []; // the case's steps, for step clocks' titles in the page's language
  const listeners = [];

  /** A clock's name; a step's deadline named by the step's title (`bare`: the title alone). */
  function name(clock, bare) {
    const step = clock.kind === "step" ? steps.find((s) => s.key === clock.step) : null;
    if (!step) return D.clockLabel(clock);
    return bare ? step.title : _("Step: {step}", { step: step.title });
  }

  function clockRow(clock) {
    const flags = [];
    if (clock.breached_at) flags.push(el("span", { class: "badge danger" }, _("Breached")));
    else if (clock.warned_at && (clock.state === "running" || clock.state === "paused")) flags.push(el("span", { class: "badge" }, _("At risk")));
    return el("tr", { "data-clock": clock.id, class: "clock-" + clock.state + (clock.breached_at ? " breached" : "") },
      el("th", { scope: "row" }, name(clock)),
      el("td", {}, STATES[clock.state] || clock.state, " ", flags),
      el("td", { class: "left", "data-clock-left": clock.id }, D.clockText(clock, skew)),
      el("td", {}, clock.due_at ? el("time", { datetime: clock.due_at }, CC.formatTime(clock.due_at)) : "—"));
  }

  function eventRow(event) {
    return el("li", {}, el("time", { datetime: event.at }, CC.formatTime(event.at)), " · ",
      name(event), " ", el("strong", {}, EVENTS[event.event] || event.event));
  }

  function draw() {
    const box = $("clocks-body");
    box.setAttribute("aria-busy", "false");
    if (!clocks.length) {
      box.replaceChildren(el("p", { class: "muted" }, _("No clocks on this ticket.")));
      return;
    }
    const open = box.querySelector("details[open]") !== null;
    const log = el("details", { class: "clock-log" },
      el("summary", {}, _("Clock log ({n})", { n: events.length })),
      el("ol", {}, [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).map(eventRow)));
    if (open) log.open = true;
    box.replaceChildren(
      el("table", { class: "list clock-list" },
        el("caption", { class: "visually-hidden" }, _("The ticket's clocks and their state")),
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, _("Clock")), el("th", { scope: "col" }, _("State")),
          el("th", { scope: "col" }, _("Time left")), el("th", { scope: "col" }, _("Due")))),
        el("tbody", {}, clocks.map(clockRow))),
      log);
  }

  async function load() {
    try {
      const answer = await CC.api("GET", base + "/clocks");
      clocks = answer.clocks || [];
      events = answer.events || [];
      draw();
      for (const fn of listeners) fn();
    } catch (error) {
      $("clocks-body").replaceChildren(el("p", { class: "muted" }, error.status === 404
        ? _("No clocks on this ticket.") : _("The clocks could not be loaded: {error}", { error: error.message })));
    }
  }

  // Countdowns move every second between reads (only their words change).
  function tick() {
    for (const node of document.querySelectorAll("[data-clock-left]")) {
      const clock = clocks.find((c) => String(c.id) === node.dataset.clockLeft);
      if (clock && clock.state === "running") node.textContent = D.clockText(clock, skew);
    }
  }

  window.TicketClocks = {
    skew,
    name,
    load,
    list: () => clocks,
    onChange: (fn) => listeners.push(fn),
    setSteps(given) { steps = given; if (clocks.length) draw(); },
  };

  document.addEventListener("DOMContentLoaded", () => setInterval(tick, 1000));
})();
