/* Minka's plot maps (Leaflet). Plots draw on a plain background, so the map works with no tile
   server; OpenStreetMap tiles are an optional layer for when the office has internet.

   A plot's status shows by its outline as well as its colour (solid, dashed, dotted), so that it
   reads in grey and for colour-blind eyes; the legend beside the map draws the same outlines, and
   names each status. A plot's popup and tooltip say its status in words, and a page may list the
   plots beside the map (options.list) for those who do not see the map at all.

   Leaflet's words (zoom buttons, layers, popups) come from the page's <script id="map-texts">
   ({% map_texts %}), in the page's language. */
(function () {
  "use strict";

  // Each status: its colour and its outline. An outline is one of LINES.
  var STATES = {
    certification: {
      certified: { colour: "#2f6b3a", line: "solid" },
      in_conversion: { colour: "#d9a441", line: "dashed" },
      not_certified: { colour: "#8a8178", line: "dotted" }
    },
    eudr: {
      ready: { colour: "#2f6b3a", line: "solid" },
      not_assessed: { colour: "#d9a441", line: "dashed" },
      at_risk: { colour: "#b3261e", line: "dotted" },
      no_geometry: { colour: "#8a8178", line: "dotted" }
    }
  };
  var LINES = {
    solid: { weight: 2, dashArray: null, fillOpacity: 0.45, border: "2px solid" },
    dashed: { weight: 2.5, dashArray: "8 5", fillOpacity: 0.2, border: "2px dashed" },
    dotted: { weight: 3.5, dashArray: "1 6", lineCap: "round", fillOpacity: 0.3, border: "3px dotted" }
  };
  var UNKNOWN = { colour: "#5b2e0e", line: "solid" };

  // Leaflet's own words, for a page that gives none.
  var ENGLISH = {
    zoom_in: "Zoom in", zoom_out: "Zoom out", layers: "Layers", leaflet: "A JavaScript library for interactive maps",
    close: "Close", point: "Marker", plot: "Plot", family: "Family", area: "Area (ha)",
    certification: "Certification", eudr: "EUDR"
  };

  function texts() {
    var script = document.getElementById("map-texts");
    return L.extend({}, ENGLISH, script ? JSON.parse(script.textContent) : {});
  }

  function state(by, value) {
    return (STATES[by] || STATES.certification)[value] || UNKNOWN;
  }

  function style(colourBy) {
    return function (feature) {
      var status = state(colourBy, feature.properties[colourBy]), line = LINES[status.line];
      return {
        color: status.colour, fillColor: status.colour, weight: line.weight, dashArray: line.dashArray,
        lineCap: line.lineCap || "round", fillOpacity: line.fillOpacity
      };
    };
  }

  function rgba(hex, opacity) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + opacity + ")";
  }

  /* A Leaflet map on `element` whose controls speak the page's language, with the optional tiles.
     The plot editor builds on it too. */
  function baseMap(element, options) {
    var t = texts();
    var map = L.map(element, L.extend({ zoomControl: false }, options || {}));
    element.leafletMap = map; // for the page's other scripts, and for the browser tests
    L.control.zoom({ zoomInTitle: t.zoom_in, zoomOutTitle: t.zoom_out }).addTo(map);
    var leaflet = document.createElement("a");
    leaflet.href = "https://leafletjs.com";
    leaflet.title = t.leaflet;
    leaflet.textContent = "Leaflet";
    map.attributionControl.setPrefix(leaflet.outerHTML);
    var tiles = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19, attribution: "&copy; OpenStreetMap"
    });
    var layers = L.control.layers(null, { "OpenStreetMap": tiles }).addTo(map);
    var toggle = layers.getContainer().querySelector(".leaflet-control-layers-toggle");
    if (toggle) { toggle.title = t.layers; toggle.setAttribute("aria-label", t.layers); }
    L.Marker.prototype.options.alt = t.point; // a marker on Minka's maps is a plot's point; Leaflet says "Marker"
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) { close.setAttribute("aria-label", t.close); close.title = t.close; }
    });
    return map;
  }

  /* The words a page's legend gives a status ([data-legend=by] [data-state=value]): the popups and
     the list say what the legend says. */
  function label(scope, by, value) {
    var item = scope.querySelector('[data-legend="' + by + '"] [data-state="' + value + '"]');
    return item ? item.textContent.trim() : value;
  }

  /* The legends in `scope`: the one for `by` shown, each swatch drawn as the map draws the status. */
  function paintLegends(scope, by) {
    Array.prototype.forEach.call(scope.querySelectorAll("[data-legend]"), function (legend) {
      var kind = legend.getAttribute("data-legend");
      legend.hidden = kind !== by;
      legend.style.display = kind !== by ? "none" : ""; // .legend's display: flex outranks [hidden]
      Array.prototype.forEach.call(legend.querySelectorAll("[data-state]"), function (item) {
        var swatch = item.querySelector("i");
        if (!swatch) { return; }
        var status = state(kind, item.getAttribute("data-state")), line = LINES[status.line];
        swatch.style.background = rgba(status.colour, line.fillOpacity);
        swatch.style.border = line.border + " " + status.colour;
        swatch.style.boxSizing = "border-box";
        swatch.style.width = "1.4rem";
        swatch.setAttribute("aria-hidden", "true");
      });
    });
  }

  function hectares(value) {
    var text = value.toFixed(2).split(".");
    return text[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + text[1];
  }

  function line(parent, text) {
    parent.appendChild(document.createElement("br"));
    parent.appendChild(document.createTextNode(text));
  }

  function popup(scope, t) {
    return function (shape) {
      var p = shape.feature.properties, text = document.createElement("div");
      var title = document.createElement(p.url ? "a" : "strong");
      if (p.url) { title.href = p.url; }
      title.textContent = p.code + (p.name ? " · " + p.name : "");
      text.appendChild(title);
      if (p.family) { line(text, p.family); }
      if (p.area_ha) { line(text, hectares(p.area_ha) + " ha"); }
      line(text, t.certification + ": " + label(scope, "certification", p.certification));
      line(text, t.eudr + ": " + label(scope, "eudr", p.eudr));
      return text;
    };
  }

  /* The plots as a table in `container`: what the map shows, for those who do not see it. */
  function listPlots(container, features, scope, t) {
    var table = document.createElement("table"), head = table.createTHead().insertRow();
    [t.plot, t.family, t.area, t.certification, t.eudr].forEach(function (heading, i) {
      var cell = document.createElement("th");
      cell.scope = "col";
      cell.textContent = heading;
      if (i === 2) { cell.className = "number"; }
      head.appendChild(cell);
    });
    var body = table.createTBody();
    features.forEach(function (feature) {
      var p = feature.properties, row = body.insertRow(), plot = row.insertCell();
      var name = document.createElement(p.url ? "a" : "span");
      if (p.url) { name.href = p.url; }
      name.textContent = p.code + (p.name ? " · " + p.name : "");
      plot.appendChild(name);
      row.insertCell().textContent = p.family || "";
      var area = row.insertCell();
      area.className = "number";
      area.textContent = hectares(p.area_ha || 0);
      row.insertCell().textContent = label(scope, "certification", p.certification);
      row.insertCell().textContent = label(scope, "eudr", p.eudr);
    });
    container.textContent = "";
    container.appendChild(table);
  }

  /* A map in `element`: options.data (a FeatureCollection) or options.url; options.colourBy
     ("certification" or "eudr"); options.list, an element to list the plots in. The legends
     ([data-legend]) of the element's section go with it. Returns {map, layer, setColour(colourBy)}. */
  function plotMap(element, options) {
    options = options || {};
    var t = texts();
    var scope = element.closest("section") || document;
    var map = baseMap(element, { preferCanvas: true });
    var colourBy = options.colourBy || "certification";
    var layer = L.geoJSON(null, {
      style: style(colourBy),
      pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, { radius: 6 }); },
      onEachFeature: function (feature, shape) {
        shape.bindPopup(popup(scope, t));
        shape.bindTooltip(function () {
          var p = feature.properties;
          return p.code + " · " + label(scope, colourBy, p[colourBy]);
        }, { sticky: true });
      }
    }).addTo(map);
    map.setView(options.center || [-6.57, -76.14], options.zoom || 12);
    paintLegends(scope, colourBy);

    function show(data) {
      layer.clearLayers();
      layer.addData(data);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 }); }
      if (options.list) { listPlots(options.list, data.features || [], scope, t); }
      element.dataset.features = String(data.features ? data.features.length : 0);
      element.dispatchEvent(new CustomEvent("minka:map-ready", { bubbles: true }));
    }
    if (options.data) { show(options.data); }
    else if (options.url) {
      fetch(options.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(show);
    }
    return {
      map: map, layer: layer,
      setColour: function (by) {
        colourBy = by;
        layer.setStyle(style(by));
        paintLegends(scope, by);
      }
    };
  }

  var COLOURS = {};
  Object.keys(STATES).forEach(function (by) {
    COLOURS[by] = {};
    Object.keys(STATES[by]).forEach(function (value) { COLOURS[by][value] = STATES[by][value].colour; });
  });

  window.Minka = window.Minka || {};
  window.Minka.plotMap = plotMap;
  window.Minka.baseMap = baseMap;
  window.Minka.MAP_COLOURS = COLOURS;
})();
