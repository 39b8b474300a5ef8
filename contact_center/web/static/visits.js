// The visits calendar (/visits): the manager's visits as cards on the page's days, moved by
// drag and drop or by "Move to…" (the server re-checks the planner's rules and may refuse:
// the card goes back and the day says why), and a panel to record the outcome.
// visits_side.js does what sits around the calendar: leave days, the feed, the team view.
"use strict";

const VisitText = {
  state(state) {
    const _ = CC.t;
    return {
      planned: _("Planned"), confirmed: _("Confirmed"), done: _("Done"),
      missed: _("Missed"), cancelled: _("Cancelled"),
    }[state] || state;
  },
  reason(visit) {
    const _ = CC.t;
    if (visit.kind === "cadence" && !visit.reason) return _("Regular visit");
    return {
      complaint_followup: _("Complaint follow-up"), agent: _("Requested by an agent"),
      missed: _("Make-up for a missed visit"), cadence: _("Regular visit"),
    }[visit.reason] || _("Requested visit");
  },
  reminder(value) {
    const _ = CC.t;
    return {
      not_due: _("Not due yet (sent the day before)"), queued: _("Queued"), sent: _("Sent"),
      delivered: _("Delivered"), failed: _("Failed"), none: _("None"),
      opted_out: _("Skipped: the contact opted out of SMS"),
      no_mobile: _("Skipped: no mobile number for the contact"),
      missed_window: _("Skipped: the reminder time passed without it being sent"),
    }[value] || String(value || "");
  },
  /** "09:30" in the site zone from an ISO timestamp; "" when not yet ordered. */
  clock(iso) { return iso ? CC.formatTime(iso).slice(11) : ""; },
};
window.VisitText = VisitText;

