/* Minka on every page. A page that comes back with a form's errors puts the focus on them (the summary at the
   top of a long form, else the first invalid field), so that a screen reader reads them at once; a link of the
   summary puts the focus on its field. */
(function () {
  "use strict";

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
