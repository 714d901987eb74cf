/* The cooperative dashboard: Chart.js charts from the figures the page embeds (json_script
   "dashboard-data"), and the map of plots with its certification / EUDR colour toggle.
   Nothing is fetched but the map's own GeoJSON; every figure comes aggregated from the server. */
(function () {
  "use strict";

  // One colour per season, oldest to newest (the newest in the house's leaf green).
  var SEASON_COLOURS = ["#d9a441", "#8a4b1f", "#2f6b3a"];
  var CUT_TEST_COLOURS = ["#5b2e0e", "#7b4fa0", "#6b7b8c", "#2f6b3a", "#b3261e", "#d9a441"];

  function readData() {
    var element = document.getElementById("dashboard-data");
    return element ? JSON.parse(element.textContent) : null;
  }

  function formatter(locale, digits) {
    var format = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
    return function (value) { return format.format(value); };
  }

  function seasonBars(canvas, data, values, digits) {
    var format = formatter(data.locale, digits);
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.months,
        datasets: data.seasons.map(function (season, index) {
          var colour = SEASON_COLOURS[SEASON_COLOURS.length - data.seasons.length + index] || "#8a8178";
          return { label: String(season), data: values[index], backgroundColor: colour, borderColor: colour };
        })
      },
      options: {
        locale: data.locale,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { callback: format } } },
        plugins: {
          tooltip: {
            callbacks: { label: function (item) { return item.dataset.label + ": " + format(item.parsed.y); } }
          }
        }
      }
    });
  }

  function seasons(canvas, data) {
    var kg = formatter(data.locale, 0);
    return new Chart(canvas, {
      data: {
        labels: data.seasons.map(String),
        datasets: [
          { type: "bar", label: data.labels.kg, data: data.season_kg, backgroundColor: "#2f6b3a", yAxisID: "kg" },
          {
            type: "line", label: data.labels.pen, data: data.season_pen, borderColor: "#d9a441",
            backgroundColor: "#d9a441", yAxisID: "pen"
          }
        ]
      },
      options: {
        locale: data.locale,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          kg: { position: "left", beginAtZero: true, ticks: { callback: kg } },
          pen: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { callback: kg } }
        }
      }
    });
  }

  function cutTest(canvas, data) {
    return new Chart(canvas, {
      type: "doughnut",
      data: {
        labels: data.cut_test.labels,
        datasets: [{ data: data.cut_test.values, backgroundColor: CUT_TEST_COLOURS }]
      },
      options: {
        locale: data.locale,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { position: "right" },
          tooltip: { callbacks: { label: function (item) { return item.label + ": " + item.parsed + " %"; } } }
        }
      }
    });
  }

  function charts(data) {
    if (!data || typeof Chart === "undefined") { return; }
    var kg = document.getElementById("chart-kg");
    var pen = document.getElementById("chart-pen");
    var bySeason = document.getElementById("chart-seasons");
    var cut = document.getElementById("chart-cut-test");
    if (kg) { seasonBars(kg, data, data.kg, 0); }
    if (pen) { seasonBars(pen, data, data.pen, 0); }
    if (bySeason) { seasons(bySeason, data); }
    if (cut && data.cut_test.values.length) { cutTest(cut, data); }
  }

  function plotMap() {
    var element = document.getElementById("plot-map");
    if (!element || !window.Minka || !window.L) { return; }
    var checked = document.querySelector("input[name=colour-by]:checked");
    var colourBy = checked ? checked.value : "certification";
    // The map draws its legends (map.js), and lists the plots for those who do not see it.
    var map = window.Minka.plotMap(element, {
      url: element.getAttribute("data-url"), colourBy: colourBy, list: document.getElementById("plot-list")
    });
    document.querySelectorAll("input[name=colour-by]").forEach(function (input) {
      input.addEventListener("change", function () {
        map.setColour(input.value);
        element.setAttribute("data-colour-by", input.value);
      });
    });
    element.setAttribute("data-colour-by", colourBy);
  }

  charts(readData());
  plotMap();
})();