document.addEventListener("DOMContentLoaded", () => {
  const dataNode = document.getElementById("visits-data");
  if (!dataNode || !window.CC) return;
  const page = JSON.parse(dataNode.textContent || "{}");
  const _ = CC.t;
  const { el } = CC;
  const grid = document.getElementById("visits-grid");
  const status = document.getElementById("visits-status");
  const panel = document.getElementById("visit-panel");
  const panelError = document.getElementById("visit-panel-error");
  const visits = new Map(); // id → VisitView
  let openId = null;

  const dayNode = (day) => grid && grid.querySelector(`.vday[data-date="${CSS.escape(day)}"]`);
  const month = page.view === "month";

  function cardFor(visit) {
    const time = VisitText.clock(visit.arrives_at) || visit.window_start || "";
    const movable = visit.state === "planned" || visit.state === "confirmed";
    const open = el("button", {
      type: "button", class: "vcard-open",
      "aria-label": `${time} ${visit.account_name} · ${VisitText.state(visit.state)}`,
      onclick: () => openPanel(visit.id),
    },
    el("span", { class: "vcard-time" }, time),
    visit.pinned ? el("span", { class: "vcard-pin", title: _("Moved by hand: the planner keeps it on this day") },
      "•", el("span", { class: "visually-hidden" }, _("Moved by hand"))) : null,
    el("span", { class: "vcard-account" }, visit.account_name),
    month ? null : el("span", { class: `badge vstate vstate-${visit.state}` }, VisitText.state(visit.state)),
    visit.needs_outcome && !month ? el("span", { class: "badge danger" }, _("Needs outcome")) : null);
    const card = el("li", {
      class: `vcard vcard-${visit.state}${visit.pinned ? " vcard-pinned" : ""}`,
      draggable: movable ? "true" : null,
      dataset: { id: visit.id },
    }, open, el("p", { class: "vcard-note", role: "alert", hidden: true }));
    if (movable) {
      card.addEventListener("dragstart", (event) => {
        event.dataTransfer.setData("text/plain", visit.id);
        event.dataTransfer.effectAllowed = "move";
        card.classList.add("dragging");
      });
      card.addEventListener("dragend", () => card.classList.remove("dragging"));
    }
    return card;
  }

  function render() {
    for (const list of grid.querySelectorAll(".vcards")) list.replaceChildren();
    const sorted = [...visits.values()].sort((a, b) =>
      (a.day + (a.arrives_at || "") + String(a.sequence ?? 99) + a.account_name).localeCompare(
        b.day + (b.arrives_at || "") + String(b.sequence ?? 99) + b.account_name));
    for (const visit of sorted) {
      const node = dayNode(visit.day);
      if (node) node.querySelector(".vcards").append(cardFor(visit));
    }
  }

  async function load() {
    if (!page.manager_id) return;
    const query = new URLSearchParams({ manager_id: page.manager_id, from: page.from, to: page.to });
    try {
      const data = await CC.api("GET", "/api/v1/visits?" + query);
      visits.clear();
      for (const visit of data.visits || []) visits.set(visit.id, visit);
      render();
      status.textContent = visits.size ? "" : _("No visits in these days.");
    } catch (error) {
      status.textContent = _("The visits could not be loaded: {error}", { error: error.message });
    }
    if (openId && visits.has(openId) && panel.open) fillPanel(visits.get(openId));
  }

  /** An earlier refusal's words go once anything else is tried or done: they no longer
   *  describe what is on the screen. */
  let refusalTimer = null;
  function clearRefusals() {
    clearTimeout(refusalTimer);
    for (const note of grid.querySelectorAll(".vday-note, .vcard-note")) note.hidden = true;
  }

  /** Say why on the refused day and on the visit's card, for a while. */
  function showRefusal(day, visitId, message) {
    clearRefusals();
    const node = dayNode(day);
    const notes = [node && node.querySelector(".vday-note"),
      grid.querySelector(`.vcard[data-id="${CSS.escape(visitId)}"] .vcard-note`)].filter(Boolean);
    for (const note of notes) { note.textContent = message; note.hidden = false; }
    refusalTimer = setTimeout(clearRefusals, 8000);
  }

  /** Ask the server to move the visit; on refusal the visit stays (or goes back) where it was. */
  async function move(visitId, day) {
    const visit = visits.get(visitId);
    if (!visit || visit.day === day) return null;
    visits.set(visitId, Object.assign({}, visit, { day })); // shown where it was dropped meanwhile
    render();
    try {
      const moved = await CC.api("POST", `/api/v1/visits/${encodeURIComponent(visitId)}/move`,
        { day, version: visit.version });
      visits.set(visitId, moved);
      render();
      clearRefusals();
      status.textContent = _("Moved {account} to {day}.", { account: visit.account_name, day });
      return null;
    } catch (error) {
      visits.set(visitId, visit);
      render();
      const message = _("Not moved to {day}: {reason}", { day, reason: error.message });
      showRefusal(day, visitId, message);
      status.textContent = message;
      if (error.status === 409) load();
      return message;
    }
  }

  if (grid) {
    for (const node of grid.querySelectorAll(".vday")) {
      node.addEventListener("dragover", (event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        node.classList.add("drop-target");
      });
      node.addEventListener("dragleave", () => node.classList.remove("drop-target"));
      node.addEventListener("drop", (event) => {
        event.preventDefault();
        node.classList.remove("drop-target");
        const id = event.dataTransfer.getData("text/plain");
        if (id) move(id, node.dataset.date);
      });
    }
  }

  // ---- The visit's panel: details, "Move to…", the outcome. ----
  function fact(term, value) {
    return [el("dt", {}, term), el("dd", {}, value === "" || value === null || value === undefined ? "—" : value)];
  }

  function fillPanel(visit) {
    document.getElementById("visit-panel-title").textContent = visit.account_name;
    const window_ = visit.window_start ? `${visit.window_start}–${visit.window_end}` : "";
    const arrival = VisitText.clock(visit.arrives_at);
    document.getElementById("visit-facts").replaceChildren(
      ...fact(_("Account"), el("a", { href: `/organizations/${visit.organization_id}` }, visit.account_name)),
      ...fact(_("Day"), visit.day),
      ...fact(_("State"), VisitText.state(visit.state)),
      ...fact(_("Arrival"), arrival ? `${arrival} (${_("{minutes} min", { minutes: visit.duration_minutes })})` : ""),
      ...fact(_("Address"), visit.address),
      ...fact(_("Visit window"), window_),
      ...fact(_("Reason"), VisitText.reason(visit)),
      ...fact(_("Reminder"), VisitText.reminder(visit.reminder)),
      ...(visit.outcome_notes ? fact(_("Outcome notes"), visit.outcome_notes) : []),
      ...(visit.next_steps ? fact(_("Next steps"), visit.next_steps) : []),
      ...(visit.satisfaction ? fact(_("Customer satisfaction"), `${visit.satisfaction} / 5`) : []),
    );
    const movable = visit.state === "planned" || visit.state === "confirmed";
    document.getElementById("visit-move").hidden = !movable;
    document.getElementById("visit-move-day").value = visit.day;
    // Planned and confirmed visits take any outcome; a visit done may have its notes completed.
    const outcome = document.getElementById("visit-outcome");
    outcome.hidden = !movable && visit.state !== "done";
    // Done and missed are recorded on or after the visit's day (the service says the same).
    const ahead = visit.day > document.getElementById("visits-grid").dataset.today;
    for (const radio of outcome.querySelectorAll('input[name="state"]')) {
      radio.closest("label").hidden =
        (visit.state === "done" && radio.value !== "done") ||
        (ahead && (radio.value === "done" || radio.value === "missed"));
      if (visit.state === "done") radio.checked = radio.value === "done";
      if (visit.state === "confirmed" && radio.value === "confirmed") radio.closest("label").hidden = true;
    }
    const shown = [...outcome.querySelectorAll('input[name="state"]')].filter(
      (radio) => !radio.closest("label").hidden,
    );
    if (shown.length && !shown.some((radio) => radio.checked)) shown[0].checked = true;
    if (visit.state === "done") {
      outcome.elements.outcome_notes.value = visit.outcome_notes || "";
      outcome.elements.next_steps.value = visit.next_steps || "";
      outcome.elements.satisfaction.value = visit.satisfaction ? String(visit.satisfaction) : "";
    }
  }

  function openPanel(id) {
    const visit = visits.get(id);
    if (!visit) return;
    openId = id;
    panelError.hidden = true;
    const outcome = document.getElementById("visit-outcome");
    outcome.reset();
    fillPanel(visit);
    panel.showModal();
  }

  document.getElementById("visit-move").addEventListener("submit", async (event) => {
    event.preventDefault();
    const day = document.getElementById("visit-move-day").value;
    if (!openId || !day) return;
    panelError.hidden = true;
    const refused = await move(openId, day);
    if (refused) { panelError.textContent = refused; panelError.hidden = false; }
    else panel.close();
  });

  document.getElementById("visit-outcome").addEventListener("submit", async (event) => {
    event.preventDefault();
    const visit = visits.get(openId);
    if (!visit) return;
    const form = new FormData(event.target);
    const satisfaction = String(form.get("satisfaction") || "");
    const body = {
      state: String(form.get("state") || "done"),
      outcome_notes: String(form.get("outcome_notes") || "").trim(),
      next_steps: String(form.get("next_steps") || "").trim(),
      satisfaction: satisfaction && String(form.get("state")) === "done" ? Number(satisfaction) : null,
      version: visit.version,
    };
    if (body.state === "done" && !body.outcome_notes) {
      panelError.textContent = _("Write what came of the visit before marking it done.");
      panelError.hidden = false;
      document.getElementById("outcome-notes").focus();
      return;
    }
    try {
      const saved = await CC.api("POST", `/api/v1/visits/${encodeURIComponent(visit.id)}/outcome`, body);
      visits.set(saved.id, saved);
      render();
      status.textContent = _("Outcome saved for {account}: {state}.",
        { account: visit.account_name, state: VisitText.state(saved.state) });
      panel.close();
    } catch (error) {
      panelError.textContent = error.message;
      panelError.hidden = false;
      if (error.status === 409) load();
    }
  });

  let pending = null;
  function reloadSoon() {
    clearTimeout(pending);
    pending = setTimeout(load, 300);
  }
  CC.live.on("visit.updated", (data) => {
    if (page.overseer || !data || !data.manager_id || String(data.manager_id) === String(page.manager_id)) reloadSoon();
  });
  CC.live.on("reload", reloadSoon);

  load();
});
