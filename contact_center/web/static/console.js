// The console's shared script: translated strings, API calls carrying the CSRF token, safe DOM
// building, times in the site time zone, the live event stream and keyboard shortcuts.
// Each screen adds its own script beside this one and talks to it through window.CC.
"use strict";

(function () {
  const root = document.documentElement;
  const stringsNode = document.getElementById("cc-strings");
  const strings = stringsNode ? JSON.parse(stringsNode.textContent || "{}") : {};
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrfToken = csrfMeta ? csrfMeta.getAttribute("content") || "" : "";

  /** The translation of an English message; {name} placeholders filled from vars. */
  function t(message, vars) {
    const text = strings[message] || message;
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name) =>
      Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole);
  }
  const _ = t;

  class ApiError extends Error {
    constructor(status, body) {
      const error = (body && body.error) || {};
      super(error.message || String(status));
      this.status = status;
      this.code = error.code || "";
      this.field = error.field || "";
      this.body = body;
    }
  }

  /** A JSON request to our own API; writes carry the session's CSRF token. */
  async function api(method, url, body, headers) {
    const init = {
      method,
      credentials: "same-origin",
      headers: Object.assign({ Accept: "application/json" }, headers || {}),
    };
    if (method !== "GET" && method !== "HEAD") init.headers["X-CSRF-Token"] = csrfToken;
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    if (response.status === 401) {
      window.location.assign("/login?next=" + encodeURIComponent(location.pathname + location.search));
      throw new ApiError(401, null);
    }
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  /**
   * Build an element without ever parsing data as HTML: strings become text nodes.
   * el("a", {href: "/x", class: "badge"}, "text", childNode)
   */
  function el(tag, attrs, ...children) {
    return filled(document.createElement(tag), attrs, children);
  }

  /** The same for SVG drawings (an element made by `el` would draw nothing). */
  const SVG_NS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, ...children) {
    return filled(document.createElementNS(SVG_NS, tag), attrs, children);
  }

  function filled(node, attrs, children) {
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "dataset") Object.assign(node.dataset, value);
      else if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const timeFormat = new Intl.DateTimeFormat(root.dataset.locale || "en", {
    timeZone: root.dataset.timezone || "UTC",
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
    hourCycle: "h23",
  });
  /** An ISO timestamp as the site's local date and time, "2026-12-05 09:06" as the server
   *  writes it in the pages (the same in every language). */
  function formatTime(iso) {
    if (!iso) return "";
    const moment = new Date(iso);
    if (Number.isNaN(moment.getTime())) return "";
    const part = {};
    for (const { type, value } of timeFormat.formatToParts(moment)) part[type] = value;
    return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
  }

  // ---- Live events: one EventSource per page, resumed from the last event id it saw. ----
  const handlers = new Map(); // event name → Set of functions; "*" hears every event
  const live = { lastId: null, state: "connecting", source: null };
  let retryDelay = 1000;
  const liveStatus = () => document.getElementById("live-status");

  function setLiveState(state) {
    live.state = state;
    const node = liveStatus();
    if (!node) return;
    node.dataset.state = state;
    node.textContent = {
      connecting: _("Connecting…"),
      live: _("Live"),
      reconnecting: _("Reconnecting… this view may be out of date"),
    }[state] || state;
  }

  function dispatch(name, data) {
    for (const key of [name, "*"]) {
      for (const fn of handlers.get(key) || []) {
        try { fn(data, name); } catch (error) { console.error(error); }
      }
    }
  }

  function listen(source, name) {
    source.addEventListener(name, (event) => {
      if (event.lastEventId) live.lastId = event.lastEventId;
      let data = {};
      try { data = JSON.parse(event.data || "{}"); } catch (error) { data = {}; }
      dispatch(name, data);
    });
  }

  function connect() {
    const url = live.lastId ? "/live/events?last_event_id=" + encodeURIComponent(live.lastId) : "/live/events";
    const source = new EventSource(url);
    live.source = source;
    source.addEventListener("open", () => { retryDelay = 1000; setLiveState("live"); });
    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CLOSED) {
        // The server refused or the page lost it for good: start again from the last id seen.
        setLiveState("reconnecting");
        setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30000);
      } else {
        setLiveState("reconnecting"); // the browser retries by itself, sending Last-Event-ID
      }
    });
    source.addEventListener("hello", (event) => {
      try { live.lastId = String(JSON.parse(event.data).last_event_id); } catch (error) { /* keep */ }
    });
    source.addEventListener("reload", (event) => {
      if (event.lastEventId) live.lastId = event.lastEventId;
      let reason = "";
      try { reason = JSON.parse(event.data || "{}").reason || ""; } catch (error) { reason = ""; }
      if (reason === "signed_out") {
        window.location.assign("/login?next=" + encodeURIComponent(location.pathname + location.search));
        return;
      }
      if (reason === "role_changed") { window.location.reload(); return; } // other pages, other rights
      // A stream that ended (a restart, a reader too slow) resumes exactly from the last id on
      // its own; only a gap longer than the server keeps events means the screen must be re-read.
      if (reason !== "gap") return;
      if ((handlers.get("reload") || new Set()).size) dispatch("reload", {});
      else window.location.reload();
    });
    for (const name of handlers.keys()) {
      if (!["*", "reload", "hello"].includes(name)) listen(source, name);
    }
  }

  /** Call fn(data, name) for each live event of that name ("*" for all, "reload" for gaps). */
  function on(name, fn) {
    const known = handlers.has(name);
    if (!known) handlers.set(name, new Set());
    handlers.get(name).add(fn);
    if (!known && live.source && !["*", "reload", "hello"].includes(name)) listen(live.source, name);
  }

  // ---- Keyboard: shortcuts outside text fields, and the "?" help sheet. ----
  const typingTarget = (node) =>
    node && (node.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(node.tagName));
  let pendingG = false;

  function showHelp() {
    const dialog = document.getElementById("shortcut-help");
    const list = document.getElementById("page-shortcuts");
    if (!dialog || !list) return;
    list.replaceChildren();
    for (const node of document.querySelectorAll("[data-key]")) {
      const label = node.dataset.keyHelp || node.getAttribute("aria-label") || node.textContent.trim();
      list.append(el("dt", {}, el("kbd", {}, node.dataset.key)), el("dd", {}, label));
    }
    dialog.showModal();
  }

  document.addEventListener("keydown", (event) => {
    if (event.isComposing || event.keyCode === 229) return; // an input method is composing
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typingTarget(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (document.querySelector("dialog[open]")) return;
    if (pendingG) {
      pendingG = false;
      const go = { i: "/", c: "/customers" }[event.key];
      if (go) { event.preventDefault(); window.location.assign(go); }
      return;
    }
    if (event.key === "g") { pendingG = true; setTimeout(() => { pendingG = false; }, 1500); return; }
    if (event.key === "?") { event.preventDefault(); showHelp(); return; }
    if (event.key === "/") {
      const search = document.querySelector("[data-search]");
      if (search) { event.preventDefault(); search.focus(); }
      return;
    }
    const target = document.querySelector(`[data-key="${CSS.escape(event.key)}"]`);
    if (target) {
      event.preventDefault();
      if (typingTarget(target)) target.focus(); else target.click();
    }
  });

  window.CC = { t, api, ApiError, el, svg, formatTime, live: Object.assign(live, { on }), csrfToken };

  document.addEventListener("DOMContentLoaded", () => {
    for (const node of document.querySelectorAll("time[datetime]")) {
      if (!node.textContent.trim()) node.textContent = formatTime(node.getAttribute("datetime"));
    }
    // Pages register their handlers on DOMContentLoaded too; connect once they have.
    if (document.body.dataset.live === "on") setTimeout(connect, 0);
  });
})();
