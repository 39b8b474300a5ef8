// The tier section of the info card (customer and organization pages): the account's tier now,
// what the last run computed and any override, the key-account flag, its value in the tier
// window now with a bar per month and its share and rank at the last tier run, and the history
// of moves up and down with their reasons. Supervisors override or remove the override here.
// Also shares the words for a move and a lifecycle stage (window.CCTiers) with the accounts page
// and the health section.
"use strict";

(function () {
  const CC = window.CC;
  const _ = CC.t;
  const { el, svg } = CC;

  /** A move's reason in the reader's language: "cut-off", "override: <why>", "override removed". */
  function reasonText(reason) {
    if (reason === "cut-off") return _("cut-off (tier run)");
    if (reason === "override removed") return _("override removed");
    if (reason.startsWith("override: ")) return _("override: {reason}", { reason: reason.slice(10) });
    return reason;
  }

  const tierName = (tier) => (tier ? _("Tier {tier}", { tier }) : _("no tier"));
  // The stored stage "customer" reads as "Active".
  const STAGES = { prospect: _("Prospect"), customer: _("Active"), dormant: _("Dormant"), lost: _("Lost") };
  const stageName = (stage) => STAGES[stage] || stage;

  /** "B → A" with an arrow that says up or down in words too. */
  function moveText(move) {
    if (!move.from_tier) return _("first tier: {to}", { to: tierName(move.to_tier) });
    const order = { A: 0, B: 1, C: 2 };
    const up = (order[move.to_tier] ?? 3) < (order[move.from_tier] ?? 3);
    const direction = up ? _("up") : _("down"); // outside the call below: the extractor skips nested ones
    return _("{from} → {to} ({direction})", { from: tierName(move.from_tier), to: tierName(move.to_tier), direction });
  }

  function moveItem(move, withAccount) {
    return el("li", { class: "tier-move" },
      el("time", { class: "muted", datetime: move.moved_at }, CC.formatTime(move.moved_at)), " ",
      withAccount ? [move.account_name, ": "] : null,
      el("strong", {}, moveText(move)), " · ", reasonText(move.reason),
      move.actor_name ? el("span", { class: "muted" }, " · ", move.actor_name) : null);
  }

  window.CCTiers = { reasonText, moveText, moveItem, tierName, stageName };

  const section = document.getElementById("account-tier");
  if (!section) return;
  const accountId = section.dataset.accountId;
  const canOverride = section.dataset.canOverride === "1";
  const body = section.querySelector(".tier-body");
  const status = section.querySelector("[role=status]");

  function overrideForm(tier) {
    const select = el("select", { id: "override-tier", name: "tier" },
      ["A", "B", "C"].map((t) => el("option", { value: t, selected: t === (tier.override_tier || tier.tier) }, tierName(t))));
    const reason = el("input", { id: "override-reason", name: "reason", type: "text", required: true, maxlength: 500,
      value: tier.override_reason || "" });
    const form = el("form", { class: "override-form" },
      el("fieldset", {},
        el("legend", {}, _("Override the tier")),
        el("label", { for: "override-tier" }, _("Tier")), " ", select, " ",
        el("label", { for: "override-reason" }, _("Reason")), " ", reason, " ",
        el("button", { type: "submit" }, _("Save override")), " ",
        tier.override_tier ? el("button", { type: "button", id: "remove-override", onclick: () => send("DELETE") }, _("Remove override")) : null));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!reason.value.trim()) { status.textContent = _("Say why the tier is overridden."); reason.focus(); return; }
      send("PUT", { tier: select.value, reason: reason.value.trim() });
    });
    return form;
  }

  async function send(method, payload) {
    status.textContent = _("Saving…");
    try {
      const answer = await CC.api(method, `/api/v1/accounts/${accountId}/tier-override`, payload);
      if (answer) draw(answer); else await load(); // DELETE answers 204
      status.textContent = _("Saved.");
    } catch (error) {
      status.textContent = error.message;
    }
  }

  // ---- The account's value (GET …/values): live with a bar per month; the last run's rank. ----
  const locale = document.documentElement.dataset.locale || "en";
  const money = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const monthName = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", timeZone: "UTC" });
  const monthLetter = new Intl.DateTimeFormat(locale, { month: "narrow", timeZone: "UTC" });
  const asDate = (month) => new Date(month + "-01T00:00:00Z");
  const valueBox = el("div", { class: "account-value" });

  /** One bar per month of the window, drawn up from the zero line (a month of credits down). */
  function monthBars(months, label) {
    const barWidth = 18;
    const gap = 4;
    const plot = 48;
    const width = months.length * (barWidth + gap);
    const amounts = months.map((m) => Number(m.amount));
    const high = Math.max(0, ...amounts);
    const low = Math.min(0, ...amounts);
    const span = high - low || 1;
    const zero = (high / span) * plot;
    const drawing = svg("svg", { width, height: plot + 14, viewBox: `0 0 ${width} ${plot + 14}`, role: "img",
      class: "value-bars", "aria-label": label });
    months.forEach((month, n) => {
      const amount = amounts[n];
      const size = (Math.abs(amount) / span) * plot;
      const x = n * (barWidth + gap) + gap / 2;
      drawing.append(
        svg("rect", { x, y: amount >= 0 ? zero - size : zero, width: barWidth,
          height: Math.max(size, amount === 0 ? 0 : 1), class: amount < 0 ? "value-bar negative" : "value-bar" },
        svg("title", {}, `${monthName.format(asDate(month.month))}: ${money.format(amount)}`)),
        svg("text", { x: x + barWidth / 2, y: plot + 12, "text-anchor": "middle", class: "value-month" },
          monthLetter.format(asDate(month.month))));
    });
    drawing.append(svg("line", { x1: 0, x2: width, y1: zero, y2: zero, class: "value-zero" }));
    return drawing;
  }

  /** Share and rank as the last tier run counted them (the live value may have moved since);
   *  nothing when no run has counted the account. */
  function lastRun(run) {
    if (!run) return [];
    return [el("p", { class: "last-run" }, _(
      "At the last tier run ({date}): share {share}, rank {rank} of {accounts}, accounts ranked above hold {above}",
      { date: CC.formatTime(run.ran_at), share: percent.format(run.share), rank: run.rank,
        accounts: run.accounts, above: percent.format(run.share_before) }))];
  }

  function drawValues(values) {
    const heading = el("h4", {}, _("Value in the tier window"));
    const period = el("p", { class: "muted" }, _("{from} to {to}", { from: values.window_from, to: values.window_to }));
    const any = values.entries.length > 0;
    if (!any) {
      valueBox.replaceChildren(heading, period, el("p", { class: "muted no-values" }, _("No values imported")));
      return;
    }
    const facts = el("dl", { class: "facts value-facts" },
      el("dt", {}, _("Value")),
      el("dd", {}, el("strong", { class: "value-total" }, money.format(Number(values.value)))));
    const amounts = values.months.map((m) => Number(m.amount));
    const top = values.months[amounts.indexOf(Math.max(...amounts))];
    const label = _("Value by month from {from} to {to}; highest {amount} in {month}", {
      from: monthName.format(asDate(values.months[0].month)),
      to: monthName.format(asDate(values.months[values.months.length - 1].month)),
      amount: money.format(Number(top.amount)),
      month: monthName.format(asDate(top.month)),
    });
    const table = el("table", { class: "value-months" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, _("Month")), el("th", { scope: "col" }, _("Amount")))),
      el("tbody", {}, values.months.map((m) => el("tr", {},
        el("th", { scope: "row" }, monthName.format(asDate(m.month))),
        el("td", { class: "number" }, money.format(Number(m.amount)))))));
    valueBox.replaceChildren(heading, period, facts, monthBars(values.months, label),
      ...lastRun(values.last_run), el("details", {}, el("summary", {}, _("Month by month")), table));
  }

  async function loadValues() {
    try {
      drawValues(await CC.api("GET", `/api/v1/accounts/${accountId}/values?limit=1`));
    } catch (error) {
      if (error.status === 403 || error.status === 404) { valueBox.replaceChildren(); return; }
      valueBox.replaceChildren(el("p", { class: "muted" }, error.message));
    }
  }

  function draw(tier) {
    // The page heading's tier badge follows too (an override takes effect at once).
    const badge = document.getElementById("account-tier-badge");
    if (badge && tier.tier) badge.textContent = tierName(tier.tier);
    const facts = el("dl", { class: "facts" },
      el("dt", {}, _("Tier now")),
      el("dd", {}, el("strong", {}, tierName(tier.tier)), " ",
        tier.override_tier ? el("span", { class: "badge" }, _("override")) : el("span", { class: "muted" }, _("computed"))),
      el("dt", {}, _("Last tier run")),
      el("dd", {}, tier.computed_tier ? tierName(tier.computed_tier) : el("span", { class: "muted" }, _("not tiered yet"))),
      tier.override_tier ? [
        el("dt", {}, _("Override")),
        el("dd", {}, tierName(tier.override_tier), " · ", tier.override_reason,
          el("span", { class: "muted" }, " · ", tier.override_by || "", " ", CC.formatTime(tier.override_at))),
      ] : null,
      el("dt", {}, _("Key account")),
      el("dd", {}, tier.is_key_account ? _("yes") : _("no"), tier.key_by_hand ? el("span", { class: "muted" }, " ", _("(flagged by hand)")) : null));
    const moves = tier.moves.length
      ? el("ul", { class: "plain tier-moves" }, tier.moves.map((m) => moveItem(m, false)))
      : el("p", { class: "muted" }, _("No tier moves yet."));
    body.replaceChildren(facts, valueBox, el("h4", {}, _("Tier moves")), moves);
    if (canOverride) body.append(overrideForm(tier)); // supervisors and admins only
  }

  async function load() {
    try {
      draw(await CC.api("GET", `/api/v1/accounts/${accountId}/tier`));
    } catch (error) {
      if (error.status === 403 || error.status === 404) { section.hidden = true; return; }
      status.textContent = error.message;
    }
  }

  CC.live.on("account.tier_changed", (data) => { if (data.organization_id === accountId) { load(); loadValues(); } });
  CC.live.on("reload", () => { load(); loadValues(); });
  load();
  loadValues();
})();
