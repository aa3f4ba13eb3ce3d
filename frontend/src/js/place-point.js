/*
 * Groundswell place-point: pick a point on a map to fill a latitude/longitude form pair.
 * Progressive enhancement: without JavaScript (or for keyboard and screen-reader users) the two
 * ordinary number inputs are the whole interface; the map is extra.
 *
 * Format: a classic script (ES5 syntax, no modules), loaded with `defer` after Leaflet,
 * topojson-client and basemap.js (see basemap.js). No inline script or style is needed, so it
 * works under a strict Content-Security-Policy.
 *
 * Markup contract:
 *
 *   <label for="id_latitude">Latitude</label>
 *   <input type="number" step="any" min="-90" max="90" dir="ltr" id="id_latitude" name="latitude">
 *   <label for="id_longitude">Longitude</label>
 *   <input type="number" step="any" min="-180" max="180" dir="ltr" id="id_longitude" name="longitude">
 *   <div class="place-point-map"
 *        data-basemap-url="{% static 'vendor/world-atlas/countries-50m.json' %}"
 *        data-lat-input="id_latitude"
 *        data-lon-input="id_longitude"></div>
 *
 *   The inputs should carry dir="ltr" (the script adds it if missing) so that a negative number
 *   is shown as "-17.5" on right-to-left pages too.
 *   Required: data-lat-input, data-lon-input (ids of the inputs; the element is skipped if either
 *   is missing) and data-basemap-url (unless data-tile-url is set; see basemap.js for the optional
 *   data-tile-url / data-tile-attribution / data-tile-max-zoom).
 *   Optional: data-marker-label  accessible name of the marker (default "Selected point").
 *   The map's height comes from map.css (.place-point-map), never from a style attribute.
 *
 * Behaviour: every `.place-point-map` becomes a Leaflet map with the basemap. If both inputs hold a
 * valid coordinate a draggable marker is put there and the map zooms to it, otherwise the world is
 * shown. Clicking the map or dragging the marker writes the coordinates, rounded to 5 decimals
 * (about 1 m), into the inputs and fires `input` and `change` events on them; longitudes are
 * wrapped into [-180, 180]. Typing into the inputs moves the marker (and removes it when the
 * pair is empty or invalid). The mouse wheel zooms only after the map has been clicked or
 * focused, so scrolling the form does not get caught by the map. Each enhanced element gets the
 * class `place-point-map--ready` and its Leaflet map on `element.groundswellMap`.
 */
