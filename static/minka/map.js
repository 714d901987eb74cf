/* Minka's plot maps (Leaflet). Plots draw on a plain background, so the map works with no tile
   server; OpenStreetMap tiles are an optional layer for when the office has internet. */
(function () {
  "use strict";

  var COLOURS = {
    certification: { certified: "#2f6b3a", in_conversion: "#d9a441", not_certified: "#8a8178" },
    eudr: { ready: "#2f6b3a", not_assessed: "#d9a441", at_risk: "#b3261e", no_geometry: "#8a8178" }
  };

  function style(colourBy) {
    return function (feature) {
      var colour = (COLOURS[colourBy] || COLOURS.certification)[feature.properties[colourBy]] || "#5b2e0e";
      return { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.45 };
    };
  }

  function popup(feature) {
    var p = feature.properties, text = document.createElement("div");
    var title = document.createElement(p.url ? "a" : "strong");
    if (p.url) { title.href = p.url; }
    title.textContent = p.code + (p.name ? " · " + p.name : "");
    text.appendChild(title);
    if (p.family) { text.appendChild(document.createElement("br")); text.appendChild(document.createTextNode(p.family)); }
    if (p.area_ha) { text.appendChild(document.createElement("br")); text.appendChild(document.createTextNode(p.area_ha.toFixed(2) + " ha")); }
    return text;
  }

  /* A map in `element`: options.data (a FeatureCollection) or options.url; options.colourBy
     ("certification" or "eudr"). Returns {map, layer, setColour(colourBy)}. */
  function plotMap(element, options) {
    options = options || {};
    var map = L.map(element, { preferCanvas: true, zoomControl: true });
    var tiles = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19, attribution: "&copy; OpenStreetMap"
    });
    L.control.layers(null, { "OpenStreetMap": tiles }).addTo(map);
    var colourBy = options.colourBy || "certification";
    var layer = L.geoJSON(null, {
      style: style(colourBy),
      pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, { radius: 6 }); },
      onEachFeature: function (feature, shape) { shape.bindPopup(popup(feature)); }
    }).addTo(map);
    map.setView(options.center || [-6.57, -76.14], options.zoom || 12);

    function show(data) {
      layer.clearLayers();
      layer.addData(data);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 }); }
      element.dataset.features = String(data.features ? data.features.length : 0);
      element.dispatchEvent(new CustomEvent("minka:map-ready", { bubbles: true }));
    }
    if (options.data) { show(options.data); }
    else if (options.url) {
      fetch(options.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(show);
    }
    return {
      map: map, layer: layer,
      setColour: function (by) { colourBy = by; layer.setStyle(style(by)); }
    };
  }

  window.Minka = window.Minka || {};
  window.Minka.plotMap = plotMap;
  window.Minka.MAP_COLOURS = COLOURS;
})();
