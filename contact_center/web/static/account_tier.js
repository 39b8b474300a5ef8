// The tier section of the info card (customer and organization pages): the account's tier now,
// what the last run computed and any override, the key-account flag, and the history of moves
// up and down with their reasons. Supervisors override or remove the override here. Also shares
// the words for a move and a lifecycle stage (window.CCTiers) with the accounts page and the
// health section.
"use strict";

(function () {
  const CC = window.CC;
  const _ = CC.t;
  const el = CC.el;

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
    body.replaceChildren(facts, el("h4", {}, _("Tier moves")), moves, canOverride ? overrideForm(tier) : null);
  }

  async function load() {
    try {
      draw(await CC.api("GET", `/api/v1/accounts/${accountId}/tier`));
    } catch (error) {
      if (error.status === 403 || error.status === 404) { section.hidden = true; return; }
      status.textContent = error.message;
    }
  }

  CC.live.on("account.tier_changed", (data) => { if (data.organization_id === accountId) load(); });
  CC.live.on("reload", load);
  load();
})();
