// Skerry console: small progressive enhancement, no build chain.
// 1. Live numbers: an element with data-live="<api url>" refreshes every [data-field] inside it every 5 s.
// 2. Confirmation: a form with data-confirm="<question>" asks before it submits.
"use strict";
(function () {
  function refresh(section) {
    fetch(section.getAttribute("data-live"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        section.querySelectorAll("[data-field]").forEach(function (el) {
          var value = data[el.getAttribute("data-field")];
          if (value !== undefined && value !== null) { el.textContent = String(value); }
        });
      })
      .catch(function () { /* the next tick tries again */ });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live]").forEach(function (section) {
      setInterval(function () { refresh(section); }, 5000);
    });
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
