"use strict";

// The info card's care switch: a customer who wants no greetings or broadcasts. SMS STOP is
// separate (the card's "No SMS" badge); this flag stops care messages on every channel.
(function () {
  const { el, api } = window.CC;
  const _ = window.CC.t;
  const box = document.getElementById("care-flag");
  if (!box) return;
  const url = `/api/v1/customers/${box.dataset.customerId}/care`;
  const note = el("span", { class: "muted", role: "status" });
  const input = el("input", { type: "checkbox", id: "care-opt-out" });
  box.replaceChildren(
    el("p", {},
      input, " ",
      el("label", { for: "care-opt-out" }, _("No care messages (birthday and holiday greetings, broadcasts)")),
      " ", note));

  function show(flag) {
    input.checked = flag.opted_out;
    note.textContent = flag.opted_out && flag.since
      ? _("since {time}", { time: window.CC.formatTime(flag.since) }) : "";
  }

  input.addEventListener("change", async () => {
    try {
      show(await api("PUT", url, { opted_out: input.checked }));
    } catch (error) {
      input.checked = !input.checked;
      note.textContent = error.message;
    }
  });

  api("GET", url).then(show).catch((error) => { note.textContent = error.message; });
})();
