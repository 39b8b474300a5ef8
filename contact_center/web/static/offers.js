// The incoming offer card: work the routing engine reserved for this agent (a call, a ticket,
// a callback) with who it is, why it came, and how long is left to take it. Read from
// GET /api/v1/offers/mine on load and on every offer.* event; Accept opens the ticket of the
// work (for a call: the caller's ticket with their card and open tickets) at once.
"use strict";

(function () {
  const CC = window.CC;
  const _ = CC.t;
  const el = CC.el;
  const KINDS = { call: _("Incoming call"), ticket: _("New ticket"), callback: _("Callback due") };
  const CHANNELS = {
    voice: _("Phone call"), sms: _("SMS"), email: _("Email"), web: _("Walk-in or web"), callback: _("Callback"),
  };
  const REASONS = {
    complaint: _("Complaint"), order: _("Orders"), orders: _("Orders"), other: _("Other"),
    operator: _("Operator"), default: _("Default queue"), place_back: _("Place kept from an earlier call"),
    abandoned: _("Hung up while waiting"), voicemail: _("Voicemail"),
  };

  document.addEventListener("DOMContentLoaded", () => {
    const card = document.getElementById("offer");
    if (!card) return;
    const $ = (id) => document.getElementById(id);
    const me = document.body.dataset.userId;
    let offer = null;
    let total = 1;
    let ticking = null;
    let busy = false;

    // By this PC's clock, but never more than the offer's whole time (a clock running late).
    function secondsLeft() {
      if (!offer) return 0;
      return Math.min(Math.ceil(total), Math.max(0, Math.ceil((Date.parse(offer.expires_at) - Date.now()) / 1000)));
    }

    function tick() {
      const left = secondsLeft();
      $("offer-left").textContent = _("{n} s left", { n: left });
      $("offer-progress").value = Math.min(1, left / total);
      card.classList.toggle("urgent", left <= 5);
      if (left <= 0) hide(); // the engine sends offer.expired too; this only tidies early
    }

    function details(o) {
      const customer = o.customer || {};
      const badges = [];
      if (customer.tier) badges.push(el("span", { class: "badge" }, _("Tier {tier}", { tier: customer.tier })));
      if (customer.key_account) badges.push(el("span", { class: "badge key" }, _("Key account")));
      const summary = o.summary || {};
      // A call's reason is the caller's last choice in the phone menu.
      const path = Array.isArray(summary.ivr_path) ? summary.ivr_path : [];
      const why = o.reason || path[path.length - 1] || "";
      const reason = why ? REASONS[why] || why : "";
      const facts = el("dl", { class: "facts" },
        el("dt", {}, _("Channel")), el("dd", {}, CHANNELS[o.channel] || o.channel || ""),
        summary.from ? [el("dt", {}, _("Number")), el("dd", {}, summary.from)] : null,
        el("dt", {}, _("Queue")), el("dd", {}, o.queue_label || o.queue || ""),
        reason ? [el("dt", {}, _("Reason")), el("dd", {}, reason)] : null);
      return [el("p", { class: "offer-who" }, el("strong", {}, customer.name || _("Unknown caller")), " ", badges), facts];
    }

    function show(o) {
      const fresh = !offer || offer.id !== o.id;
      offer = o;
      const offered = Date.parse(o.offered_at);
      total = Math.max(1, (Date.parse(o.expires_at) - (Number.isNaN(offered) ? Date.now() : offered)) / 1000);
      card.dataset.kind = o.kind;
      card.dataset.offerId = o.id;
      $("offer-title").textContent = KINDS[o.kind] || _("New work");
      $("offer-details").replaceChildren(...details(o));
      $("offer-error").hidden = true;
      card.hidden = false;
      tick();
      if (!ticking) ticking = setInterval(tick, 250);
      // Into the card unless the agent is writing: a key press meant for a reply must not
      // answer the offer.
      const active = document.activeElement;
      const typing = active && (active.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(active.tagName));
      if (fresh && !typing) $("offer-accept").focus();
    }

    function hide() {
      offer = null;
      card.hidden = true;
      delete card.dataset.offerId;
      clearInterval(ticking);
      ticking = null;
    }

    async function load() {
      try {
        const answer = await CC.api("GET", "/api/v1/offers/mine");
        if (answer && answer.offer) show(answer.offer); else hide();
      } catch (error) {
        if (error.status === 403 || error.status === 404) hide();
      }
    }

    function target(result, summary) {
      const ticketId = result.ticket_id || (summary && summary.ticket_id);
      if (!ticketId) return "/";
      const call = result.call_id ? "?call=" + encodeURIComponent(result.call_id) : "";
      return "/tickets/" + encodeURIComponent(ticketId) + call;
    }

    async function answer(verb) {
      if (!offer || busy) return;
      busy = true;
      const id = offer.id;
      const summary = offer.summary;
      try {
        const result = await CC.api("POST", `/api/v1/offers/${encodeURIComponent(id)}/${verb}`);
        hide();
        if (verb === "accept") window.location.assign(target(result || {}, summary));
      } catch (error) {
        $("offer-error").textContent = error.status === 409 || error.status === 404
          ? _("This offer is no longer open.") : _("Not done: {error}", { error: error.message });
        $("offer-error").hidden = false;
        setTimeout(load, 1500);
      } finally {
        busy = false;
      }
    }

    $("offer-accept").addEventListener("click", () => answer("accept"));
    $("offer-reject").addEventListener("click", () => answer("reject"));
    for (const name of ["offer.made", "offer.accepted", "offer.rejected", "offer.expired", "offer.withdrawn"]) {
      CC.live.on(name, (event) => {
        const who = event.user_id || event.agent_id;
        if (who === undefined || String(who) === me || (offer && String(event.offer_id) === offer.id)) load();
      });
    }
    CC.live.on("reload", load);
    load();
  });
})();
