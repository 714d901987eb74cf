// Purchases: Enter in the family search chooses (it must not save a half-typed purchase);
// a receipt number typed while the centre's next number was being fetched stays; the receipt's Print button.
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

  // Choosing a centre fetches its next receipt number with the number as it was then. If the officer
  // typed one before the answer came (a slow line in the field), the answer must not wipe it out.
  var sentReceipt = null;
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.id === "receipt-number") sentReceipt = event.detail.parameters.receipt_number;
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target.id !== "receipt-number") return;
    var input = document.getElementById("id_receipt_number");
    if (input && sentReceipt !== null && input.value !== sentReceipt) event.detail.shouldSwap = false;
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
