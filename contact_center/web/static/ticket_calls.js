// Calls on the ticket's timeline: how the call went (answered, abandoned, voicemail, missed),
// how long the caller waited and talked, who took it, the way through the phone menu, the
// recording to play and its transcription. ticket.js asks TicketCalls.node for each call item.
"use strict";

(function () {
  const CC = window.CC;
  const _ = CC.t;
  const el = CC.el;
  const OUTCOMES = {
    answered: _("Answered"), abandoned: _("Hung up while waiting"), voicemail: _("Voicemail"),
    missed: _("Missed"), ivr: _("In the phone menu"), waiting: _("Waiting in the queue"),
    connecting: _("Putting through"), connected: _("In progress"), dialing: _("Dialling"),
  };
  const STEPS = {
    complaint: _("Complaint"), order: _("Orders"), orders: _("Orders"), other: _("Other"),
    operator: _("Operator"), default: _("Default queue"), place_back: _("Place kept from an earlier call"),
  };
  const BAD = new Set(["abandoned", "missed"]);

  /** 75 → "1 min 15 s", 8 → "8 s". */
  function seconds(value) {
    if (value === null || value === undefined) return "";
    const s = Math.round(value);
    return s >= 60 ? _("{m} min {s} s", { m: Math.floor(s / 60), s: s % 60 }) : _("{s} s", { s });
  }

  function path(ivr) {
    const steps = Array.isArray(ivr) ? ivr : String(ivr || "").split(/[>,/]/).map((s) => s.trim()).filter(Boolean);
    return steps.map((step) => STEPS[step] || step).join(" → ");
  }

  function fact(term, value) {
    return value ? [el("dt", {}, term), el("dd", {}, value)] : [];
  }

  /** Twilio's recording URL plays as MP3 (smaller than its default WAV). */
  function playable(url) {
    return /\/Recordings\/RE\w+$/.test(url) ? url + ".mp3" : url;
  }

  function node(call, actorName) {
    const outcome = call.outcome || call.state || "";
    const inbound = call.direction !== "outbound";
    const started = call.started_at;
    const agent = call.agent_id ? actorName(call.agent_id, "") : "";
    const parts = [
      el("header", { class: "msg-head" },
        el("span", { class: "badge" }, inbound ? _("Phone call · received") : _("Phone call · outgoing")), " ",
        el("span", { class: "badge" + (BAD.has(outcome) ? " danger" : outcome === "answered" ? " ok" : "") },
          OUTCOMES[outcome] || outcome), " ",
        el("strong", {}, inbound ? call.from_number : call.to_number), " ",
        started ? el("time", { datetime: started }, CC.formatTime(started)) : null),
      el("dl", { class: "facts call-facts" },
        fact(_("Phone menu"), path(call.ivr_path)),
        fact(_("Queue"), call.queue || ""),
        fact(_("Waited"), seconds(call.wait_seconds)),
        fact(_("Talked"), seconds(call.talk_seconds)),
        fact(_("Agent"), agent)),
    ];
    const recording = call.recording_url ? playable(call.recording_url) : "";
    if (recording) {
      parts.push(el("figure", { class: "recording" },
        el("figcaption", {}, outcome === "voicemail" ? _("Voicemail") : _("Recording")),
        el("audio", { controls: true, preload: "none", src: recording })));
    }
    const text = call.transcription;
    if (text) {
      parts.push(el("details", { open: outcome === "voicemail" },
        el("summary", {}, _("Transcription")), el("p", { class: "msg-body" }, text)));
    }
    if (String(call.id) === callId) showBanner(call.state);
    return el("li", { class: "item call", id: "c-" + call.id }, el("article", {}, parts));
  }

  // Arrived from an accepted call offer (`?call=<id>`): say how the call stands.
  const callId = new URLSearchParams(window.location.search).get("call");
  function showBanner(state) {
    const banner = document.getElementById("call-banner");
    if (!banner || !callId) return;
    banner.hidden = state === "ended";
    banner.textContent = state === "connected"
      ? _("Connected: you are talking to the caller.")
      : _("Call accepted: the caller is being put through to you.");
  }

  window.TicketCalls = { node };

  document.addEventListener("DOMContentLoaded", () => {
    const page = window.TicketPage;
    if (!page) return;
    showBanner("");
    let timer = null;
    CC.live.on("call.updated", (event) => {
      if (String(event.ticket_id) !== String(page.data.ticket_id)) return;
      if (String(event.call_id || "") === callId) showBanner(String(event.state));
      clearTimeout(timer);
      timer = setTimeout(page.loadTimeline, 150);
    });
  });
})();
