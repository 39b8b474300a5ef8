// The customer card page: when a live event says this card changed (an edit elsewhere, a
// merge or its undo), show the new version, unless the edit form holds unsaved typing; then
// only say so, and leave the page as it is.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const card = document.querySelector("[data-customer-id]");
  if (!card || !window.CC) return;
  const id = card.dataset.customerId;
  const form = document.getElementById("card-form");
  let typing = false;
  if (form) form.addEventListener("input", () => { typing = true; });

  function changed() {
    if (typing) {
      document.getElementById("card-changed").hidden = false;
    } else {
      window.location.reload();
    }
  }
  const mentions = (data) =>
    [data.customer_id, data.survivor_id, data.merged_id].map(String).includes(id);
  for (const name of ["customer.updated", "customer.merged"]) {
    CC.live.on(name, (data) => { if (mentions(data || {})) changed(); });
  }
  CC.live.on("reload", changed); // events were missed: this card may be out of date
});
