// The supervisor's board: queues (waiting work by channel, longest wait, service level and
// abandoned calls today), the waiting items and the agents with state, time in state and load.
// Drawn from GET /api/v1/routing/board, re-read on routing events (a burst is one request);
// waits and times in state tick every second between reads. A supervisor gives an item to an
// agent (POST /api/v1/routing/items/{id}/assign) or changes an agent's state
// (PUT /api/v1/agents/{id}/presence) from the rows.
"use strict";

(function () {
  const CC = window.CC;
  const _ = CC.t;
  const el = CC.el;
  const P = window.CCPresence;
  const CHANNELS = {
    voice: _("Phone call"), sms: _("SMS"), email: _("Email"), web: _("Walk-in or web"), callback: _("Callback"),
  };
  const ITEM_STATES = { waiting: _("Waiting"), queued: _("Waiting"), offered: _("Offered"), assigned: _("Assigned") };
  const ORDER = ["available", "busy", "away", "offline"];
  const EVENTS = [
    "item.queued", "item.assigned", "item.ended", "offer.made", "offer.accepted", "offer.rejected",
    "offer.expired", "offer.withdrawn", "agent.updated", "call.updated", "queue.updated",
  ];

  /** 75 → "1:15", 3725 → "1:02:05", 200000 → "2 d 7 h". */
  function duration(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    if (s >= 86400) return _("{d} d {h} h", { d: Math.floor(s / 86400), h: Math.floor((s % 86400) / 3600) });
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const pad = (n) => String(n).padStart(2, "0");
    return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const queuesBox = document.getElementById("board-queues");
    if (!queuesBox) return;
    const items = document.querySelector("#board-items tbody");
    const agents = document.querySelector("#board-agents tbody");
    const status = document.getElementById("board-status");
    let board = { queues: [], agents: [] };
    let readAt = Date.now();
    let serverSkew = 0; // server clock − ours, from the board's own "now" when it gives one

    const elapsed = () => (Date.now() - readAt) / 1000;
    const since = (iso) => (Date.now() + serverSkew - Date.parse(iso)) / 1000;

    function figure(label, value, attrs) {
      return el("div", {}, el("dt", {}, label), el("dd", attrs || {}, value));
    }

    function queueCard(queue) {
      const waiting = Object.entries(queue.waiting || {}).filter(([, n]) => n > 0);
      const total = waiting.reduce((sum, [, n]) => sum + n, 0);
      const level = queue.service_level_today;
      return el("article", { class: "card board-queue", "data-queue": queue.name },
        el("h3", {}, queue.label || queue.name),
        el("dl", { class: "figures" },
          figure(_("Waiting"), String(total), { "data-figure": "waiting" }),
          figure(_("Longest wait"), total ? duration(queue.longest_wait_seconds || 0) : "—",
            { "data-figure": "longest", "data-base": total ? queue.longest_wait_seconds || 0 : "" }),
          figure(_("Service level today"), level === null || level === undefined ? "—" : Math.round(level * 100) + " %",
            { "data-figure": "service-level" }),
          figure(_("Calls answered today"), String(queue.answered_today || 0), { "data-figure": "answered" }),
          figure(_("Abandoned calls today"), String(queue.abandoned_today || 0), { "data-figure": "abandoned" })),
        waiting.length
          ? el("ul", { class: "channels", "aria-label": _("Waiting by channel") }, waiting.map(([channel, n]) =>
            el("li", { class: "badge" }, `${CHANNELS[channel] || channel}: ${n}`)))
          : el("p", { class: "muted" }, _("Nothing waiting.")));
    }

    // Every agent, those who can take work first; the others say their state.
    function agentChoices(selected) {
      const sorted = [...board.agents].sort((a, b) => ORDER.indexOf(a.presence) - ORDER.indexOf(b.presence));
      return sorted.map((a) => el("option", { value: a.user_id, selected: a.user_id === selected },
        a.presence === "available" ? a.name : _("{agent} ({state})", { agent: a.name, state: P.STATES[a.presence] })));
    }

    function assignForm(item) {
      if (!board.agents.length) return "—";
      const select = el("select", { name: "user_id", "aria-label": _("Agent for {customer}", { customer: item.customer_name || "" }) },
        agentChoices(item.offered_to));
      return el("form", { class: "row-action", onsubmit: (event) => { event.preventDefault(); assign(item.id, select.value); } },
        select, el("button", { type: "submit" }, _("Assign")));
    }

    function itemRow(item, queue) {
      const offeredTo = board.agents.find((a) => a.user_id === item.offered_to);
      const state = ITEM_STATES[item.state] || item.state;
      return el("tr", { "data-id": item.id },
        el("td", {}, queue.label || queue.name),
        el("td", {}, CHANNELS[item.channel] || item.channel || CHANNELS[item.kind] || item.kind),
        el("td", {}, item.customer_name || _("Unknown caller")),
        el("td", { class: "wait", "data-base": item.waited_seconds || 0 }, duration(item.waited_seconds || 0)),
        el("td", {}, offeredTo ? _("{state} to {agent}", { state, agent: offeredTo.name }) : state),
        el("td", {}, assignForm(item)));
    }

    function presenceForm(agent) {
      const select = el("select", { name: "presence", "aria-label": _("New state for {agent}", { agent: agent.name }) },
        ORDER.map((p) => el("option", { value: p, selected: p === agent.presence }, P.STATES[p])));
      return el("form", { class: "row-action", onsubmit: (event) => { event.preventDefault(); setPresence(agent.user_id, select.value); } },
        select, el("button", { type: "submit" }, _("Set")));
    }

    function loadCell(agent, workload) {
      const load = (agent.load || {})[workload] || 0;
      const capacity = (agent.capacity || {})[workload] || 0;
      return el("td", { class: load >= capacity && capacity > 0 ? "load-full" : "" }, `${load} / ${capacity}`);
    }

    function agentRow(agent) {
      return el("tr", { "data-id": agent.user_id, "data-presence": agent.presence },
        el("th", { scope: "row" }, agent.name),
        el("td", { class: "state-" + agent.presence }, P.stateLabel(agent.presence, agent.reason)),
        el("td", { class: "wait", "data-since": agent.since || "" }, agent.since ? duration(since(agent.since)) : "—"),
        loadCell(agent, "voice"), loadCell(agent, "messaging"),
        el("td", {}, presenceForm(agent)));
    }

    // Replace a table's rows, but keep the form the supervisor is using where it is.
    function replaceRows(body, rows, empty) {
      const focused = document.activeElement && body.contains(document.activeElement)
        ? document.activeElement.closest("tr") : null;
      if (focused) {
        const fresh = rows.find((row) => row.dataset.id === focused.dataset.id);
        if (fresh) fresh.lastElementChild.replaceChildren(...focused.lastElementChild.childNodes);
      }
      body.replaceChildren(...(rows.length ? rows : [el("tr", { class: "empty" }, el("td", { colspan: "6" }, empty))]));
    }

    function draw() {
      queuesBox.replaceChildren(...board.queues.map(queueCard));
      queuesBox.setAttribute("aria-busy", "false");
      const waiting = board.queues.flatMap((q) => (q.items || []).map((item) => ({ item, queue: q })));
      waiting.sort((a, b) => (b.item.waited_seconds || 0) - (a.item.waited_seconds || 0));
      replaceRows(items, waiting.map(({ item, queue }) => itemRow(item, queue)), _("Nothing waiting."));
      const sorted = [...board.agents].sort((a, b) =>
        ORDER.indexOf(a.presence) - ORDER.indexOf(b.presence) || a.name.localeCompare(b.name));
      replaceRows(agents, sorted.map(agentRow), _("No agents yet."));
    }

    function tick() {
      const gone = elapsed();
      for (const node of document.querySelectorAll("#board-items td.wait, [data-figure=longest]")) {
        if (node.dataset.base !== "") node.textContent = duration(Number(node.dataset.base) + gone);
      }
      for (const node of document.querySelectorAll("#board-agents td[data-since]")) {
        if (node.dataset.since) node.textContent = duration(since(node.dataset.since));
      }
    }

    let running = false;
    let again = false;
    let timer = null;
    async function refresh() {
      if (running) { again = true; return; }
      running = true;
      try {
        board = await CC.api("GET", "/api/v1/routing/board");
        readAt = Date.now();
        if (board.now) serverSkew = Date.parse(board.now) - readAt;
        draw();
        status.textContent = "";
      } catch (error) {
        status.textContent = _("Could not read the board; it will try again on the next change.");
      } finally {
        running = false;
        if (again) { again = false; schedule(); }
      }
    }
    function schedule() {
      if (timer) return;
      timer = setTimeout(() => { timer = null; refresh(); }, 250);
    }

    async function act(method, url, body, done) {
      try {
        await CC.api(method, url, body);
        status.textContent = done;
      } catch (error) {
        status.textContent = _("Not done: {error}", { error: error.message });
      }
      schedule();
    }
    function assign(itemId, userId) {
      if (!userId) return;
      act("POST", `/api/v1/routing/items/${encodeURIComponent(itemId)}/assign`, { user_id: userId }, _("Assigned."));
    }
    function setPresence(userId, presence) {
      act("PUT", `/api/v1/agents/${encodeURIComponent(userId)}/presence`,
        { presence, reason: presence === "away" ? "supervisor" : "" }, _("State changed."));
    }

    for (const name of EVENTS) CC.live.on(name, schedule);
    CC.live.on("reload", schedule);
    setInterval(tick, 1000);
    // Service levels and today's figures also move with the clock, not only with events.
    setInterval(schedule, 60000);
    refresh();
  });
})();
