"use strict";

// The broadcasts page: a live count of who the chosen segment reaches, sending a broadcast,
// and the list of broadcasts with their delivery figures (updated by broadcast.updated).
(function () {
  const { el, api } = window.CC;
  const _ = window.CC.t;
  const form = document.getElementById("broadcast-form");
  if (!form) return;
  const previewBox = document.getElementById("preview");
  const status = document.getElementById("broadcast-status");
  const rows = document.getElementById("broadcast-rows");
  const STATES = { sending: _("Sending"), done: _("Done"), cancelled: _("Cancelled") };
  const SKIPS = {
    opted_out: _("opted out (STOP)"),
    care_opted_out: _("no care messages"),
    no_address: _("no address"),
    cancelled: _("cancelled"),
    withdrawn: _("withdrawn (messages erased)"),
  };

  function say(text, kind) {
    status.textContent = text;
    status.className = kind ? "alert " + kind : "";
  }

  function checked(name) {
    return Array.from(form.querySelectorAll(`input[name="${name}"]:checked`), (box) => box.value);
  }

  function segment() {
    return {
      tiers: checked("tiers"),
      stages: checked("stages"),
      territories: checked("territories"),
      tags: checked("tags"),
      key_accounts_only: document.getElementById("key-only").checked,
    };
  }

  function channel() {
    return document.getElementById("broadcast-channel").value || null;
  }

  let asked = 0;
  async function preview() {
    const mine = ++asked;
    try {
      const found = await api("POST", "/api/v1/broadcasts/preview", { segment: segment(), channel: channel() });
      if (mine !== asked) return; // a newer choice was made meanwhile
      let text = _("{count} customers in the segment: {reachable} reachable, {opted_out} opted out (STOP), {care_opted_out} want no care messages, {no_address} without an address.", found);
      if (found.no_sender) {
        text += " " + _("{no_sender} can only be reached by SMS and no SMS sender number is configured: they will wait until one is.", found);
      }
      previewBox.textContent = text;
    } catch (error) {
      if (mine === asked) previewBox.textContent = error.message;
    }
  }

  let timer = null;
  form.addEventListener("change", (event) => {
    if (event.target.matches("input[type=checkbox], select")) {
      clearTimeout(timer);
      timer = setTimeout(preview, 150);
    }
  });

  function skipped(figures) {
    const parts = Object.entries({ ...(figures.skipped || {}), withdrawn: figures.withdrawn || 0 })
      .filter(([, n]) => n > 0)
      .map(([reason, n]) => `${n} ${SKIPS[reason] || reason}`);
    return parts.length ? parts.join(", ") : "0";
  }

  function row(b) {
    const f = b.figures;
    const cancel = b.state === "sending"
      ? el("button", { type: "button", class: "cancel-broadcast", "data-id": b.id,
        "aria-label": _("Cancel {name}", { name: b.name }) }, _("Cancel"))
      : "";
    return el("tr", { "data-id": b.id },
      el("td", {}, b.name),
      el("td", {}, el("time", { datetime: b.created_at }, window.CC.formatTime(b.created_at))),
      el("td", {}, el("span", { class: "badge" }, STATES[b.state] || b.state),
        f.no_sender ? el("div", { class: "muted no-sender" },
          _("Not sent: no SMS sender number configured ({count})", { count: f.no_sender })) : ""),
      el("td", {}, String(f.total)),
      el("td", {}, String(f.waiting)),
      el("td", {}, String(f.queued)),
      el("td", {}, String(f.sent)),
      el("td", {}, String(f.delivered)),
      el("td", {}, String(f.failed + f.needs_review)),
      el("td", {}, skipped(f)),
      el("td", {}, cancel));
  }

  async function load() {
    try {
      const found = await api("GET", "/api/v1/broadcasts");
      rows.replaceChildren(...found.broadcasts.map(row));
      if (!found.broadcasts.length) {
        rows.replaceChildren(el("tr", {}, el("td", { colspan: 11, class: "muted" }, _("No broadcasts yet."))));
      }
    } catch (error) {
      say(error.message, "error");
    }
  }

  rows.addEventListener("click", async (event) => {
    const button = event.target.closest(".cancel-broadcast");
    if (!button) return;
    try {
      await api("POST", `/api/v1/broadcasts/${button.dataset.id}/cancel`);
      say(_("Broadcast cancelled."), "ok");
      await load();
    } catch (error) {
      say(error.message, "error");
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {
      name: document.getElementById("broadcast-name").value,
      segment: segment(),
      body_en: document.getElementById("body-en").value,
      body_zh: document.getElementById("body-zh").value,
      subject_en: document.getElementById("subject-en").value,
      subject_zh: document.getElementById("subject-zh").value,
      channel: channel(),
    };
    try {
      const made = await api("POST", "/api/v1/broadcasts", body);
      say(_("Broadcast started to {count} customers.", { count: made.figures.total }), "ok");
      form.reset();
      await Promise.all([load(), preview()]);
    } catch (error) {
      say(error.message, "error");
      const input = error.field ? form.querySelector(`[name="${error.field.split(".")[0]}"]`) : null;
      if (input) input.focus();
    }
  });

  // Delivery figures move with the outbox: a broadcast message's status change reloads the list
  // (at most twice a second, however many messages change at once).
  let pending = null;
  function soon() {
    if (pending) return;
    pending = setTimeout(() => { pending = null; load(); }, 500);
  }
  window.CC.live.on("broadcast.updated", soon);
  window.CC.live.on("delivery.updated", (data) => { if (data && data.purpose === "broadcast") soon(); });
  window.CC.live.on("reload", load);
  preview();
  load();
})();
