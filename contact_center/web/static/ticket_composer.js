// The ticket page's reply composer: SMS, email or internal note; the SMS counter; canned
// replies; a draft kept in localStorage under its own key (the idempotency key the server
// answers a repeat with); the undo window; the stale-draft question; Enter never sending
// while an input method composes; and telling others on the ticket that we are here/typing.
//
// A draft keeps its key across a failed send: the request may have reached the server, and a
// retry of the same text must not send it twice. If the agent edits before retrying, the
// server refuses the new text under the old key (`draft_key_reused`); the page then shows
// what was sent and offers to send the edited text as a new reply, under a new key.
"use strict";

(function () {
  const CC = window.CC;
  const page = window.TicketPage;
  const _ = CC.t;
  const el = CC.el;
  const $ = (id) => document.getElementById(id);
  const data = page.data;
  const storeKey = "cc-draft:" + data.ticket_id;
  const form = $("composer");
  const text = $("reply-text");
  const sendButton = $("send-button");
  const enterSends = $("enter-sends");
  let draft = null;
  let sending = false;
  let composing = false;
  let compositionEndedAt = 0;

  function newKey() {
    if (window.crypto && crypto.randomUUID) return "d-" + crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "d-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function freshDraft(mode) {
    return { mode: mode || data.default_channel, text: "", key: newKey(), based_on_seq: null };
  }

  function saveDraft() {
    try {
      if (draft.text) localStorage.setItem(storeKey, JSON.stringify(draft));
      else localStorage.removeItem(storeKey);
    } catch (error) { /* storage full or off: the draft lives in the page only */ }
  }

  function loadDraft() {
    try {
      const kept = JSON.parse(localStorage.getItem(storeKey) || "null");
      if (kept && typeof kept.text === "string" && kept.key) return kept;
    } catch (error) { /* a damaged draft is dropped */ }
    return null;
  }

  // ---- Mode, counter, opt-out ----
  function setMode(mode) {
    draft.mode = mode;
    for (const radio of form.elements.mode) radio.checked = radio.value === mode;
    form.classList.toggle("note-mode", mode === "note");
    $("email-subject").hidden = mode !== "email";
    $("email-subject").querySelector("span").textContent = data.email_subject;
    sendButton.textContent = mode === "note" ? _("Add note") : _("Send");
    text.setAttribute("aria-label", mode === "note" ? _("Internal note") : _("Reply to the customer"));
    loadCanned();
    update();
  }

  function update() {
    const counter = $("sms-counter");
    const sms = draft.mode === "sms";
    const length = sms ? window.CCSms.smsLength(text.value) : null;
    counter.textContent = sms
      ? _("{characters} characters · {segments} SMS · {remaining} left", length) +
        (length.encoding === "ucs2" ? " · " + _("Unicode") : "")
      : "";
    const tooLong = sms && length.characters > data.max_sms_chars;
    const optedOut = sms && summaryState.optedOut;
    counter.classList.toggle("too-long", tooLong);
    sendButton.disabled = sending || !text.value.trim() || tooLong || optedOut;
  }

  const summaryState = { optedOut: false };
  function customerKnown(summary) {
    summaryState.optedOut = !!summary.sms_opted_out;
    const radios = Object.fromEntries(Array.from(form.elements.mode, (r) => [r.value, r]));
    radios.sms.disabled = summaryState.optedOut || !(summary.phones || []).length;
    radios.email.disabled = !(summary.emails || []).length;
    $("optout").hidden = !summaryState.optedOut;
    if (radios[draft.mode] && radios[draft.mode].disabled) {
      setMode(!radios.email.disabled ? "email" : !radios.sms.disabled ? "sms" : "note");
    }
    update();
  }

  // ---- Canned replies ----
  let canned = [];
  async function loadCanned() {
    const select = $("canned-select");
    const channel = draft.mode === "note" ? "" : "?channel=" + draft.mode;
    try {
      canned = (await CC.api("GET", page.base + "/canned-replies" + channel)).canned_replies;
    } catch (error) {
      canned = [];
    }
    select.replaceChildren(el("option", { value: "" }, _("Choose…")),
      ...canned.map((c, n) => el("option", { value: String(n), lang: c.language }, c.title)));
  }

  $("canned-select").addEventListener("change", (event) => {
    const chosen = canned[Number(event.target.value)];
    event.target.value = "";
    if (!chosen) return;
    const start = text.selectionStart ?? text.value.length;
    const end = text.selectionEnd ?? text.value.length;
    text.setRangeText(chosen.text, start, end, "end");
    const warning = $("canned-warning");
    warning.hidden = !chosen.unknown.length;
    warning.textContent = chosen.unknown.length
      ? _("Fill in: {names}", { names: chosen.unknown.map((n) => "{" + n + "}").join(", ") }) : "";
    text.focus();
    changed();
  });

  // ---- Typing, drafts, activity ----
  let lastTyping = 0;
  let idleTimer = null;
  function changed() {
    if (!draft.text && text.value) { draft.based_on_seq = page.lastSeq(); delete draft.based_on; } // the draft begins
    if (!text.value) { draft.based_on_seq = null; delete draft.based_on; }
    draft.text = text.value;
    saveDraft();
    update();
    $("draft-status").textContent = "";
    if (Date.now() - lastTyping > 5000) { lastTyping = Date.now(); activity("typing"); }
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => { lastTyping = 0; activity("idle"); }, 10000);
  }
  text.addEventListener("input", changed);
  form.addEventListener("change", (event) => {
    if (event.target.name === "mode") { setMode(event.target.value); saveDraft(); }
  });
  text.addEventListener("compositionstart", () => { composing = true; });
  text.addEventListener("compositionend", () => { composing = false; compositionEndedAt = Date.now(); });
  text.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    // An input method uses Enter to pick its candidate: that Enter must never send. Some
    // browsers end the composition just before the keydown, hence the short grace period.
    if (event.isComposing || composing || event.keyCode === 229) return;
    if (Date.now() - compositionEndedAt < 100) return;
    const wanted = event.ctrlKey || event.metaKey || (enterSends.checked && !event.shiftKey);
    if (wanted) { event.preventDefault(); send(false); }
  });
  enterSends.addEventListener("change", () => {
    try { localStorage.setItem("cc-enter-sends", enterSends.checked ? "1" : ""); } catch (error) { /* ignore */ }
  });

  async function activity(state) {
    try { await CC.api("POST", page.base + "/activity", { state }); } catch (error) { /* best effort */ }
  }

  // ---- Sending ----
  form.addEventListener("submit", (event) => { event.preventDefault(); send(false); });

  function showError(message) {
    $("composer-error").textContent = message;
    $("composer-error").hidden = !message;
  }

  async function send(confirm) {
    const body = text.value.trim();
    if (sending || !body) return;
    sending = true;
    update();
    showError("");
    try {
      if (draft.mode === "note") {
        await CC.api("POST", page.base + "/notes", { text: body });
        reset();
      } else {
        const request = { channel: draft.mode, text: body, draft_key: draft.key };
        if (draft.based_on_seq !== null && draft.based_on_seq !== undefined) request.based_on_seq = draft.based_on_seq;
        else if (draft.based_on) request.based_on = draft.based_on; // a draft kept from before based_on_seq
        if (confirm) request.confirm = true;
        const message = await CC.api("POST", page.base + "/replies", request);
        const sent = { mode: draft.mode, text: text.value };
        reset();
        showUndo(message, sent);
      }
      activity("viewing");
      page.loadTimeline();
    } catch (error) {
      if (error.code === "ticket_changed") showStale((error.body && error.body.newer) || []);
      else if (error.code === "draft_key_reused") showReused(error.body && error.body.sent);
      else showError(error.message);
    } finally {
      sending = false;
      update();
    }
  }

  function reset() {
    draft = freshDraft(draft.mode);
    text.value = "";
    $("canned-warning").hidden = true;
    saveDraft();
  }

  function showStale(newer) {
    const dialog = $("stale-dialog");
    dialog.querySelector(".stale-list").replaceChildren(...newer.map((m) => el("li", {},
      el("strong", {}, m.direction === "inbound" ? _("Customer") : _("Reply")), " ",
      el("time", { datetime: m.created_at }, CC.formatTime(m.created_at)), ": ", m.body_text)));
    dialog.dataset.newest = String(newer.reduce((top, m) => Math.max(top, m.seq || 0), 0) || "");
    dialog.showModal();
  }
  $("stale-send").addEventListener("click", () => { $("stale-dialog").close(); send(true); });
  $("stale-review").addEventListener("click", () => {
    const dialog = $("stale-dialog");
    dialog.close();
    if (dialog.dataset.newest) {
      draft.based_on_seq = Number(dialog.dataset.newest);
      delete draft.based_on;
      saveDraft();
    }
    page.loadTimeline();
    text.focus();
  });

  // An earlier send of this draft reached the server with another text: that reply is queued
  // as it was. Say so, and let the agent send the edited text as a new reply (a new key).
  function showReused(sent) {
    const dialog = $("reused-dialog");
    dialog.querySelector(".reused-text").textContent = sent ? sent.body_text : "";
    dialog.showModal();
    page.loadTimeline();
  }
  $("reused-send").addEventListener("click", () => {
    $("reused-dialog").close();
    draft.key = newKey();
    saveDraft();
    send(false);
  });
  $("reused-keep").addEventListener("click", () => {
    $("reused-dialog").close();
    reset();
    $("draft-status").textContent = _("Your changes were discarded; the reply that was sent stays.");
    text.focus();
  });

  // ---- Undo window ----
  let undoTimer = null;
  function showUndo(message, sent) {
    const bar = $("undo-bar");
    const label = bar.querySelector("span");
    const button = $("undo-button");
    let left = data.undo_seconds;
    clearInterval(undoTimer);
    if (!left) return;
    const tick = () => {
      label.textContent = _("Reply queued; it leaves in {n} s.", { n: left });
      if (left-- <= 0) { clearInterval(undoTimer); bar.hidden = true; }
    };
    button.disabled = false;
    button.onclick = async () => {
      button.disabled = true;
      clearInterval(undoTimer);
      try {
        await CC.api("POST", page.base + "/replies/" + message.id + "/undo");
        label.textContent = _("Reply taken back; it was not sent.");
        if (!text.value) { // the text comes back as a new draft (a new key: the old one is spent)
          draft = freshDraft(sent.mode);
          setMode(sent.mode);
          text.value = sent.text;
          changed();
        }
      } catch (error) {
        label.textContent = error.code === "already_sent"
          ? _("Too late: the reply has already left.") : error.message;
      }
      page.loadTimeline();
      setTimeout(() => { bar.hidden = true; }, 4000);
    };
    bar.hidden = false;
    tick();
    undoTimer = setInterval(tick, 1000);
  }

  // ---- Start ----
  draft = loadDraft() || freshDraft();
  text.value = draft.text;
  try { enterSends.checked = localStorage.getItem("cc-enter-sends") === "1"; } catch (error) { /* ignore */ }
  setMode(draft.mode);
  $("draft-status").textContent = draft.text ? _("Your unsent draft was restored.") : "";
  activity("viewing");
  setInterval(() => { if (document.visibilityState === "visible") activity(lastTyping ? "typing" : "viewing"); }, 30000);
  window.addEventListener("pagehide", () => {
    fetch(page.base + "/activity", {
      method: "POST", keepalive: true, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": CC.csrfToken },
      body: JSON.stringify({ state: "left" }),
    }).catch(() => {});
  });

  // ---- Who else is here ----
  // Each `ticket.activity` is judged by its own time (`at`, the server's clock): events
  // replayed after a reconnect may be an hour old and must not show as current. The page
  // carries the server's time, so a browser clock that is off does not shift the window.
  const ACTIVITY_WINDOW = 60000;
  const clockOffset = Date.parse(data.server_now || "") - Date.now(); // server − browser
  const serverNow = () => Date.now() + (Number.isFinite(clockOffset) ? clockOffset : 0);
  function activityTime(event) {
    const at = Date.parse(event.at || "");
    return Number.isFinite(at) ? Math.min(at, serverNow()) : serverNow();
  }
  const others = new Map();
  function renderOthers() {
    const now = serverNow();
    const lines = [];
    for (const [id, who] of others) {
      if (now - who.at > ACTIVITY_WINDOW) { others.delete(id); continue; }
      lines.push(who.state === "typing"
        ? _("{name} is typing a reply", { name: who.name }) : _("{name} is viewing this ticket", { name: who.name }));
    }
    const note = $("collision");
    note.textContent = lines.join(" · ");
    note.hidden = !lines.length;
  }
  CC.live.on("ticket.activity", (event) => {
    if (String(event.ticket_id) !== String(data.ticket_id)) return;
    const userId = String(event.user_id || "");
    if (!userId || userId === String(data.me.id)) return;
    const at = activityTime(event);
    const known = others.get(userId);
    if (known && known.at > at) return; // older than what we know of this person
    if (event.state === "left") others.delete(userId);
    else if (serverNow() - at <= ACTIVITY_WINDOW) {
      others.set(userId, { name: event.user_name || event.name || _("Someone"), state: event.state, at });
    }
    renderOthers();
  });
  setInterval(renderOthers, 15000);

  window.TicketComposer = { customerKnown, setMode, send };
})();
