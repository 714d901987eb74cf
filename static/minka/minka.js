/* Minka on every page. The phone's menu button opens and closes the menu (Escape closes it too).
   A page that comes back with a form's errors puts the focus on them (the summary at the top of a long form,
   else the first invalid field), so that a screen reader reads them at once; a link of the summary puts the
   focus on its field. */
(function () {
  "use strict";

  function menuButton() {
    return document.querySelector(".menu-button[aria-controls]");
  }

  function setMenu(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".menu-button[aria-controls]");
    if (button) setMenu(button, button.getAttribute("aria-expanded") !== "true");
  });

  document.addEventListener("keydown", function (event) {
    var button = menuButton();
    if (event.key !== "Escape" || !button || button.getAttribute("aria-expanded") !== "true") return;
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu.contains(document.activeElement) && document.activeElement !== button) return;
    setMenu(button, false);
    button.focus();
  });

  function firstControl(box) {
    return box.querySelector("input:not([type=hidden]), select, textarea, [tabindex]");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    var invalid = document.querySelector("main [aria-invalid=true]");
    if (summary) {
      summary.focus();
    } else if (invalid) {
      invalid.focus();
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a[href^='#']");
    var box = link && document.getElementById(link.getAttribute("href").slice(1));
    var control = box && firstControl(box);
    if (!control) return;
    event.preventDefault();
    box.scrollIntoView();
    control.focus({ preventScroll: true });
  });
})();
