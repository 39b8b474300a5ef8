// The customer card page: when a live event names this customer (an edit elsewhere, a merge
// or its undo), read the card again and, when it differs from the one shown, show the new
// version; while the edit form holds unsaved typing, only say so and leave the page alone.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const card = document.querySelector("[data-customer-id]");
  const shownNode = document.getElementById("card-data");
  if (!card || !shownNode || !window.CC) return;
  const id = card.dataset.customerId;
  const shown = JSON.stringify(JSON.parse(shownNode.textContent || "{}"));
  const form = document.getElementById("card-form");
  let typing = false;
  let leaving = false; // a form was sent or a link followed: that page will be current anyway
  if (form) {
    form.addEventListener("input", () => { typing = true; });
    // The form as it was opened goes along with it, so that the server applies only the
    // fields this agent changed on top of whatever others changed meanwhile.
    const opened = {};
    for (const [name, value] of new FormData(form)) {
      if (name !== "csrf_token" && name !== "version") opened[name] = String(value);
    }
    form.append(CC.el("input", { type: "hidden", name: "opened", value: JSON.stringify(opened) }));
  }
  window.addEventListener("beforeunload", () => { leaving = true; });

  function showNewVersion() {
    if (leaving) return;
    if (typing) document.getElementById("card-changed").hidden = false;
    else window.location.reload();
  }

  async function check() {
    try {
      // An event the page already reflects (it was rendered after the change) changes nothing.
      const now = await CC.api("GET", "/api/v1/customers/" + encodeURIComponent(id));
      if (JSON.stringify(now) !== shown) showNewVersion();
    } catch (error) {
      showNewVersion();
    }
  }

  const mentions = (data) =>
    [data.customer_id, data.survivor_id, data.merged_id].map(String).includes(id);
  for (const name of ["customer.updated", "customer.merged"]) {
    CC.live.on(name, (data) => { if (mentions(data || {})) check(); });
  }
  CC.live.on("reload", showNewVersion); // events were missed: this card may be out of date
});
