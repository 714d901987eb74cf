/* Minka's plot editor: the plot's place drawn on a map (Leaflet + Leaflet.draw), read from a GPS file,
   or typed as a point. The hidden `geometry` field holds the GeoJSON the server judges; this script keeps
   it equal to what the map shows. The map draws on a plain background: OpenStreetMap tiles are an
   optional layer, for when the office has internet. Without this script the form still works: the file
   or the point travel with the form, and they are the way in for those who cannot draw with a pointer. */
(function () {
  "use strict";

  var element = document.getElementById("plot-map");
  if (!element || !window.L || !L.Control || !L.Control.Draw || !window.Minka) { return; }

  var input = document.getElementById("id_geometry");
  var latitude = document.getElementById("id_latitude");
  var longitude = document.getElementById("id_longitude");
  var fileInput = document.getElementById("id_gps_file");
  var areaText = document.getElementById("plot-area");
  var notesList = document.getElementById("plot-notes");
  var locate = document.getElementById("plot-locate");
  var texts = JSON.parse(document.getElementById("draw-texts").textContent);
  var family = JSON.parse(document.getElementById("family-plots").textContent);
  var start = JSON.parse(document.getElementById("plot-start").textContent);

  var SHAPE = { color: "#2f6b3a", weight: 3, fillColor: "#2f6b3a", fillOpacity: 0.3 };
  var NEIGHBOUR = { color: "#8a8178", weight: 1, dashArray: "4 4", fillOpacity: 0.12 };
  var DISTRICT = { color: "#5b2e0e", weight: 2, dashArray: "8 6", fill: false };
  var PERU = [-9.19, -75.02]; // where nothing else is known
  var DECIMALS = 7; // about a centimetre: more digits than a GPS or a finger can give

  localise(texts);

  var map = Minka.baseMap(element); // minka/map.js: its controls in the page's language, the optional tiles
  L.control.scale({ imperial: false }).addTo(map);

  // The family's other plots, for reference: not editable.
  var neighbours = L.geoJSON(family, {
    style: NEIGHBOUR, interactive: false,
    pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, L.extend({ radius: 5 }, NEIGHBOUR)); }
  }).addTo(map);

  /* Leaflet makes each marker a button in the tab order; Leaflet.draw's corner handles have no name to say,
     and the invisible marker that follows the pointer while drawing is no button at all. */
  map.on("layeradd", function (event) {
    var icon = event.layer instanceof L.Marker && event.layer.getElement();
    if (!icon || icon.tagName === "IMG") { return; } // an image has its alt (minka/map.js)
    if (icon.classList.contains("leaflet-mouse-marker")) {
      icon.removeAttribute("role");
      icon.tabIndex = -1;
      icon.setAttribute("aria-hidden", "true");
    } else {
      icon.setAttribute("aria-label", texts.corner);
    }
  });

  // The district's boundary on a family's first plot, so that the blank map has a place on it.
  if (start && start.outline) { L.geoJSON(start.outline, { style: DISTRICT, interactive: false }).addTo(map); }

  var drawn = new L.FeatureGroup().addTo(map);
  map.addControl(new L.Control.Draw({
    position: "topleft",
    draw: {
      polygon: { allowIntersection: false, showArea: false, shapeOptions: SHAPE, drawError: { color: "#b3261e", timeout: 2500 } },
      marker: true, polyline: false, rectangle: false, circle: false, circlemarker: false
    },
    edit: { featureGroup: drawn, poly: { allowIntersection: false } }
  }));

  /* The Leaflet layers of a GeoJSON geometry: each part of a MultiPolygon apart, so each can be edited. */
  function layersOf(geometry) {
    if (!geometry || typeof geometry !== "object") { return []; }
    if (geometry.type === "Point") { return [L.marker(L.GeoJSON.coordsToLatLng(geometry.coordinates))]; }
    if (geometry.type === "Polygon") { return [L.polygon(L.GeoJSON.coordsToLatLngs(geometry.coordinates, 1), SHAPE)]; }
    if (geometry.type === "MultiPolygon") {
      return geometry.coordinates.map(function (part) { return L.polygon(L.GeoJSON.coordsToLatLngs(part, 1), SHAPE); });
    }
    return [];
  }

  function show(geometry) {
    drawn.clearLayers();
    try {
      layersOf(geometry).forEach(function (layer) { drawn.addLayer(layer); });
    } catch (error) {
      drawn.clearLayers(); // coordinates the map cannot place: the server says what is wrong with them
    }
  }

  /* The hidden field from the map: a point, a polygon, or a plot in several parts. */
  function sync() {
    var markers = [], parts = [];
    drawn.eachLayer(function (layer) {
      if (layer instanceof L.Marker) { markers.push(layer); }
      else if (layer instanceof L.Polygon) {
        var geometry = layer.toGeoJSON(DECIMALS).geometry;
        parts = parts.concat(geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates);
      }
    });
    var geometry = null;
    if (markers.length) {
      var point = markers[markers.length - 1].toGeoJSON(DECIMALS).geometry;
      geometry = point;
      longitude.value = point.coordinates[0];
      latitude.value = point.coordinates[1];
    } else {
      latitude.value = "";
      longitude.value = "";
      if (parts.length === 1) { geometry = { type: "Polygon", coordinates: parts[0] }; }
      else if (parts.length > 1) { geometry = { type: "MultiPolygon", coordinates: parts }; }
    }
    input.value = geometry ? JSON.stringify(geometry) : "";
    showArea(estimate());
  }

  function estimate() {
    var square_metres = 0, any = false;
    drawn.eachLayer(function (layer) {
      if (layer instanceof L.Polygon) {
        var rings = layer.getLatLngs();
        // A simple polygon's outer ring; a polygon with holes or parts nests one level deeper.
        var outer = rings.length && rings[0].length !== undefined ? rings[0] : rings;
        if (outer.length && outer[0].length !== undefined) { outer = outer[0]; }
        square_metres += L.GeometryUtil.geodesicArea(outer);
        any = true;
      }
    });
    return any ? square_metres : null;
  }

  function hectares(squareMetres) {
    var text = (squareMetres / 10000).toFixed(2).split(".");
    return text[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + text[1];
  }

  function showArea(squareMetres) {
    areaText.textContent = squareMetres === null ? "" : texts.estimate.replace("%(area)s", hectares(squareMetres));
  }

  function fit() {
    var layers = drawn.getLayers();
    if (layers.length === 1 && layers[0] instanceof L.Marker) { map.setView(layers[0].getLatLng(), 16); return; }
    if (layers.length) { map.fitBounds(drawn.getBounds(), { padding: [16, 16], maxZoom: 18 }); return; }
    if (neighbours.getLayers().length) { map.fitBounds(neighbours.getBounds(), { padding: [16, 16], maxZoom: 17 }); return; }
    if (start) {
      // The community's or district's centre, at the zoom that shows all of it (never closer than max_zoom).
      var zoom = start.bounds ? Math.min(map.getBoundsZoom(start.bounds, false, L.point(32, 32)), start.max_zoom) : start.max_zoom;
      map.setView(start.centre, zoom);
      return;
    }
    map.setView(PERU, 5);
  }

  function setNotes(notes) {
    notesList.textContent = "";
    notes.forEach(function (note) {
      var item = document.createElement("li");
      item.textContent = note;
      notesList.appendChild(item);
    });
  }

  /* The file's errors beside it, as the server draws a field's (pages/field.html), and announced: the list
     sits in an alert, so that it stays a list. */
  function setFileErrors(errors) {
    var field = document.getElementById("field-gps_file");
    var old = document.getElementById("gps-file-alert");
    if (old) { old.remove(); }
    var list = field.querySelector(".errorlist");
    if (list) { list.remove(); }
    field.classList.toggle("has-error", errors.length > 0);
    var described = (fileInput.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
      return id && id !== fileInput.id + "_error";
    });
    fileInput.removeAttribute("aria-invalid");
    if (!errors.length) {
      if (described.length) { fileInput.setAttribute("aria-describedby", described.join(" ")); }
      else { fileInput.removeAttribute("aria-describedby"); }
      return;
    }
    var alert = document.createElement("div");
    alert.id = "gps-file-alert";
    alert.setAttribute("role", "alert");
    list = document.createElement("ul");
    list.className = "errorlist";
    list.id = fileInput.id + "_error";
    errors.forEach(function (error) {
      var item = document.createElement("li");
      item.textContent = error;
      list.appendChild(item);
    });
    alert.appendChild(list);
    field.appendChild(alert);
    fileInput.setAttribute("aria-invalid", "true");
    fileInput.setAttribute("aria-describedby", described.concat([list.id]).join(" "));
  }

  // What the page came with (drawn, uploaded or typed before an error): shown, and left as it is.
  var initial = null;
  try { initial = input.value ? JSON.parse(input.value) : null; } catch (error) { initial = null; }
  show(initial);
  fit();

  map.on(L.Draw.Event.CREATED, function (event) {
    drawn.clearLayers(); // one shape: a new drawing replaces the old one
    drawn.addLayer(event.layer);
    sync();
  });
  map.on(L.Draw.Event.EDITED, sync);
  map.on(L.Draw.Event.DELETED, sync);
  map.on(L.Draw.Event.DRAWVERTEX, function (event) {
    var corners = [];
    event.layers.eachLayer(function (marker) { corners.push(marker.getLatLng()); });
    if (corners.length >= 3) { showArea(L.GeometryUtil.geodesicArea(corners)); }
  });

  function typedPoint() {
    var lat = parseFloat(latitude.value), lon = parseFloat(longitude.value);
    if (latitude.value === "" && longitude.value === "") {
      if (drawn.getLayers().some(function (layer) { return layer instanceof L.Marker; })) {
        drawn.clearLayers();
        input.value = "";
      }
      return;
    }
    if (isNaN(lat) || isNaN(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) { return; } // the server explains
    drawn.clearLayers();
    drawn.addLayer(L.marker([lat, lon]));
    input.value = JSON.stringify({ type: "Point", coordinates: [lon, lat] });
    showArea(null);
    fit();
  }
  latitude.addEventListener("change", typedPoint);
  longitude.addEventListener("change", typedPoint);

  if (locate && navigator.geolocation && window.isSecureContext) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        latitude.value = position.coords.latitude.toFixed(6);
        longitude.value = position.coords.longitude.toFixed(6);
        typedPoint();
      }, function () { locate.disabled = true; }, { enableHighAccuracy: true, timeout: 20000 });
    });
  }

  // A file's shape shows on the map at once, to be checked (and adjusted) before saving.
  if (fileInput && window.fetch && window.FormData && element.dataset.readUrl) {
    fileInput.addEventListener("change", function () {
      var file = fileInput.files[0];
      if (!file) { return; }
      var data = new FormData();
      data.append("gps_file", file);
      data.append("csrfmiddlewaretoken", fileInput.form.elements.csrfmiddlewaretoken.value);
      fetch(element.dataset.readUrl, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (answer) {
          if (!answer.ok) { setFileErrors(answer.body.errors || []); return; }
          setFileErrors([]);
          show(answer.body.geometry);
          sync();
          fit();
          fileInput.value = ""; // the map holds the shape now; the file would overwrite any adjustment
          setNotes([texts.read_from.replace("%(name)s", file.name)].concat(answer.body.notes || []));
        })
        .catch(function () { setNotes([texts.read_failed]); });
    });
  }

  element.dataset.ready = "1";
  element.dispatchEvent(new CustomEvent("minka:map-ready", { bubbles: true }));

  /* Leaflet.draw's words (L.drawLocal) in the page's language; set before the toolbar is made. */
  function localise(t) {
    var draw = L.drawLocal.draw, edit = L.drawLocal.edit;
    draw.toolbar.buttons.polygon = t.polygon;
    draw.toolbar.buttons.marker = t.marker;
    draw.toolbar.actions = { title: t.cancel, text: t.cancel };
    draw.toolbar.finish = { title: t.finish, text: t.finish };
    draw.toolbar.undo = { title: t.undo, text: t.undo };
    draw.handlers.polygon.tooltip = { start: t.polygon_start, cont: t.polygon_continue, end: t.polygon_end };
    draw.handlers.marker.tooltip = { start: t.marker_start };
    draw.handlers.polyline.error = t.cross;
    edit.toolbar.buttons = { edit: t.edit, editDisabled: t.edit_none, remove: t.remove, removeDisabled: t.remove_none };
    edit.toolbar.actions = {
      save: { title: t.save, text: t.save }, cancel: { title: t.cancel, text: t.cancel },
      clearAll: { title: t.clear_all, text: t.clear_all }
    };
    edit.handlers.edit.tooltip = { text: t.edit_tip, subtext: t.edit_subtip };
    edit.handlers.remove.tooltip = { text: t.remove_tip };
  }
})();
