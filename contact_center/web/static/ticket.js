// The ticket page: the timeline (messages, notes, system events, delivery states), the
// customer's info card, the reply composer with safe sending (a key per draft, drafts kept
// across reloads, the undo window, stale-draft confirmation), the ticket's controls, and who
// else is on the ticket. Every text from the server goes into the page as text, never HTML.
"use strict";

(function () {
  const CC = window.CC;
  const _ = CC.t;
  const el = CC.el;
  const $ = (id) => document.getElementById(id);
  const data = JSON.parse($("ticket-data").textContent);
  const ticketId = String(data.ticket_id);
  const base = "/api/v1/tickets/" + ticketId;
  const staff = data.staff || {};

  const LABELS = data.labels; // status, priority, kind and channel, from the page
  const FIELDS = {
    status: _("status"), priority: _("priority"), kind: _("kind"), assignee_id: _("assignee"),
    queue: _("queue"), subject: _("subject"), tags: _("tags"),
  };
  const CHANNELS = Object.assign({}, LABELS.channel, { note: _("Note") });
  const DELIVERY = {
    pending: _("Waiting to send"), sending: _("Sending"), sent: _("Sent"), delivered: _("Delivered"),
    undelivered: _("Not delivered"), failed: _("Failed"), needs_review: _("Check with the customer"),
    dead: _("Gave up"), cancelled: _("Taken back (not sent)"),
  };
  const BAD = new Set(["undelivered", "failed", "needs_review", "dead"]);
  const WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")];

  // The highest message `seq` on screen, notes included (0: none; null: not loaded yet). A
  // draft remembers it when it begins, and the server compares it on send (stale drafts).
  let lastSeq = null;
  let summary = null;
  const frames = new Map(); // message id → its mail frame, kept across refreshes

  // ---- Timeline ----
  const actorName = (id, label) =>
    (id && staff[id]) || (label && label.startsWith("system") ? _("System") : label || _("System"));

  function valueLabel(field, value, label) {
    if (label) return label;
    if (value === null || value === undefined || value === "") return field === "assignee_id" ? _("nobody") : _("none");
    if (field === "assignee_id") return staff[value] || String(value);
    if (LABELS[field] && LABELS[field][value]) return LABELS[field][value];
    return Array.isArray(value) ? value.join(", ") : String(value);
  }

  function eventNode(event) {
    const actor = actorName(event.actor_id, event.actor_label);
    let text;
    if (event.action === "updated") {
      text = _("{actor} changed {field} from {before} to {after}", {
        actor, field: FIELDS[event.field] || event.field,
        before: valueLabel(event.field, event.before, event.before_label),
        after: valueLabel(event.field, event.after, event.after_label),
      });
    } else if (event.action === "opened") {
      text = _("{actor} opened the ticket", { actor });
    } else if (event.action === "reply_cancelled") {
      text = _("{actor} took a reply back before it was sent", { actor });
    } else {
      text = _("{actor}: {action}", { actor, action: event.action });
    }
    return el("li", { class: "item event" },
      el("p", {}, text, " ", el("time", { datetime: event.at }, CC.formatTime(event.at))));
  }

  function mailFrame(message) {
    const kept = frames.get(message.id);
    if (kept) return kept;
    const frame = el("iframe", {
      class: "mail-frame", sandbox: "", src: message.html_url, referrerpolicy: "no-referrer",
      title: _("Email from {sender}", { sender: message.from_address }),
    });
    const images = el("button", { type: "button", class: "link" }, _("Show images"));
    images.addEventListener("click", () => {
      frame.src = message.html_url + "?images=1";
      images.remove();
    });
    const box = el("div", { class: "mail" }, frame,
      el("p", { class: "mail-tools muted" }, _("Remote images are blocked."), " ", images),
      el("details", {}, el("summary", {}, _("Plain text")), el("p", { class: "msg-body" }, message.body_text)));
    frames.set(message.id, box);
    return box;
  }

  function deliveryNode(message) {
    const state = message.delivery;
    const status = state.status;
    const parts = [el("span", { class: "badge" + (BAD.has(status) ? " danger" : status === "delivered" ? " ok" : "") },
      DELIVERY[status] || status)];
    if (state.attempts > 1) parts.push(" ", _("{n} attempts", { n: state.attempts }));
    if (state.last_error && status !== "sent" && status !== "delivered") {
      parts.push(" ", el("span", { class: "delivery-error" }, _("Reason: {error}", { error: state.last_error })));
    }
    return el("p", { class: "delivery" }, parts);
  }

  function fileSize(bytes) {
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function messageNode(item) {
    const message = item.message;
    const note = item.kind === "note";
    const inbound = message.direction === "inbound";
    let who;
    if (note) who = message.from_address === "system" ? _("System") : actorName(message.author_id, message.from_address);
    else if (inbound) who = message.from_address;
    else who = _("to {address}", { address: message.to_address });
    const tag = note ? _("Internal note")
      : (CHANNELS[message.channel] || message.channel) + " · " + (inbound ? _("received") : _("outgoing"));
    const parts = [el("header", { class: "msg-head" }, el("span", { class: "badge" }, tag), " ",
      el("strong", {}, who), " ", el("time", { datetime: message.created_at }, CC.formatTime(message.created_at)))];
    if (message.channel === "email" && message.subject) parts.push(el("p", { class: "msg-subject" }, message.subject));
    for (const warning of message.warnings || []) parts.push(el("p", { class: "alert warn" }, warning));
    parts.push(message.html_url ? mailFrame(message) : el("p", { class: "msg-body" }, message.body_text));
    if ((message.attachments || []).length) {
      parts.push(el("ul", { class: "files", "aria-label": _("Attachments") }, message.attachments.map((file) =>
        el("li", {}, el("a", { href: file.url, download: file.filename || "" }, file.filename || _("attachment")),
          " ", el("span", { class: "muted" }, fileSize(file.size))))));
    }
    if (message.direction === "outbound" && message.delivery) parts.push(deliveryNode(message));
    const kind = note ? "note" : "msg msg-" + message.direction;
    return el("li", { class: "item " + kind, id: "m-" + message.id }, el("article", {}, parts));
  }

  function itemNode(item) {
    return item.kind === "event" ? eventNode(item.event) : messageNode(item);
  }

  // Calls come beside the items: each takes its message's place, or its own by time.
  function timelineNodes(items, calls) {
    const byMessage = new Map(calls.filter((c) => c.message_id).map((c) => [String(c.message_id), c]));
    const placed = new Set();
    const entries = items.map((item) => {
      const call = item.message && byMessage.get(String(item.message.id));
      if (call) placed.add(call.id);
      const at = item.message ? item.message.created_at : item.event ? item.event.at : "";
      return { at, node: call ? window.TicketCalls.node(call, actorName) : itemNode(item) };
    });
    for (const call of calls.filter((c) => !placed.has(c.id))) {
      entries.push({ at: call.started_at, node: window.TicketCalls.node(call, actorName) });
    }
    const time = (entry) => Date.parse(entry.at) || 0;
    return entries.sort((a, b) => time(a) - time(b)).map((entry) => entry.node); // stable
  }

  async function loadTimeline() {
    const list = $("timeline");
    try {
      const answer = await CC.api("GET", base + "/timeline");
      list.replaceChildren(...timelineNodes(answer.items, answer.calls || []));
      lastSeq = answer.items.reduce((top, item) => (item.message ? Math.max(top, item.message.seq || 0) : top), 0);
      syncControls(answer.ticket);
      $("timeline-error").hidden = true;
    } catch (error) {
      $("timeline-error").textContent = _("The timeline could not be loaded: {error}", { error: error.message });
      $("timeline-error").hidden = false;
    }
    list.setAttribute("aria-busy", "false");
  }

  // ---- Info card ----
  function row(term, ...value) {
    return value.some((v) => v !== null && v !== undefined && v !== "") ? [el("dt", {}, term), el("dd", {}, ...value)] : [];
  }

  function renderSummary(s) {
    const badges = [];
    if (s.tier) badges.push(el("span", { class: "badge" }, _("Tier {tier}", { tier: s.tier })));
    if (s.key_account) badges.push(el("span", { class: "badge key" }, _("Key account")));
    if (s.sms_opted_out) badges.push(el("span", { class: "badge danger" }, _("No SMS (opted out)")));
    const route = s.route_territory
      ? s.route_territory + (s.route_weekday ? " · " + WEEKDAYS[s.route_weekday - 1] : "") : "";
    const facts = el("dl", { class: "facts" },
      row(_("Phones"), (s.phones || []).join(", ")),
      row(_("Emails"), (s.emails || []).join(", ")),
      row(_("Language"), { en: _("English"), zh: _("Chinese") }[s.language] || s.language),
      row(_("Organization"), s.organization ? s.organization.name : ""),
      row(_("Account manager"), s.account_manager ? s.account_manager.name || staff[s.account_manager.id] || "" : ""),
      row(_("Route"), route),
      row(_("Birthday"), s.birthday || ""),
      row(_("Preferences"), s.preferences),
      row(_("Tags"), (s.tags || []).join(", ")));
    const complaints = s.open_complaints.length
      ? el("ul", {}, s.open_complaints.map((c) => el("li", {}, el("a", { href: "/tickets/" + c.id }, "#" + c.number + " " + c.subject))))
      : el("p", { class: "muted" }, _("None"));
    const contacts = s.last_contacts.length
      ? el("ul", { class: "contacts" }, s.last_contacts.map((c) => el("li", {},
        (CHANNELS[c.channel] || c.channel) + " · " + (c.direction === "inbound" ? _("received") : _("outgoing")) + " · ",
        el("time", { datetime: c.at }, CC.formatTime(c.at)), " · ",
        el("a", { href: "/tickets/" + c.ticket_id }, "#" + c.ticket_number))))
      : el("p", { class: "muted" }, _("None"));
    const others = (s.open_tickets || []).filter((t) => String(t.id) !== ticketId);
    const openTickets = others.length
      ? el("ul", { class: "open-tickets" }, others.map((t) => el("li", {},
        el("a", { href: "/tickets/" + t.id }, "#" + t.number + " " + (t.subject || "")), " ",
        el("span", { class: "badge" }, LABELS.status[t.status] || t.status))))
      : el("p", { class: "muted" }, _("None"));
    document.querySelector("#info-card .info-body").replaceChildren(
      el("h3", {}, el("a", { href: "/customers/" + s.id }, s.name)),
      el("p", { class: "badges" }, badges), facts,
      el("h3", {}, _("Other open tickets")), openTickets,
      el("h3", {}, _("Open complaints")), complaints,
      el("h3", {}, _("Last contacts")), contacts);
    document.querySelector("#info-card .info-body").setAttribute("aria-busy", "false");
  }

  async function loadSummary() {
    try {
      const open = "/api/v1/tickets?status=new,open,pending&limit=20&customer_id=" + data.customer_id;
      const [card, listed] = await Promise.all([
        CC.api("GET", "/api/v1/customers/" + data.customer_id + "/summary"), CC.api("GET", open)]);
      summary = Object.assign(card, { open_tickets: listed.tickets });
      renderSummary(summary);
      if (window.TicketComposer) window.TicketComposer.customerKnown(summary);
    } catch (error) {
      document.querySelector("#info-card .info-body").replaceChildren(
        el("p", { class: "alert error" }, _("The customer could not be loaded: {error}", { error: error.message })));
    }
  }

  // ---- Controls ----
  const controls = $("ticket-controls");
  function syncControls(ticket) {
    for (const name of ["status", "priority", "kind", "queue", "assignee_id"]) {
      const field = controls.elements[name];
      if (field && document.activeElement !== field) field.value = ticket[name] || "";
    }
    $("ticket-subject").textContent = ticket.subject || _("(no subject)");
  }
  controls.addEventListener("submit", (event) => event.preventDefault());
  controls.addEventListener("change", async (event) => {
    const field = event.target;
    let value = field.value;
    if (field.name === "assignee_id" && !value) value = null;
    if (field.name === "tags") value = value.split(",").map((tag) => tag.trim()).filter(Boolean);
    const status = controls.querySelector(".control-status");
    try {
      await CC.api("PATCH", base, { [field.name]: value });
      status.textContent = _("Saved.");
      loadTimeline();
    } catch (error) {
      status.textContent = _("Not saved: {error}", { error: error.message });
    }
  });

  window.TicketPage = { data, base, loadTimeline, loadSummary, lastSeq: () => lastSeq, el, _ };
  document.addEventListener("DOMContentLoaded", () => {
    loadTimeline();
    loadSummary();
    const refresh = new Set(["message.received", "note.added", "ticket.updated", "delivery.updated", "reply.queued"]);
    for (const name of refresh) {
      CC.live.on(name, (event) => {
        if (String(event.ticket_id) !== ticketId) return;
        scheduleRefresh(name === "message.received" || name === "ticket.updated");
      });
    }
    CC.live.on("reload", () => { loadTimeline(); loadSummary(); });
  });

  let refreshTimer = null;
  let refreshSummary = false;
  function scheduleRefresh(withSummary) {
    refreshSummary = refreshSummary || withSummary;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      loadTimeline();
      if (refreshSummary) loadSummary();
      refreshSummary = false;
    }, 150);
  }
})();