(function (window, document) {
  "use strict";

  var L = window.L;
  var Groundswell = (window.Groundswell = window.Groundswell || {});
  var DECIMALS = 5;
  var POINT_ZOOM = 8; // zoom used when showing an existing point (countries-only basemap)

  function round(value) {
    var factor = Math.pow(10, DECIMALS);
    var rounded = Math.round(value * factor) / factor;
    return rounded === 0 ? "0" : String(rounded); // never "-0"
  }

  function wrapLon(lon) {
    var wrapped = ((((lon + 180) % 360) + 360) % 360) - 180;
    return wrapped === -180 && lon > 0 ? 180 : wrapped;
  }

  function parse(input) {
    var text = (input.value || "").trim().replace(",", ".");
    if (text === "") return null;
    var value = Number(text);
    return isFinite(value) ? value : null;
  }

  function readInputs(latInput, lonInput) {
    var lat = parse(latInput);
    var lon = parse(lonInput);
    if (lat === null || lon === null || lat < -90 || lat > 90 || lon < -180 || lon > 180) return null;
    return L.latLng(lat, lon);
  }

  /* The copy of `lon` (+/- k * 360) closest to the map's centre, so a point just east of the
   * 180° meridian shows up next to one just west of it. */
  function nearCentre(map, lon) {
    var centre = map.getCenter().lng;
    return lon + 360 * Math.round((centre - lon) / 360);
  }

  function fire(input, type) {
    var event;
    if (typeof window.Event === "function") {
      event = new window.Event(type, { bubbles: true });
    } else {
      event = document.createEvent("Event");
      event.initEvent(type, true, false);
    }
    input.dispatchEvent(event);
  }

  function enhance(element) {
    if (element.groundswellMap) return element.groundswellMap; // idempotent
    var latInput = document.getElementById(element.getAttribute("data-lat-input") || "");
    var lonInput = document.getElementById(element.getAttribute("data-lon-input") || "");
    if (!latInput || !lonInput) {
      if (window.console) window.console.warn("place-point: inputs not found for", element);
      return null;
    }
    // Numbers read left to right even on right-to-left pages ("-17.5", not "17.5-").
    if (!latInput.hasAttribute("dir")) latInput.setAttribute("dir", "ltr");
    if (!lonInput.hasAttribute("dir")) lonInput.setAttribute("dir", "ltr");

    L.DomUtil.addClass(element, "place-point-map--ready"); // visible (map.css) before Leaflet measures it
    var map = L.map(element, {
      worldCopyJump: true,
      minZoom: 1,
      maxZoom: element.getAttribute("data-tile-url") ? parseInt(element.getAttribute("data-tile-max-zoom"), 10) || 19 : 12,
      scrollWheelZoom: false,
      // No panning into the empty space above and below the Mercator world (east-west is free).
      maxBounds: L.latLngBounds([-85.06, -540], [85.06, 540]),
      maxBoundsViscosity: 1
    });
    element.groundswellMap = map;

    var marker = null;
    var icon = L.divIcon({
      className: "gs-pin",
      iconSize: [22, 22],
      iconAnchor: [11, 11],
    });

    function placeMarker(latlng) {
      if (!marker) {
        marker = L.marker(latlng, {
          icon: icon,
          draggable: true,
          keyboard: false, // keyboard users have the inputs; no dead tab stop
          title: element.getAttribute("data-marker-label") || "Selected point",
          alt: element.getAttribute("data-marker-label") || "Selected point",
          autoPan: true,
        });
        marker.on("dragend", function () {
          write(marker.getLatLng());
        });
        marker.addTo(map);
      } else {
        marker.setLatLng(latlng);
      }
    }

    var writing = false;
    function write(latlng) {
      latInput.value = round(latlng.lat);
      lonInput.value = round(wrapLon(latlng.lng));
      writing = true; // our own events must not move the marker back
      try {
        fire(latInput, "input");
        fire(lonInput, "input");
        fire(latInput, "change");
        fire(lonInput, "change");
      } finally {
        writing = false;
      }
    }

    function fromInputs(pan) {
      if (writing) return;
      var point = readInputs(latInput, lonInput);
      if (!point) {
        if (marker) {
          map.removeLayer(marker);
          marker = null;
        }
        return;
      }
      point = L.latLng(point.lat, nearCentre(map, point.lng));
      placeMarker(point);
      if (pan && !map.getBounds().contains(point)) map.panTo(point);
    }

    var initial = readInputs(latInput, lonInput);
    if (initial) {
      map.setView(initial, POINT_ZOOM);
      placeMarker(initial);
    } else {
      map.fitWorld();
    }

    map.on("click", function (event) {
      placeMarker(event.latlng);
      write(event.latlng);
    });
    // After a worldCopyJump or a long pan, bring the marker to the copy of the world in view.
    map.on("moveend", function () {
      if (!marker || (marker.dragging && marker.dragging.moving && marker.dragging.moving())) return;
      var at = marker.getLatLng();
      var lon = nearCentre(map, at.lng);
      if (lon !== at.lng) marker.setLatLng([at.lat, lon]);
    });

    function onType() {
      fromInputs(true);
    }
    latInput.addEventListener("input", onType);
    lonInput.addEventListener("input", onType);
    latInput.addEventListener("change", onType);
    lonInput.addEventListener("change", onType);

    // Wheel zoom only once the user has engaged with the map.
    map.on("focus click", function () {
      map.scrollWheelZoom.enable();
    });
    map.on("blur", function () {
      map.scrollWheelZoom.disable();
    });

    var basemap = Groundswell.addBasemap(map);
    if (basemap && basemap["catch"]) {
      basemap["catch"](function (error) {
        if (window.console) window.console.error(error);
      });
    }
    return map;
  }

  function enhanceAll(root) {
    root = root || document;
    if (root.classList && root.classList.contains("place-point-map")) enhance(root);
    var elements = root.querySelectorAll ? root.querySelectorAll(".place-point-map") : [];
    for (var i = 0; i < elements.length; i++) enhance(elements[i]);
  }

  Groundswell.placePoint = { enhance: enhance, enhanceAll: enhanceAll };

  if (!L || !Groundswell.addBasemap) {
    if (window.console) window.console.error("place-point: load leaflet.js and basemap.js first");
    return;
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhanceAll();
    });
  } else {
    enhanceAll();
  }
  // Forms swapped in by htmx get enhanced too.
  document.addEventListener("htmx:load", function (event) {
    enhanceAll(event.target);
  });
})(window, document);
