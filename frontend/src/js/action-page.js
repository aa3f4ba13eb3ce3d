/*
 * Groundswell action page: the visitor's own time, the small map, the share box and the poster's
 * Print button. Progressive enhancement: without JavaScript the page already shows the time in the
 * action's zone, the place as text, the link in a read-only input and a poster ready to print.
 *
 * Format: a classic script (ES5 syntax, no modules), loaded with `defer`. The map needs leaflet.js,
 * topojson-client and basemap.js loaded before it (see basemap.js); the other parts need nothing, so
 * the poster page loads this file alone. No inline script or style: works under a strict CSP.
 *
 * Markup contracts (all optional; each part is skipped when its element is absent):
 *
 *   Visitor's time, shown only when the browser's time zone gives another wall-clock time:
 *     <p data-viewer-time data-starts="2026-10-12T14:00:00+09:00" data-ends="…" data-timezone="Asia/Tokyo"
 *        hidden>Your time: <span data-viewer-time-value></span></p>
 *     data-starts / data-ends are ISO 8601 instants with an offset; data-timezone is the action's IANA zone.
 *     The script writes "<date, time> – <time> (<zone>, <abbr>)" in the page's language into the
 *     [data-viewer-time-value] element (as a <time datetime>) and removes `hidden`.
 *
 *   Small map:
 *     <div class="gs-map action-map" data-action-map data-basemap-url="…countries-50m.json"
 *          data-lat="35.68" data-lon="139.76" data-precision="exact|km|city" data-zoom="13"></div>
 *     data-lat / data-lon must be the PUBLIC point. "exact" gets a pin, "km" a 1 km circle around the
 *     point, "city" no mark. The map does not pan or capture the wheel or touch (so the page scrolls
 *     on a phone), is not a tab stop (keyboard:false); its zoom buttons stay usable by keyboard.
 *     The element gets `action-map--ready` and its Leaflet map on `element.groundswellMap`.
 *
 *   Share box:
 *     <section data-share data-share-title="…" data-copied-text="Link copied."
 *              data-copy-failed-text="Select the link and copy it.">
 *       <input data-share-url readonly value="https://…">
 *       <button data-share-copy hidden>Copy</button> <button data-share-native hidden>Share…</button>
 *       <p role="status" data-share-status></p>
 *     </section>
 *     "Copy" appears when the script runs; "Share…" only where the Web Share API exists.
 *
 *   Print button:  <button type="button" data-print hidden>Print</button>
 */
