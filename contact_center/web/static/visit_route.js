// A day's route (/visits/day): the stops in visiting order with arrival times, visit lengths
// and the leg from the stop before (distance as the crow flies, minutes as planned), the day's
// totals, and a small drawing of the stops (inline SVG, no map tiles).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const dataNode = document.getElementById("route-data");
  const list = document.getElementById("route-stops");
  if (!dataNode || !list || !window.CC) return;
  const page = JSON.parse(dataNode.textContent || "{}");
  const _ = CC.t;
  const { el } = CC;
  const status = document.getElementById("route-status");

  const located = (p) => p && typeof p.latitude === "number" && typeof p.longitude === "number";
  function km(a, b) {
    const rad = Math.PI / 180;
    const dLat = (b.latitude - a.latitude) * rad;
    const dLon = (b.longitude - a.longitude) * rad;
    const h = Math.sin(dLat / 2) ** 2 +
      Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
    return 6371 * 2 * Math.asin(Math.sqrt(h));
  }
  const minutesBetween = (from, to) => (from && to ? Math.round((new Date(to) - new Date(from)) / 60000) : null);

  function stopItem(stop, index, previous) {
    const arrival = VisitText.clock(stop.arrives_at);
    const late = arrival && stop.window_end && arrival > stop.window_end;
    const leg = [];
    if (located(previous) && located(stop)) leg.push(_("{km} km", { km: km(previous, stop).toFixed(1) }));
    const gap = minutesBetween(previous && previous.leaves_at, stop.arrives_at);
    if (gap !== null) leg.push(_("{minutes} min on the way", { minutes: gap }));
    return el("li", { class: "route-stop-item" },
      leg.length ? el("p", { class: "route-leg" }, "↓ " + leg.join(" · ")) : null,
      el("article", { class: "route-stop", "aria-labelledby": `stop-${stop.id}` },
        el("h3", { id: `stop-${stop.id}` },
          el("span", { class: "route-number", "aria-hidden": "true" }, String(index + 1)),
          arrival ? `${arrival} · ` : "",
          el("a", { href: `/organizations/${stop.organization_id}` }, stop.account_name)),
        el("p", {},
          _("{minutes} min visit", { minutes: stop.duration_minutes }),
          stop.window_start ? " · " + _("window {start}–{end}", { start: stop.window_start, end: stop.window_end }) : "",
          " · ", VisitText.state(stop.state),
          late ? el("span", { class: "route-late" }, " · " + _("arrives after the window")) : null),
        stop.address ? el("p", { class: "muted" }, stop.address) : null));
  }

  function drawMap(start, stops) {
    const points = stops.filter(located);
    const box = document.getElementById("route-map");
    if (!points.length) {
      box.replaceChildren(el("p", { class: "muted" }, _("No stop has a position.")));
      return;
    }
    const all = located(start) ? [start, ...points] : points;
    const meanLat = all.reduce((s, p) => s + p.latitude, 0) / all.length;
    const squeeze = Math.cos(meanLat * Math.PI / 180);
    const xs = all.map((p) => p.longitude * squeeze);
    const ys = all.map((p) => -p.latitude);
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const width = 400, height = 300, pad = 24;
    // One scale for both axes (the shape stays true); a lone point or a line sits centred.
    const scale = Math.min((width - 2 * pad) / (maxX - minX || 1e-9), (height - 2 * pad) / (maxY - minY || 1e-9));
    const spread = Math.max(maxX - minX, maxY - minY) > 0 ? scale : 0;
    const [offX, offY] = [(width - (maxX - minX) * spread) / 2, (height - (maxY - minY) * spread) / 2];
    const at = (p) => [offX + (p.longitude * squeeze - minX) * spread, offY + (-p.latitude - minY) * spread];
    const drawing = CC.svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img",
      "aria-label": _("Drawing of the route through {count} stops", { count: points.length }) });
    const node = (tag, attrs, ...children) => {
      const n = CC.svg(tag, attrs, ...children);
      drawing.append(n);
      return n;
    };
    const path = (located(start) ? [start, ...points, start] : points).map((p) => at(p).join(",")).join(" ");
    node("polyline", { points: path, fill: "none", stroke: "#0a58ca", "stroke-width": 2, "stroke-dasharray": "5 3" });
    if (located(start)) {
      const [x, y] = at(start);
      node("rect", { x: x - 7, y: y - 7, width: 14, height: 14, fill: "#1b1f24" });
      node("text", { x: x + 10, y: y + 4, "font-size": 12, fill: "#1b1f24" }, _("Start"));
    }
    points.forEach((p) => {
      const [x, y] = at(p);
      const number = stops.indexOf(p) + 1;
      node("circle", { cx: x, cy: y, r: 10, fill: "#0a58ca" }, CC.svg("title", {}, `${number}. ${p.account_name}`));
      node("text", { x, y: y + 4, "font-size": 11, "text-anchor": "middle", fill: "#ffffff" }, String(number));
    });
    box.replaceChildren(drawing);
  }

  async function load() {
    if (!page.manager_id) return;
    const query = new URLSearchParams({ manager_id: page.manager_id, day: page.day });
    try {
      const route = await CC.api("GET", "/api/v1/visits/route?" + query);
      const stops = route.stops || [];
      const start = route.start && located(route.start) ? route.start : null;
      list.replaceChildren(...stops.map((stop, i) =>
        stopItem(stop, i, i ? stops[i - 1] : (start ? Object.assign({ leaves_at: null }, start) : null))));
      const last = stops[stops.length - 1];
      if (start && located(last)) {
        list.append(el("li", { class: "route-leg" },
          "↓ " + _("back to the start: {km} km", { km: km(last, start).toFixed(1) })));
      }
      document.getElementById("route-count").textContent = String(stops.length);
      document.getElementById("route-distance").textContent = _("{km} km", { km: Number(route.distance_km || 0).toFixed(1) });
      document.getElementById("route-travel").textContent = _("{minutes} min", { minutes: Math.round(route.travel_minutes || 0) });
      document.getElementById("route-totals").hidden = false;
      status.textContent = stops.length ? "" : _("No visits on this day.");
      drawMap(start, stops);
    } catch (error) {
      status.textContent = _("The route could not be loaded: {error}", { error: error.message });
    }
  }

  let pending = null;
  CC.live.on("visit.updated", (data) => {
    if (data && data.manager_id && String(data.manager_id) !== String(page.manager_id)) return;
    clearTimeout(pending);
    pending = setTimeout(load, 300);
  });
  CC.live.on("reload", load);
  load();
});
