// The account's health on the info card: its lifecycle stage and the four figures account
// managers watch (satisfaction, loyalty, contribution, dependency), each with its value, a
// sparkline of its history and its change over 30 and 90 days. The figures are computed by a
// daily job; a figure that cannot be known (no scores, no account total) says so.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const CC = window.CC;
  const section = document.getElementById("account-health");
  if (!section || !CC) return;
  const _ = CC.t;
  const el = CC.el;
  const id = section.dataset.accountId;

  const FIGURES = {
    satisfaction: { label: _("Satisfaction"), hint: _("Survey and visit scores, 0 to 100") },
    loyalty: { label: _("Loyalty"), hint: _("Tenure, months with orders, repeat contact") },
    contribution: { label: _("Contribution"), hint: _("Share of all accounts' value, in percent") },
    dependency: { label: _("Dependency"), hint: _("Our share of the account's purchases, in percent") },
  };
  const stageName = window.CCTiers.stageName;

  function number(value) {
    return value === null || value === undefined ? null : Math.round(value * 10) / 10;
  }

  /** "▲ 5 in 30 days", "▼ 2.5 in 90 days", "no change in 30 days", or "" when unknown. */
  function trendText(change, days) {
    const n = number(change);
    if (n === null) return _("{days} days ago: not known", { days });
    if (n === 0) return _("no change in {days} days", { days });
    return n > 0
      ? _("▲ {n} in {days} days", { n, days })
      : _("▼ {n} in {days} days", { n: Math.abs(n), days });
  }

  /** A small line of the figure's history (0-100); nothing when fewer than two known days. */
  function sparkline(history, name, label) {
    const points = history.filter((h) => h[name] !== null && h[name] !== undefined);
    if (points.length < 2) return el("span", { class: "muted" }, "—");
    const width = 120;
    const height = 28;
    const first = Date.parse(points[0].day);
    const span = Math.max(Date.parse(points[points.length - 1].day) - first, 1);
    const values = points.map((p) => p[name]);
    const low = Math.min(...values);
    const high = Math.max(...values);
    const range = Math.max(high - low, 1);
    const coords = points.map((p) => {
      const x = ((Date.parse(p.day) - first) / span) * (width - 4) + 2;
      // A figure that did not move is drawn level through the middle.
      const y = high === low ? height / 2 : height - 2 - ((p[name] - low) / range) * (height - 4);
      return x.toFixed(1) + "," + y.toFixed(1);
    });
    const description = _("{figure} from {low} to {high} over {days} days", {
      figure: label, low: number(low), high: number(high), days: Math.round(span / 86400000),
    });
    return CC.svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", class: "sparkline",
      "aria-label": description },
    CC.svg("polyline", { points: coords.join(" "), fill: "none", stroke: "currentColor", "stroke-width": "1.5" }));
  }

  function shown(name, figure, body) {
    const value = number(figure.value);
    if (value === null) {
      if (name === "satisfaction") return _("not known (no scores yet)");
      if (name === "dependency") return _("unknown (no account total)");
      return _("not known");
    }
    if (name === "contribution") {
      return body.contribution_rank
        ? _("{value}% (rank {rank})", { value, rank: body.contribution_rank })
        : _("{value}%", { value });
    }
    if (name === "dependency") return _("{value}%", { value });
    return String(value);
  }

  function render(body) {
    const rows = Object.keys(FIGURES).map((name) => {
      const figure = body.figures[name] || {};
      const meta = FIGURES[name];
      return el("tr", { "data-figure": name },
        el("th", { scope: "row", title: meta.hint }, meta.label),
        el("td", { class: "health-value" }, shown(name, figure, body)),
        el("td", {}, sparkline(body.history, name, meta.label)),
        el("td", { class: "health-trend" }, trendText(figure.trend_30, 30)),
        el("td", { class: "health-trend" }, trendText(figure.trend_90, 90)));
    });
    const stage = el("p", { class: "health-stage" },
      _("Lifecycle stage"), ": ",
      el("span", { class: "badge", "data-stage": body.lifecycle_stage },
        stageName(body.lifecycle_stage)));
    const moves = (body.lifecycle_changes || []).slice(0, 3).map((m) =>
      el("li", {}, _("{from} → {to} on {day}", {
        from: stageName(m.from_stage),
        to: stageName(m.to_stage),
        day: CC.formatTime(m.changed_at).slice(0, 10), // the site's day, not UTC's
      })));
    const parts = [stage];
    if (moves.length) parts.push(el("ul", { class: "plain muted" }, ...moves));
    if (!body.day) {
      parts.push(el("p", { class: "muted", "data-health-status": "" },
        _("Not computed yet: the figures appear after the daily health run.")));
    } else {
      parts.push(el("table", { class: "list health-figures" },
        el("caption", {}, _("Figures of {day}", { day: body.day })),
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, _("Figure")),
          el("th", { scope: "col" }, _("Now")),
          el("th", { scope: "col" }, _("History")),
          el("th", { scope: "col" }, _("30 days")),
          el("th", { scope: "col" }, _("90 days")))),
        el("tbody", {}, ...rows)));
    }
    section.replaceChildren(section.querySelector("#account-health-title"), ...parts);
  }

  async function load() {
    try {
      render(await CC.api("GET", `/api/v1/accounts/${id}/health`));
    } catch (error) {
      const status = section.querySelector("[data-health-status]") || section.appendChild(el("p"));
      status.textContent = _("The account's health could not be read: {error}", { error: error.message });
    }
  }

  // A lifecycle move opens or closes a reactivation task: read the figures again then.
  CC.live.on("account.task", (data) => {
    if (data && data.organization_id === id) load();
  });
  load();
});
