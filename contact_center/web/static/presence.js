// The presence switch in the top bar: the signed-in agent's state (available, busy, away with a
// reason, offline) from GET /api/v1/me/presence, changed with PUT, and kept current by
// agent.updated events — also when a supervisor changes it or the routing engine sets the
// agent away after missed offers. Users who take no work (no agent state) do not see it.
"use strict";

(function () {
  const CC = window.CC;
  const _ = CC.t;
  const REASONS = ["break", "lunch", "meeting", "training", "other"];
  const STATES = {
    available: _("Available"), busy: _("Busy"), away: _("Away"), offline: _("Offline"),
  };
  const REASON_LABELS = {
    break: _("Break"), lunch: _("Lunch"), meeting: _("Meeting"), training: _("Training"),
    other: _("Other"), "missed offers": _("Missed offers"), supervisor: _("Set by a supervisor"),
  };

  /** A reason as people read it: the known codes translated, anything else as written. */
  function reasonLabel(reason) {
    return REASON_LABELS[reason] || reason || "";
  }

  /** "Away · Missed offers" or "Available": a state and its reason, for lists and notes. */
  function stateLabel(presence, reason) {
    const state = STATES[presence] || presence;
    return reason && presence === "away" ? _("{state} · {reason}", { state, reason: reasonLabel(reason) }) : state;
  }

  window.CCPresence = { STATES, REASON_LABELS, reasonLabel, stateLabel };

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("presence");
    if (!form) return;
    const state = form.elements.presence;
    const reason = form.elements.reason;
    const reasonBox = form.querySelector(".presence-reason");
    const note = document.getElementById("presence-note");
    const me = document.body.dataset.userId;
    let current = null;

    function show(agent) {
      current = agent;
      form.hidden = false;
      form.dataset.state = agent.presence;
      document.body.dataset.presence = agent.presence;
      if (document.activeElement !== state) state.value = agent.presence;
      const away = agent.presence === "away";
      reasonBox.hidden = !away;
      if (away && REASONS.includes(agent.reason) && document.activeElement !== reason) reason.value = agent.reason;
      // A reason the switch does not offer (the engine's, a supervisor's) is still said.
      note.textContent = away && !REASONS.includes(agent.reason) ? reasonLabel(agent.reason) : "";
      state.title = agent.since ? _("Since {time}", { time: CC.formatTime(agent.since) }) : "";
      document.dispatchEvent(new CustomEvent("cc:presence", { detail: agent }));
    }

    async function load() {
      try {
        show(await CC.api("GET", "/api/v1/me/presence"));
      } catch (error) {
        if (error.status === 403 || error.status === 404) form.hidden = true; // takes no work
      }
    }

    async function save() {
      const body = { presence: state.value, reason: state.value === "away" ? reason.value : "" };
      reasonBox.hidden = state.value !== "away";
      try {
        show(await CC.api("PUT", "/api/v1/me/presence", body));
      } catch (error) {
        note.textContent = _("Not changed: {error}", { error: error.message });
        if (current) state.value = current.presence;
      }
    }

    form.addEventListener("submit", (event) => { event.preventDefault(); save(); });
    state.addEventListener("change", save);
    reason.addEventListener("change", save);
    CC.live.on("agent.updated", (event) => {
      if (event.user_id === undefined || String(event.user_id) === me) load();
    });
    CC.live.on("reload", load);
    load();
  });
})();
