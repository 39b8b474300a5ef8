// The accounts page: key accounts (a manager's own; supervisors all) with tier, lifecycle stage,
// manager and open tasks, recent tier moves, and for supervisors the new key accounts waiting for
// a manager (picked here) and a "re-tier now" button. Live over account.tier_changed and
// account.task.
"use strict";

(function () {
  const CC = window.CC;
  const _ = CC.t;
  const el = CC.el;
  const page = JSON.parse(document.getElementById("accounts-data").textContent);
  const status = document.getElementById("accounts-status");
  const TASK_KINDS = { assign_manager: _("Name an account manager"), reactivate: _("Win back a dormant account") };

  function accountCell(account) {
    return account.personal ? account.name : el("a", { href: `/organizations/${account.id}` }, account.name);
  }

  const PAGE = 50;
  const view = { offset: 0, manager: "" };
  const filter = document.getElementById("manager-filter");
  if (filter) {
    filter.append(...page.managers.map((m) => el("option", { value: m.id }, m.name)));
    filter.addEventListener("change", () => { view.manager = filter.value; view.offset = 0; load(); });
  }

  function pageButton(label, offset) {
    return el("button", { type: "button", disabled: offset === null,
      onclick: () => { view.offset = offset; load(); } }, label);
  }

  function drawPager(found) {
    const shown = found.accounts.length;
    const from = shown ? found.offset + 1 : 0;
    document.getElementById("key-pager").replaceChildren(
      pageButton(_("Previous page"), found.offset > 0 ? Math.max(0, found.offset - PAGE) : null), " ",
      el("span", { role: "status" }, _("{from}–{to} of {total} key accounts",
        { from, to: found.offset + shown, total: found.total })), " ",
      pageButton(_("Next page"), found.next_offset));
  }

  function keyAccountsUrl() {
    const query = new URLSearchParams({ limit: String(PAGE), offset: String(view.offset) });
    if (view.manager) query.set("manager_id", view.manager);
    return `/api/v1/accounts/key?${query}`;
  }

  function drawAccounts(accounts) {
    const body = document.querySelector("#key-accounts tbody");
    if (!accounts.length) {
      body.replaceChildren(el("tr", { class: "empty" }, el("td", { colspan: 5, class: "muted" }, _("No key accounts."))));
      return;
    }
    body.replaceChildren(...accounts.map((a) => el("tr", { dataset: { accountId: a.id } },
      el("td", {}, accountCell(a)),
      el("td", {}, window.CCTiers.tierName(a.tier),
        a.override_tier ? [" ", el("span", { class: "badge" }, _("override"))] : null,
        a.key_by_hand ? [" ", el("span", { class: "badge key" }, _("flagged by hand"))] : null),
      el("td", {}, window.CCTiers.stageName(a.lifecycle_stage)),
      el("td", {}, a.manager_name || el("span", { class: "muted" }, _("none yet"))),
      el("td", {}, String(a.open_tasks)))));
  }

  function drawMoves(moves) {
    const list = document.getElementById("tier-moves");
    list.replaceChildren(...(moves.length ? moves.map((m) => window.CCTiers.moveItem(m, true))
      : [el("li", { class: "muted" }, _("No tier moves yet."))]));
  }

  function managerPicker(task) {
    const id = `manager-${task.organization_id}`;
    const select = el("select", { id }, el("option", { value: "" }, _("Pick a manager")),
      page.managers.map((m) => el("option", { value: m.id }, m.name)));
    const button = el("button", { type: "button", onclick: async () => {
      if (!select.value) { select.focus(); return; }
      button.disabled = true;
      try {
        await CC.api("PUT", `/api/v1/accounts/${task.organization_id}/manager`, { manager_id: select.value });
        status.textContent = _("Manager named for {account}.", { account: task.account_name });
        load();
      } catch (error) {
        status.textContent = error.message;
        button.disabled = false;
      }
    } }, _("Assign"));
    return [el("label", { for: id, class: "visually-hidden" }, _("Account manager for {account}", { account: task.account_name })),
      select, " ", button];
  }

  function drawAssignTasks(tasks) {
    const body = document.querySelector("#assign-tasks tbody");
    // Every open task nobody has: a new key account's, and a dormant account's whose manager
    // left. Naming a manager hands the account's open tasks to them.
    const waiting = tasks.filter((t) => !t.assignee_id);
    if (!waiting.length) {
      body.replaceChildren(el("tr", { class: "empty" }, el("td", { colspan: 3, class: "muted" }, _("Every key account has a manager."))));
      return;
    }
    body.replaceChildren(...waiting.map((t) => el("tr", {},
      el("td", {}, el("a", { href: `/organizations/${t.organization_id}` }, t.account_name),
        " · ", el("span", { class: "muted" }, TASK_KINDS[t.kind] || t.kind)),
      el("td", {}, el("time", { datetime: t.due_at }, CC.formatTime(t.due_at))),
      el("td", {}, managerPicker(t)))));
  }

  function drawMyTasks(tasks) {
    const list = document.getElementById("my-tasks");
    list.replaceChildren(...(tasks.length ? tasks.map((t) => el("li", {},
      el("strong", {}, TASK_KINDS[t.kind] || t.kind), " · ", t.account_name, " · ",
      el("time", { class: "muted", datetime: t.due_at }, _("due {time}", { time: CC.formatTime(t.due_at) })), " ",
      el("button", { type: "button", onclick: async () => {
        try { await CC.api("POST", `/api/v1/account-tasks/${t.id}/done`); load(); } catch (error) { status.textContent = error.message; }
      } }, _("Done"))))
      : [el("li", { class: "muted" }, _("No open tasks."))]));
  }

  async function load() {
    try {
      const [accounts, moves, tasks] = await Promise.all([
        CC.api("GET", keyAccountsUrl()),
        CC.api("GET", view.manager ? `/api/v1/accounts/tier-moves?manager_id=${view.manager}` : "/api/v1/accounts/tier-moves"),
        CC.api("GET", "/api/v1/account-tasks"),
      ]);
      drawAccounts(accounts.accounts);
      drawPager(accounts);
      drawMoves(moves.moves);
      if (page.overseer) drawAssignTasks(tasks.tasks); else drawMyTasks(tasks.tasks);
    } catch (error) {
      status.textContent = error.message;
    }
  }

  const run = document.getElementById("run-tiers");
  if (run) {
    run.addEventListener("click", async () => {
      const result = document.getElementById("run-result");
      run.disabled = true;
      result.textContent = _("Re-tiering…");
      try {
        const report = await CC.api("POST", "/api/v1/tiers/run");
        result.textContent = _("{accounts} accounts tiered, {moved} moved.", report);
        load();
      } catch (error) {
        result.textContent = error.message;
      } finally {
        run.disabled = false;
      }
    });
  }

  let pending = null;
  const soon = () => { clearTimeout(pending); pending = setTimeout(load, 300); };
  CC.live.on("account.tier_changed", soon);
  CC.live.on("account.task", soon);
  CC.live.on("reload", load);
  load();
})();
