// The business calendar page: add and remove rows of closures and make-up days, the regions of
// the chosen country, and a notice when someone else saves a setting meanwhile.
"use strict";

(function () {
  const CC = window.CC;
  const _ = CC.t;

  function blankRow(key) {
    return CC.el("tr", {},
      CC.el("td", {}, CC.el("input", { type: "date", name: key + "_date", "aria-label": _("Date") })),
      CC.el("td", {}, CC.el("input", { name: key + "_label", maxlength: "100", "aria-label": _("Label") })),
      CC.el("td", {}, CC.el("button", { type: "button", class: "link remove-row" }, _("Remove"))));
  }

  document.addEventListener("click", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLElement)) return;
    if (target.classList.contains("remove-row")) {
      const row = target.closest("tr");
      const body = row && row.parentElement;
      if (!row || !body) return;
      if (body.rows.length > 1) row.remove();
      else for (const input of row.querySelectorAll("input")) input.value = "";
    } else if (target.classList.contains("add-row")) {
      const key = target.dataset.for || "";
      const body = document.querySelector(`table[data-rows="${key}"] tbody`);
      if (!body) return;
      const row = blankRow(key);
      body.append(row);
      row.querySelector("input").focus();
    }
  });

  const country = document.getElementById("holiday-country");
  const region = document.getElementById("holiday-subdivision");
  const regionsNode = document.getElementById("calendar-subdivisions");
  const regions = regionsNode ? JSON.parse(regionsNode.textContent || "{}") : {};
  if (country && region) {
    country.addEventListener("change", () => {
      const codes = regions[country.value] || [];
      region.replaceChildren(CC.el("option", { value: "" }, _("Whole country")),
        ...codes.map((code) => CC.el("option", { value: code }, code)));
    });
  }

  CC.live.on("settings.updated", (data) => {
    const form = document.getElementById(data.key);
    const version = form && form.querySelector('input[name="version"]');
    if (!form || !version || Number(version.value) >= Number(data.version)) return;
    if (form.querySelector(".stale-note")) return;
    form.insertBefore(CC.el("p", { class: "alert stale-note", role: "status" },
      _("Someone else just saved this section. Reload the page before you change it.")),
    form.querySelector("h2").nextSibling);
  });
})();
