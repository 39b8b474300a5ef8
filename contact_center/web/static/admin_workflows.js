// The complaint workflow settings page: each step's deadlines (default and key account, with
// their clock), warning shares and texts, saved as a new version through PUT
// /api/v1/workflows/{name}; the versions saved so far; and the two managed lists.
"use strict";

(function () {
  const _ = CC.t;
  const el = CC.el;
  const LANGUAGES = [["en", "English"], ["zh_Hans", "简体中文"]];
  const TIERS = [["default", _("Default")], ["key_account", _("Key account")]];
  const TEXT_NAMES = { acknowledgement: _("Acknowledgement"), survey: _("Satisfaction survey") };
  const editor = document.getElementById("workflow-editor");
  const name = editor ? editor.dataset.workflow : "";
  let current = null; // {version, definition}

  function entryOf(raw) {
    if (!raw) return { within: "", clock: "business", from: "step" };
    if (typeof raw === "string") return { within: raw, clock: "business", from: "step" };
    return { within: raw.within, clock: raw.clock || "business", from: raw.from || "step" };
  }

  function rawOf(entry) {
    if (entry.clock === "business" && entry.from === "step") return entry.within;
    const raw = { within: entry.within, clock: entry.clock };
    if (entry.from === "case") raw.from = "case";
    return raw;
  }

  function deadlineInputs(step, index, tier, label) {
    const entry = entryOf((step.deadline || {})[tier]);
    const path = `steps[${index}].deadline.${tier}`;
    const within = el("input", {
      type: "text", class: "duration", value: entry.within, "data-path": path,
      "aria-label": _("{step}: {tier} deadline", { step: step.title.en, tier: label }),
      placeholder: tier === "default" ? "2h" : _("same"),
    });
    const clock = el("select", { "aria-label": _("{step}: {tier} clock", { step: step.title.en, tier: label }) },
      el("option", { value: "business", selected: entry.clock === "business" }, _("business time")),
      el("option", { value: "wall", selected: entry.clock === "wall" }, _("wall clock")));
    const from = entry.from === "case" ? el("span", { class: "muted" }, _("from the complaint's start")) : null;
    const row = el("div", { class: "deadline" }, el("span", { class: "muted" }, label), within, clock, from);
    row.read = () => (within.value.trim() ? rawOf({ within: within.value.trim(), clock: clock.value, from: entry.from }) : null);
    return row;
  }

  function titleInputs(titled, path, what) {
    const inputs = LANGUAGES.map(([code, language]) => el("input", {
      type: "text", class: "title", value: titled[code] || "", "data-path": `${path}.${code}`,
      "aria-label": `${what} (${language})`, lang: code === "zh_Hans" ? "zh-Hans" : "en",
    }));
    const box = el("div", {}, ...inputs);
    box.read = () => {
      const out = {};
      inputs.forEach((input, i) => { if (input.value.trim()) out[LANGUAGES[i][0]] = input.value.trim(); });
      return out;
    };
    return box;
  }

  function shareInput(value, path, label) {
    return el("input", {
      type: "number", class: "share", min: "1", max: "99", step: "1", "data-path": path, "aria-label": label,
      value: value === undefined || value === null ? "" : String(Math.round(value * 100)),
    });
  }

  function render(workflow) {
    current = workflow;
    const body = workflow.definition;
    const rows = [];
    const readers = [];
    body.steps.forEach((step, index) => {
      const title = titleInputs(step.title, `steps[${index}].title`, _("Step title"));
      const cells = [];
      const deadlines = step.final ? [] : TIERS.map(([tier, label]) => deadlineInputs(step, index, tier, label));
      const share = step.final ? null : shareInput(step.warn_at, `steps[${index}].warn_at`,
        _("{step}: warn at (% of the deadline)", { step: step.title.en }));
      cells.push(el("td", {}, title), el("td", {}, deadlines.length ? deadlines : el("span", { class: "muted" }, _("No deadline"))),
        el("td", {}, share || "", share ? el("span", { class: "muted" }, " %") : ""));
      cells.push(el("td", { class: "muted" }, (step.leave_requires || []).join(", ")));
      rows.push(el("tr", {}, cells));
      readers.push(() => {
        const next = Object.assign({}, step, { title: title.read() });
        if (!step.final) {
          const deadline = {};
          deadlines.forEach((row, i) => { const raw = row.read(); if (raw) deadline[TIERS[i][0]] = raw; });
          if (Object.keys(deadline).length) next.deadline = deadline; else delete next.deadline;
          if (share.value.trim()) next.warn_at = Number(share.value) / 100; else delete next.warn_at;
        }
        return next;
      });
    });
    const overall = shareInput(body.warn_at, "warn_at", _("Warn at (% of the deadline) unless a step says otherwise"));
    const texts = Object.entries(body.texts || {}).map(([key, byLanguage]) => {
      const areas = LANGUAGES.map(([code, language]) => el("label", {}, language,
        el("textarea", { "data-path": `texts.${key}.${code}`, lang: code === "zh_Hans" ? "zh-Hans" : "en" }, byLanguage[code] || "")));
      const box = el("fieldset", {}, el("legend", {}, TEXT_NAMES[key] || key), ...areas);
      box.read = () => {
        const out = {};
        areas.forEach((label, i) => { const v = label.querySelector("textarea").value.trim(); if (v) out[LANGUAGES[i][0]] = v; });
        return [key, out];
      };
      return box;
    });
    const status = el("p", { role: "status", "aria-live": "polite", class: "muted" },
      _("Version {version}", { version: workflow.version }));
    const error = el("p", { class: "alert error", role: "alert", hidden: true });
    const save = el("button", { type: "submit", class: "primary" }, _("Save as a new version"));
    const form = el("form", { class: "workflow-form" },
      status, error,
      el("table", { class: "list workflow-steps" },
        el("caption", { class: "visually-hidden" }, _("Steps with their deadlines")),
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, _("Step")), el("th", { scope: "col" }, _("Deadline")),
          el("th", { scope: "col" }, _("Warn at")), el("th", { scope: "col" }, _("Needed to leave")))),
        el("tbody", {}, rows)),
      el("p", {}, el("label", {}, _("Warn at (% of the deadline) unless a step says otherwise"), " ", overall, " %")),
      el("h2", {}, _("Texts to customers")),
      el("div", { class: "workflow-texts" }, texts),
      el("p", { class: "muted" }, _("{number} is the ticket number, {link} the survey's link.")),
      save);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      for (const node of form.querySelectorAll(".invalid")) node.classList.remove("invalid");
      error.hidden = true;
      const definition = Object.assign({}, body, {
        steps: readers.map((read) => read()),
        texts: Object.fromEntries(texts.map((box) => box.read())),
      });
      if (overall.value.trim()) definition.warn_at = Number(overall.value) / 100; else delete definition.warn_at;
      save.disabled = true;
      try {
        const saved = await CC.api("PUT", `/api/v1/workflows/${encodeURIComponent(name)}`,
          { version: current.version, definition });
        render(saved);
        editor.querySelector("[role=status]").textContent = _("Saved as version {version}.", { version: saved.version });
      } catch (problem) {
        error.hidden = false;
        const stepAt = /^steps\[(\d+)\]/.exec(problem.field || "");
        const where = stepAt && body.steps[Number(stepAt[1])] ? body.steps[Number(stepAt[1])].title.en : problem.field;
        error.textContent = where ? `${where}: ${problem.message}` : problem.message;
        const culprit = problem.field && form.querySelector(`[data-path="${CSS.escape(problem.field)}"]`);
        if (culprit) { culprit.classList.add("invalid"); culprit.focus(); }
      } finally {
        save.disabled = false;
      }
    });
    editor.replaceChildren(form);
    editor.removeAttribute("aria-busy");
    const versions = document.querySelector("#workflow-versions tbody");
    versions.replaceChildren(...workflow.versions.map((v) => el("tr", {},
      el("td", {}, String(v.version)),
      el("td", {}, v.created_by_name || _("The system")),
      el("td", {}, el("time", { datetime: v.created_at }, CC.formatTime(v.created_at))))));
  }

  async function renderList(box) {
    const list = box.dataset.list;
    const heading = box.querySelector("h3");
    const found = await CC.api("GET", `/api/v1/case-labels/${list}`);
    const message = el("p", { role: "status", "aria-live": "polite", class: "muted" });
    const rows = found.labels.map((entry, index) => {
      const title = titleInputs(entry.title, "title", `${entry.key}`);
      const active = el("input", { type: "checkbox", checked: entry.active, "aria-label": _("{key} is in use", { key: entry.key }) });
      const patch = async (changes) => {
        try {
          await CC.api("PATCH", `/api/v1/case-labels/${list}/${entry.key}`, changes);
          await renderList(box);
        } catch (problem) { message.textContent = problem.message; }
      };
      const neighbour = (step) => found.labels[index + step];
      const move = (step) => async () => {
        const other = neighbour(step);
        if (!other) return;
        await CC.api("PATCH", `/api/v1/case-labels/${list}/${other.key}`, { position: index });
        await patch({ position: index + step });
      };
      return el("tr", { class: entry.active ? "" : "inactive" },
        el("td", {}, el("code", {}, entry.key)),
        el("td", {}, title),
        el("td", {}, active),
        el("td", { class: "nowrap" },
          el("button", { type: "button", onclick: move(-1), disabled: index === 0, "aria-label": _("Move {key} up", { key: entry.key }) }, "↑"),
          el("button", { type: "button", onclick: move(1), disabled: index === found.labels.length - 1, "aria-label": _("Move {key} down", { key: entry.key }) }, "↓"),
          el("button", { type: "button", onclick: () => patch({ title: title.read(), active: active.checked }) }, _("Save"))));
    });
    const key = el("input", { type: "text", name: "key", pattern: "[a-z0-9_]{1,40}", required: true, "aria-label": _("Key") , placeholder: _("key") });
    const title = titleInputs({}, "title", _("Title"));
    const add = el("form", { class: "add" }, key, title, el("button", { type: "submit" }, _("Add")));
    add.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await CC.api("POST", `/api/v1/case-labels/${list}`, { key: key.value.trim(), title: title.read() });
        await renderList(box);
      } catch (problem) { message.textContent = problem.field ? `${problem.field}: ${problem.message}` : problem.message; }
    });
    box.replaceChildren(heading, message,
      el("table", { class: "list" },
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, _("Key")), el("th", { scope: "col" }, _("Title")),
          el("th", { scope: "col" }, _("In use")), el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, _("Actions"))))),
        el("tbody", {}, rows)),
      add);
  }

  document.addEventListener("DOMContentLoaded", async () => {
    if (!editor) return;
    try {
      render(await CC.api("GET", `/api/v1/workflows/${encodeURIComponent(name)}`));
    } catch (problem) {
      editor.replaceChildren(el("p", { class: "alert error", role: "alert" }, problem.message));
    }
    for (const box of document.querySelectorAll(".label-list")) await renderList(box);
    CC.live.on("workflow.updated", async () => {
      for (const box of document.querySelectorAll(".label-list")) await renderList(box);
    });
  });
})();
