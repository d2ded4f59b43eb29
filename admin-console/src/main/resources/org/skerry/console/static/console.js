// Skerry console: small progressive enhancement, no build chain.
// 1. Live numbers: an element with data-live="<api url>" refreshes every [data-field] inside it every 5 s,
//    and every [data-list] from an array of objects: one copy of the list's <template> per item, whose
//    [data-item] elements get the item's fields as text; [data-empty="<field>"] shows while that list is empty.
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
        section.querySelectorAll("[data-list]").forEach(function (list) { fillList(list, data[list.getAttribute("data-list")]); });
        section.querySelectorAll("[data-empty]").forEach(function (el) {
          var items = data[el.getAttribute("data-empty")];
          if (Array.isArray(items)) { el.hidden = items.length > 0; }
        });
      })
      .catch(function () { /* the next tick tries again */ });
  }
  // Text only (textContent), never markup: list items carry log lines and other text that others control.
  function fillList(list, items) {
    var template = list.querySelector("template");
    if (!Array.isArray(items) || !template) { return; }
    Array.prototype.slice.call(list.children).forEach(function (child) {
      if (child !== template) { list.removeChild(child); }
    });
    items.forEach(function (item) {
      var copy = template.content.firstElementChild.cloneNode(true);
      copy.querySelectorAll("[data-item]").forEach(function (el) {
        var value = item[el.getAttribute("data-item")];
        el.textContent = value === undefined || value === null ? "" : String(value);
      });
      list.appendChild(copy);
    });
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
