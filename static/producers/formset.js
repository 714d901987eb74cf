/* "Add a row" for a Django formset: [data-formset=<prefix>] holds the rows ([data-formset-rows]),
   a <template data-formset-empty> of the empty form and a [data-formset-add] button. Without
   JavaScript the page still offers its blank rows; the button shows only when this runs. */
(function () {
  "use strict";

  function setUp(box) {
    var prefix = box.dataset.formset;
    var total = box.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var max = box.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    var rows = box.querySelector("[data-formset-rows]");
    var empty = box.querySelector("template[data-formset-empty]");
    var button = box.querySelector("[data-formset-add]");
    if (!total || !rows || !empty || !button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) { return; }
      var html = empty.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = rows.lastElementChild && rows.lastElementChild.querySelector("input, select, textarea");
      if (first) { first.focus(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-formset]"), setUp);
  });
})();
