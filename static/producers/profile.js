/* A family's profile: its plots on the shared map (Minka.plotMap), from the JSON embedded in the page. */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("family-map");
    if (!element || !window.Minka) { return; }
    var source = document.getElementById(element.dataset.source);
    var plots = Minka.plotMap(element, { data: JSON.parse(source.textContent), colourBy: "certification" });

    // The legends take their colours from the map's own table.
    Array.prototype.forEach.call(document.querySelectorAll("[data-legend]"), function (legend) {
      var colours = Minka.MAP_COLOURS[legend.dataset.legend] || {};
      Array.prototype.forEach.call(legend.querySelectorAll("i[data-state]"), function (swatch) {
        swatch.style.background = colours[swatch.dataset.state] || "#5b2e0e";
      });
    });
    var choice = document.getElementById("colour-by");
    if (choice) {
      choice.addEventListener("change", function () {
        plots.setColour(choice.value);
        Array.prototype.forEach.call(document.querySelectorAll("[data-legend]"), function (legend) {
          legend.hidden = legend.dataset.legend !== choice.value;
        });
      });
    }
  });
})();