(function (window, document) {
  "use strict";

  var Groundswell = (window.Groundswell = window.Groundswell || {});

  /* ---- the visitor's time ------------------------------------------------------------------- */

  function browserZone() {
    try {
      return window.Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  function formatter(locale, zone, withDate) {
    var options = { timeZone: zone, hour: "2-digit", minute: "2-digit" };
    if (withDate) {
      options.weekday = "long";
      options.day = "numeric";
      options.month = "long";
      options.year = "numeric";
    }
    try {
      return new window.Intl.DateTimeFormat(locale, options);
    } catch (error) {
      return new window.Intl.DateTimeFormat(undefined, options); // unknown page language
    }
  }

  function zoneAbbreviation(locale, zone, date) {
    try {
      var parts = new window.Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "short" }).formatToParts(date);
      for (var i = 0; i < parts.length; i++) if (parts[i].type === "timeZoneName") return parts[i].value;
    } catch (error) {
      /* an old browser: the zone's name alone will do */
    }
    return "";
  }

  function dayKey(zone, date) {
    return new window.Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
  }

  function showViewerTime(element) {
    if (!window.Intl || !window.Intl.DateTimeFormat) return;
    var viewerZone = browserZone();
    var actionZone = element.getAttribute("data-timezone") || "";
    var starts = new Date(element.getAttribute("data-starts") || "");
    var ends = new Date(element.getAttribute("data-ends") || "");
    if (!viewerZone || !actionZone || viewerZone === actionZone || isNaN(starts.getTime())) return;
    // The page's language, in the visitor's regional flavour when it is the same language (en-GB's
    // 24-hour clock for a British visitor of the English page).
    var locale = document.documentElement.lang || undefined;
    var browserLocale = window.navigator.language || "";
    if (locale && browserLocale.toLowerCase().indexOf(locale.toLowerCase() + "-") === 0) locale = browserLocale;
    var full;
    try {
      full = formatter(locale, viewerZone, true);
      // Another name for the same clock (Paris and Berlin): nothing new to tell.
      if (full.format(starts) === formatter(locale, actionZone, true).format(starts)) return;
    } catch (error) {
      return; // a zone this browser doesn't know
    }
    var text = full.format(starts);
    if (!isNaN(ends.getTime())) {
      var sameDay = dayKey(viewerZone, starts) === dayKey(viewerZone, ends);
      text += " – " + (sameDay ? formatter(locale, viewerZone, false) : full).format(ends);
    }
    var abbreviation = zoneAbbreviation(locale, viewerZone, starts);
    text += " (" + viewerZone + (abbreviation && abbreviation !== viewerZone ? ", " + abbreviation : "") + ")";

    var target = element.querySelector("[data-viewer-time-value]") || element;
    var time = document.createElement("time");
    time.setAttribute("datetime", element.getAttribute("data-starts"));
    time.textContent = text;
    target.textContent = "";
    target.appendChild(time);
    element.hidden = false;
  }

  /* ---- the small map ------------------------------------------------------------------------ */

  var KM_RADIUS_M = 1000;

  function showMap(element) {
    var L = window.L;
    if (element.groundswellMap) return element.groundswellMap;
    if (!L || !Groundswell.addBasemap) {
      if (window.console) window.console.error("action-page: load leaflet.js and basemap.js before the map");
      return null;
    }
    var lat = parseFloat(element.getAttribute("data-lat"));
    var lon = parseFloat(element.getAttribute("data-lon"));
    if (!isFinite(lat) || !isFinite(lon)) return null;
    var precision = element.getAttribute("data-precision") || "city";
    var zoom = parseInt(element.getAttribute("data-zoom"), 10) || 10;

    L.DomUtil.addClass(element, "action-map--ready"); // visible (CSS) before Leaflet measures it
    var map = L.map(element, {
      center: [lat, lon],
      zoom: zoom,
      minZoom: Math.max(zoom - 6, 2),
      maxZoom: element.getAttribute("data-tile-url") ? Math.max(zoom + 3, 15) : zoom + 2,
      // A glance, not a tool: the page scrolls over it on a phone and it is not a tab stop; the zoom
      // buttons remain for mouse and keyboard, and zoom around the point.
      dragging: false,
      touchZoom: false,
      scrollWheelZoom: false,
      doubleClickZoom: false,
      boxZoom: false,
      keyboard: false,
      zoomControl: true,
    });
    element.groundswellMap = map;

    if (precision === "exact") {
      L.marker([lat, lon], {
        icon: L.divIcon({ className: "gs-pin", iconSize: [22, 22], iconAnchor: [11, 11] }),
        interactive: false,
        keyboard: false,
      }).addTo(map);
    } else if (precision === "km") {
      L.circle([lat, lon], { radius: KM_RADIUS_M, interactive: false, className: "action-map__area" }).addTo(map);
    }

    var basemap = Groundswell.addBasemap(map);
    if (basemap && basemap.then) {
      basemap.then(
        function () {
          L.DomUtil.addClass(element, "action-map--drawn");
        },
        function (error) {
          if (window.console) window.console.error(error);
        }
      );
    }
    return map;
  }

  /* ---- sharing ------------------------------------------------------------------------------ */

  function setupShare(box) {
    var input = box.querySelector("[data-share-url]");
    var copyButton = box.querySelector("[data-share-copy]");
    var nativeButton = box.querySelector("[data-share-native]");
    var status = box.querySelector("[data-share-status]");
    if (!input) return;

    function say(text) {
      if (status) status.textContent = text || "";
    }

    function selectAll() {
      input.focus();
      input.select();
      try {
        input.setSelectionRange(0, input.value.length);
      } catch (error) {
        /* type=url inputs may refuse a selection range: select() did it */
      }
    }

    input.addEventListener("focus", function () {
      input.select();
    });

    function copyBySelection() {
      selectAll();
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      say(box.getAttribute(copied ? "data-copied-text" : "data-copy-failed-text"));
    }

    if (copyButton) {
      copyButton.hidden = false;
      copyButton.addEventListener("click", function () {
        say("");
        if (window.navigator.clipboard && window.navigator.clipboard.writeText && window.isSecureContext) {
          window.navigator.clipboard.writeText(input.value).then(function () {
            say(box.getAttribute("data-copied-text"));
          }, copyBySelection);
        } else {
          copyBySelection();
        }
      });
    }

    if (nativeButton && typeof window.navigator.share === "function") {
      nativeButton.hidden = false;
      nativeButton.addEventListener("click", function () {
        var shared = window.navigator.share({ title: box.getAttribute("data-share-title") || document.title, url: input.value });
        if (shared && shared["catch"]) {
          shared["catch"](function () {
            /* the visitor closed the share sheet: nothing to say */
          });
        }
      });
    }
  }

  /* ---- printing ----------------------------------------------------------------------------- */

  function setupPrint(button) {
    if (typeof window.print !== "function") return;
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  }

  function each(selector, callback) {
    var elements = document.querySelectorAll(selector);
    for (var i = 0; i < elements.length; i++) callback(elements[i]);
  }

  function init() {
    each("[data-viewer-time]", showViewerTime);
    each("[data-action-map]", showMap);
    each("[data-share]", setupShare);
    each("[data-print]", setupPrint);
  }

  Groundswell.actionPage = { init: init, showViewerTime: showViewerTime, showMap: showMap };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})(window, document);
