// Deadlines on every staff page: how far a due time is, in words (shared with the ticket page,
// the supervisor's board and the inbox through window.CCDeadlines), and the owner's notices: a
// deadline.warned event for a ticket assigned to this user, or a deadline.breached event seen by
// a supervisor, shows a notice that links to the ticket; an account.at_risk event tells the
// account's manager, linking to the complaint that tipped it. Notices are not modal: they wait in
// a corner until closed and never take the focus from what the person is typing.
"use strict";

(function () {
  const CC = window.CC;
  const _ = CC.t;
  const el = CC.el;
  const MAX_NOTICES = 3; // the newest; the board and "My deadlines" list them all

  /** 4800 → "1 h 20 min", 300 → "5 min", 200000 → "2 d 7 h". */
  function span(seconds) {
    const minutes = Math.max(0, Math.round(Math.abs(seconds) / 60));
    if (minutes >= 1440) {
      return _("{d} d {h} h", { d: Math.floor(minutes / 1440), h: Math.floor((minutes % 1440) / 60) });
    }
    if (minutes >= 60) return _("{h} h {m} min", { h: Math.floor(minutes / 60), m: minutes % 60 });
    if (minutes === 0) return _("less than a minute");
    return _("{m} min", { m: minutes });
  }

  /** "due in 1 h 20 min" or "overdue by 5 min", for seconds left (negative, or `overdue`:
   *  past due). */
  function dueText(seconds, overdue) {
    return seconds >= 0 && !overdue
      ? _("due in {span}", { span: span(seconds) }) : _("overdue by {span}", { span: span(seconds) });
  }

  /** The name of a clock as the server gives it in the reader's language (a step clock by
   *  its step's title). */
  function clockLabel(clock) {
    return clock.label || clock.step || clock.kind || "";
  }

  /**
   * Seconds left on a clock at this moment: a running clock counts down to its due time on the
   * wall clock (the server already placed it in business time); a paused one keeps what it had.
   * `skew` is the server's clock minus ours, in milliseconds.
   */
  function secondsLeft(clock, skew) {
    if (clock.state === "running" && clock.due_at) {
      const left = (Date.parse(clock.due_at) - (Date.now() + (skew || 0))) / 1000;
      return clock.breached_at ? Math.min(left, 0) : left; // the server said it is overdue
    }
    return clock.remaining_seconds === null || clock.remaining_seconds === undefined ? null : clock.remaining_seconds;
  }

  /** The words for a clock's countdown: running, paused, met or cancelled. */
  function clockText(clock, skew) {
    const left = secondsLeft(clock, skew);
    if (clock.state === "running") return left === null ? _("running") : dueText(left, Boolean(clock.breached_at));
    if (clock.state === "paused") {
      if (left === null) return _("paused");
      return left >= 0 ? _("paused, {span} left", { span: span(left) }) : _("paused, overdue by {span}", { span: span(left) });
    }
    if (clock.state === "met") return clock.breached_at ? _("met late") : _("met in time");
    if (clock.state === "cancelled") return _("no longer needed");
    return clock.state || "";
  }

  async function fetchDeadlines(scope) {
    const url = (state) => "/api/v1/deadlines?scope=" + encodeURIComponent(scope) + "&state=" + state;
    const [breached, warned] = await Promise.all([CC.api("GET", url("breached")), CC.api("GET", url("warned"))]);
    const seen = new Set();
    return [...(breached.deadlines || []), ...(warned.deadlines || [])].filter((d) => {
      if (seen.has(d.id)) return false;
      seen.add(d.id);
      return true;
    });
  }

  // One read per scope at a time: the notices and the lists of a page share it, so a burst of
  // deadline events is one pair of requests, not one per event and reader.
  const reading = new Map();

  /** Deadlines overdue and at risk (scope "mine" or "all"), overdue first: the API answers one
   *  state at a time. A read already under way is shared. */
  function readDeadlines(scope) {
    if (!reading.has(scope)) {
      reading.set(scope, fetchDeadlines(scope).finally(() => reading.delete(scope)));
    }
    return reading.get(scope);
  }

  window.CCDeadlines = { clockLabel, clockText, readDeadlines };

  // ---- Notices for the owner (warned) and the supervisors (breached) ----
  document.addEventListener("DOMContentLoaded", () => {
    const box = document.getElementById("deadline-notices");
    if (!box) return;
    const me = document.body.dataset.userId;
    const role = document.body.dataset.userRole;
    const supervising = role === "supervisor" || role === "admin";
    const shown = new Set(); // "clock id:event": one notice per warning or breach

    function close(notice) {
      notice.remove();
      box.hidden = !box.children.length;
    }

    function show(key, kind, text, ticketId) {
      if (shown.has(key)) return;
      shown.add(key);
      const notice = el("div", { class: "deadline-notice " + kind, role: kind === "breached" ? "alert" : "status", "data-key": key },
        el("a", { href: "/tickets/" + encodeURIComponent(ticketId) }, text), " ",
        el("button", { type: "button", class: "link", "aria-label": _("Close the notice: {text}", { text }) }, "×"));
      notice.querySelector("button").addEventListener("click", () => close(notice));
      box.append(notice);
      while (box.children.length > MAX_NOTICES) box.firstElementChild.remove();
      box.hidden = false;
    }

    // The event names the clock, and says its ticket's number and label when the server put
    // them in; only an event without them reads the deadlines list (a shared read).
    async function describe(event, scope) {
      let found = null;
      if (!event.ticket_number || !event.label) {
        try {
          found = (await readDeadlines(scope)).find((d) => String(d.id) === String(event.clock_id)) || null;
        } catch (error) {
          found = null;
        }
      }
      const number = event.ticket_number || (found && found.ticket_number);
      const ticket = number ? "#" + number : _("a ticket");
      const label = event.label || clockLabel(found || event);
      const due = event.due_at || (found && found.due_at);
      const breached = Boolean(found && found.breached_at) || Boolean(due && Date.parse(due) <= Date.now());
      return { ticket, label, due, breached };
    }

    CC.live.on("deadline.warned", async (event) => {
      if (!event.assignee_id || String(event.assignee_id) !== me) return;
      const { ticket, label, due, breached } = await describe(event, "mine");
      if (breached) return; // overdue already (a scan after downtime fires both): that notice says more
      const left = due ? (Date.parse(due) - Date.now()) / 1000 : null;
      const text = left === null
        ? _("Ticket {ticket}: {step} is at risk", { ticket, step: label })
        : _("Ticket {ticket}: {step} {due}", { ticket, step: label, due: dueText(left) });
      show(event.clock_id + ":warned", "warned", text, event.ticket_id);
    });

    CC.live.on("deadline.breached", async (event) => {
      const mine = event.assignee_id && String(event.assignee_id) === me;
      if (!supervising && !mine) return;
      const { ticket, label } = await describe(event, supervising ? "all" : "mine");
      show(event.clock_id + ":breached", "breached",
        _("Ticket {ticket}: {step} is overdue and was escalated", { ticket, step: label }), event.ticket_id);
    });

    CC.live.on("account.at_risk", (event) => {
      if (!event.account_manager_id || String(event.account_manager_id) !== me) return;
      const text = _("{account} is at risk: {complaints} complaints within {days} days", {
        account: event.account_name || _("An account"), complaints: event.complaints, days: event.days,
      });
      show("risk:" + event.account_id + ":" + event.ticket_id, "warned", text, event.ticket_id);
    });
  });
})();
