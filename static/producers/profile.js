/* A family's profile: its plots on the shared map (Minka.plotMap), from the JSON embedded in the page.
   The map draws its legends; the table of plots beside it says the same in words. */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("family-map");
    if (!element || !window.Minka) { return; }
    var source = document.getElementById(element.dataset.source);
    var plots = Minka.plotMap(element, { data: JSON.parse(source.textContent), colourBy: "certification" });
    var choice = document.getElementById("colour-by");
    if (choice) {
      choice.addEventListener("change", function () { plots.setColour(choice.value); });
    }
  });
})();
