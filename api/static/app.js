// Small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Canned replies: choosing one fills the reply box (the staff member can still edit it).
  document.querySelectorAll("select.canned").forEach(function (select) {
    select.addEventListener("change", function () {
      var target = document.getElementById(select.dataset.target);
      if (target && select.value) { target.value = select.value; target.focus(); }
    });
  });
  // Confirmation for destructive buttons (no inline onclick: the CSP forbids inline script).
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) { event.preventDefault(); }
    });
  });
});
