// Purchases: Enter in the family search chooses (it must not save a half-typed purchase);
// the receipt's Print button.
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.target.id !== "family-search") return;
    event.preventDefault();
    var choices = document.querySelectorAll("#family-results input[name=producer]");
    if (choices.length === 1 && !choices[0].checked) {
      choices[0].checked = true;
      choices[0].dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
