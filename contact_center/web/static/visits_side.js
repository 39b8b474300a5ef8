// Around the visits calendar (/visits): the manager's leave days (shaded on the calendar's
// days, listed with add and remove), the calendar feed address with copy and rotate, and for
// supervisors every manager's visits today, missed visits and accounts overdue for a visit.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const dataNode = document.getElementById("visits-data");
  if (!dataNode || !window.CC) return;
  const page = JSON.parse(dataNode.textContent || "{}");
  const _ = CC.t;
  const { el } = CC;
  const grid = document.getElementById("visits-grid");
  const status = document.getElementById("visits-status");

  // ---- Leave days: shaded on the calendar, listed (with remove) under it. ----
  const leavePath = () => `/api/v1/managers/${encodeURIComponent(page.manager_id)}/leave`;
  const leaveStatus = document.getElementById("leave-status");
  async function loadLeave() {
    if (!grid || !page.manager_id) return;
    let leave = [];
    try {
      leave = (await CC.api("GET", leavePath())).leave || [];
    } catch (error) {
      if (leaveStatus) leaveStatus.textContent = _("The leave days could not be loaded: {error}", { error: error.message });
      return;
    }
    const days = new Set(leave.map((d) => d.day));
    for (const node of grid.querySelectorAll(".vday")) {
      const on = days.has(node.dataset.date);
      node.classList.toggle("vday-onleave", on);
      node.querySelector(".vday-leave").hidden = !on;
    }
    const list = document.getElementById("leave-list");
    if (!list) return;
    const coming = leave.filter((d) => d.day >= page.today).sort((a, b) => a.day.localeCompare(b.day));
    list.replaceChildren(...(coming.length ? coming.map((d) => el("li", {},
      el("time", { datetime: d.day }, d.day), d.note ? ` · ${d.note} ` : " ",
      el("button", {
        type: "button", class: "link", "aria-label": _("Remove the leave on {day}", { day: d.day }),
        onclick: () => changeLeave("DELETE", `${leavePath()}/${d.day}`, undefined,
          _("Leave on {day} removed.", { day: d.day })),
      }, _("Remove")))) : [el("li", { class: "muted" }, _("No leave days ahead."))]));
  }

  async function changeLeave(method, url, body, done) {
    try {
      await CC.api(method, url, body);
      leaveStatus.textContent = done;
      loadLeave();
    } catch (error) {
      leaveStatus.textContent = error.message;
    }
  }

  const leaveForm = document.getElementById("leave-form");
  if (leaveForm) {
    leaveForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const day = leaveForm.elements.day.value;
      const note = leaveForm.elements.note.value.trim();
      if (!day) return;
      changeLeave("POST", leavePath(), { day, note }, _("Leave on {day} added.", { day }));
      leaveForm.reset();
    });
  }

  // ---- The calendar feed. ----
  const feedUrl = document.getElementById("feed-url");
  const feedStatus = document.getElementById("feed-status");
  const feedPath = () => `/api/v1/managers/${encodeURIComponent(page.manager_id)}/calendar-feed`;
  async function loadFeed() {
    if (!feedUrl || !page.manager_id) return;
    try {
      feedUrl.value = (await CC.api("GET", feedPath())).url;
    } catch (error) {
      feedStatus.textContent = _("The feed address could not be loaded: {error}", { error: error.message });
    }
  }
  if (feedUrl) {
    document.getElementById("feed-copy").addEventListener("click", async () => {
      feedUrl.select();
      try {
        await navigator.clipboard.writeText(feedUrl.value);
        feedStatus.textContent = _("Copied.");
      } catch (error) {
        feedStatus.textContent = _("Select the address and copy it.");
      }
    });
    document.getElementById("feed-rotate").addEventListener("click", async () => {
      if (!window.confirm(_("Rotate the feed address? Calendar apps subscribed to the old one stop getting visits."))) return;
      try {
        feedUrl.value = (await CC.api("POST", feedPath() + "/rotate")).url;
        feedStatus.textContent = _("New address made; the old one no longer works.");
      } catch (error) {
        feedStatus.textContent = error.message;
      }
    });
  }

  // ---- Supervisors: every manager's today, missed visits, overdue accounts. ----
  function fillTable(id, rows, columns, empty) {
    const body = document.querySelector(`#${id} tbody`);
    if (!body) return;
    if (!rows.length) {
      body.replaceChildren(el("tr", { class: "empty" }, el("td", { colspan: columns, class: "muted" }, empty)));
      return;
    }
    body.replaceChildren(...rows);
  }
  const accountLink = (row) =>
    el("a", { href: `/organizations/${row.organization_id}` }, row.account_name || row.name || "");
  const managerLink = (row, day) => (row.manager_id
    ? el("a", { href: `/visits?manager=${row.manager_id}&day=${day || page.today}` },
      row.manager_name || (page.managers || {})[row.manager_id] || "")
    : el("span", { class: "muted" }, _("No manager")));
  const daysSince = (iso) => Math.round((Date.parse(page.today) - Date.parse(iso)) / 86400000);

  async function loadTeam() {
    if (!page.overseer) return;
    const today = new URLSearchParams({ from: page.today, to: page.today });
    const tasks = [
      CC.api("GET", "/api/v1/visits?" + today).then((data) => {
        const rows = (data.visits || []).map((v) => el("tr", {},
          el("td", {}, VisitText.clock(v.arrives_at) || v.window_start || ""),
          el("td", {}, managerLink(v, v.day)), el("td", {}, accountLink(v)),
          el("td", {}, VisitText.state(v.state))));
        fillTable("team-today", rows, 4, _("No visits today."));
      }),
      CC.api("GET", "/api/v1/visits/missed").then((data) => {
        const rows = (data.visits || []).map((v) => el("tr", {},
          el("td", {}, v.day), el("td", {}, managerLink(v, v.day)), el("td", {}, accountLink(v)),
          el("td", {}, v.outcome_notes || "")));
        fillTable("team-missed", rows, 4, _("No missed visits."));
      }),
      CC.api("GET", "/api/v1/visits/overdue-accounts").then((data) => {
        const rows = (data.accounts || []).map((a) => el("tr", {},
          el("td", {}, accountLink(a)), el("td", {}, managerLink(a)),
          el("td", {}, a.last_visit
            ? _("{day} ({days} days ago)", { day: a.last_visit, days: daysSince(a.last_visit) })
            : _("Never")),
          el("td", {}, a.next_visit || _("None planned"))));
        fillTable("team-overdue", rows, 4, _("No overdue accounts."));
      }),
    ];
    const results = await Promise.allSettled(tasks);
    const failed = results.find((r) => r.status === "rejected");
    if (failed && status) status.textContent = _("Part of the team view could not be loaded: {error}", { error: failed.reason.message });
  }

  let pending = null;
  function reloadSoon() {
    clearTimeout(pending);
    pending = setTimeout(() => { loadLeave(); loadTeam(); }, 300);
  }
  CC.live.on("visit.updated", reloadSoon);
  CC.live.on("reload", reloadSoon);

  loadLeave();
  loadFeed();
  loadTeam();
});
