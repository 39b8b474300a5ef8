// The inbox page: "More" appends the next page, and live events re-read the list and the
// counts from the server (GET /api/v1/inbox). Counts are always the server's, never summed here.
// The page's labels arrive translated in the #inbox-data block; rows are built with CC.el.
"use strict";

(function () {
  const FILTERS = ["view", "status", "kind", "channel", "tier", "key_account", "tag", "overdue", "sort"];
  const MAX_LIMIT = 200;

  document.addEventListener("DOMContentLoaded", () => {
    const CC = window.CC;
    const dataNode = document.getElementById("inbox-data");
    const rows = document.getElementById("inbox-rows");
    if (!CC || !dataNode || !rows) return;
    const data = JSON.parse(dataNode.textContent || "{}");
    const labels = data.labels;
    const text = labels.text;
    const more = document.getElementById("inbox-more");
    const status = document.getElementById("inbox-status");
    // The filters the server applied (not the address bar's, which it may have refused).
    const here = new URLSearchParams(data.filters || {});
    const pageLimit = Math.min(Number(here.get("limit")) || 50, MAX_LIMIT);
    const el = CC.el;

    const time = (iso) => el("time", { datetime: iso }, CC.formatTime(iso));

    function apiUrl(extra) {
      const params = new URLSearchParams();
      for (const name of FILTERS) {
        const value = here.get(name);
        if (value) params.set(name, value);
      }
      for (const [name, value] of Object.entries(extra)) params.set(name, String(value));
      return "/api/v1/inbox?" + params.toString();
    }

    function row(item) {
      const customer = item.customer;
      return el("tr", { "data-id": item.id, class: item.overdue ? "overdue" : null },
        el("td", { class: "number" }, "#" + item.number),
        el("td", { class: "subject" },
          el("a", { href: "/tickets/" + encodeURIComponent(item.id) }, item.subject || "#" + item.number),
          " ",
          el("span", { class: "muted detail" },
            `${labels.kind[item.kind] || item.kind} · ${labels.channel[item.channel] || item.channel}`)),
        el("td", { class: "customer" }, customer.name, " ",
          customer.tier ? el("span", { class: "badge" }, text.tier.replace("%(tier)s", customer.tier)) : null,
          " ",
          customer.is_key_account ? el("span", { class: "badge key" }, text.key_account) : null),
        el("td", {}, labels.status[item.status] || item.status),
        el("td", {}, el("span", { class: "priority priority-" + item.priority },
          labels.priority[item.priority] || item.priority)),
        el("td", { class: "tags" }, item.tags.map((tag) => [el("span", { class: "badge tag" }, tag), " "])),
        el("td", {}, item.assignee ? item.assignee.name : el("span", { class: "muted" }, text.unassigned)),
        el("td", {}, time(item.last_message_at)),
        el("td", {},
          item.overdue ? el("span", { class: "badge danger" }, text.overdue) : null,
          " ",
          item.due_at ? time(item.due_at) : null));
    }

    function emptyRow() {
      return el("tr", { class: "empty" }, el("td", { colspan: "9" }, text.empty));
    }

    function showCounts(counts) {
      for (const node of document.querySelectorAll("[data-count]")) {
        const value = counts[node.dataset.count];
        if (value !== undefined) node.textContent = String(value);
      }
    }

    let nextCursor = data.next_cursor || null;
    function showMore(cursor) {
      nextCursor = cursor || null;
      if (!more) return;
      more.hidden = !nextCursor;
      if (nextCursor) {
        const params = new URLSearchParams(here);
        params.set("cursor", nextCursor);
        more.setAttribute("href", "/?" + params.toString());
      }
    }

    // Re-read what the page shows: from the page's own start, as many rows as are on screen.
    let running = false;
    let again = false;
    let timer = null;
    async function refresh() {
      if (running) { again = true; return; }
      running = true;
      try {
        const shown = rows.querySelectorAll("tr[data-id]").length;
        const extra = { limit: Math.min(Math.max(shown, pageLimit), MAX_LIMIT) };
        if (here.get("cursor")) extra.cursor = here.get("cursor");
        const body = await CC.api("GET", apiUrl(extra));
        rows.replaceChildren(...(body.items.length ? body.items.map(row) : [emptyRow()]));
        showCounts(body.counts);
        showMore(body.next_cursor);
        if (status) status.textContent = "";
      } catch (error) {
        if (status) status.textContent = text.failed;
      } finally {
        running = false;
        if (again) { again = false; schedule(); }
      }
    }
    function schedule() {
      // A burst of events (a busy minute, a reconnect catching up) becomes one request.
      if (timer) return;
      timer = setTimeout(() => { timer = null; refresh(); }, 200);
    }

    if (more) {
      more.addEventListener("click", async (event) => {
        if (!nextCursor) return;
        event.preventDefault();
        if (status) status.textContent = text.loading;
        try {
          const body = await CC.api("GET", apiUrl({ limit: pageLimit, cursor: nextCursor }));
          const empty = rows.querySelector("tr.empty");
          if (empty && body.items.length) empty.remove();
          rows.append(...body.items.map(row));
          showCounts(body.counts);
          showMore(body.next_cursor);
          if (status) status.textContent = "";
          const first = body.items.length ? rows.querySelector(`tr[data-id="${CSS.escape(body.items[0].id)}"] a`) : null;
          if (first) first.focus(); // keyboard users continue where the new rows start
        } catch (error) {
          if (status) status.textContent = text.failed;
        }
      });
    }

    for (const name of ["ticket.opened", "ticket.updated", "message.received", "reload"]) {
      CC.live.on(name, schedule);
    }
  });
})();
