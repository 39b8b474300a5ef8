// The info card's Visits section: the account's next planned visit, its last visit done, the
// overdue flag, and "Ask for a visit" (a visit request the planner places).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const section = document.getElementById("card-visits");
  if (!section || !window.CC) return;
  const _ = CC.t;
  const { el } = CC;
  const id = section.dataset.organizationId;
  const status = document.getElementById("card-visits-status");

  const describe = (day) => (day ? el("time", { datetime: day }, day) : el("span", { class: "muted" }, _("None")));

  async function load() {
    try {
      const data = await CC.api("GET", `/api/v1/accounts/${encodeURIComponent(id)}/visits`);
      document.getElementById("card-visits-next").replaceChildren(describe(data.next_visit));
      document.getElementById("card-visits-last").replaceChildren(describe(data.last_visit));
      document.getElementById("card-visits-overdue").hidden = !data.overdue;
    } catch (error) {
      status.textContent = _("The visits could not be loaded: {error}", { error: error.message });
    }
  }

  document.getElementById("card-visit-request").addEventListener("submit", async (event) => {
    event.preventDefault();
    const note = document.getElementById("card-visit-note");
    try {
      const asked = await CC.api("POST", `/api/v1/accounts/${encodeURIComponent(id)}/visit-requests`, { note: note.value.trim() });
      note.value = "";
      status.textContent = asked.already_asked
        ? _("A visit was already asked for; your note was added to it.")
        : _("Visit requested: the planner will place it.");
    } catch (error) {
      status.textContent = _("The visit could not be requested: {error}", { error: error.message });
    }
  });

  CC.live.on("visit.updated", (data) => {
    if (!data || !data.organization_id || String(data.organization_id) === id) load();
  });
  load();
});
