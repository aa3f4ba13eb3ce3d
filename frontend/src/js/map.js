/*
 * Groundswell campaign map: every public action of a campaign, clustered with supercluster on a
 * Leaflet map whose basemap comes from basemap.js (our own country shapes unless the operator set
 * a tile server).
 *
 * Format: a classic script (ES5 syntax, no modules), loaded with `defer` after Leaflet,
 * topojson-client, supercluster and basemap.js. Nothing inline, so it works under a strict CSP.
 *
 * Markup contract (public/map.html):
 *
 *   <form data-filters method="get">…type, country, day, from, to, q…</form>     (optional)
 *   <p data-map-count aria-live="polite"></p>              "N actions shown" (text from the data)
 *   <a data-map-list-link href="/c/x/actions/?…">          the same actions as a list (its query follows
 *                                                          the filters)
 *   <ul class="map-legend"><li data-type="vigil">Vigil</li>…</ul>   type names for markers' labels
 *   <div class="gs-map" data-map-data-url="/c/x/map/data.json?…"
 *        data-popup-url="/c/x/actions/{id}/popup/"
 *        data-basemap-url="…countries-110m.json"   (and optionally data-tile-url etc., see basemap.js)
 *        data-basemap-detail-url="…countries-50m.json"   (optional: used from zoom 5 on)
 *        data-label-cluster="Group of actions: zoom in"     (accessible names and messages,
 *        data-label-cancelled="Cancelled"                     translated by the template)
 *        data-label-loading="Loading…" data-label-error="Could not load. Please try again."
 *        data-label-more="Some actions at this place are not shown: see the list."></div>
 *
 * Data (map/data.json, see groundswell.actions.map_data): parallel columns
 *   {n, label, types: [codes], days: [dates], id: [first id, then differences], lat, lon,
 *    type: [index into types], day: [index into days], cancelled: [positions]}
 *
 * Behaviour: clusters show their counts; activating one (click, or Enter/Space when focused) zooms
 * in, or, when its actions share one place even at the largest zoom ("city" precision puts many on
 * the city's centre), spreads up to 60 of them on a circle or spiral. Activating an action fetches
 * its popup fragment (title, local time with zone, city, link) from the server; from the keyboard the
 * focus moves to the popup's link, and Escape brings it back to the marker. Changing or submitting the filter form refetches the data with the form's query,
 * redraws, and puts the query in the page's URL (history.replaceState) so the filtered map can be
 * shared. After each render the map element carries data-state="ready", data-shown="<n>" and
 * data-rendered="<number of renders>"; after the first one also data-ready="true" and
 * data-ready-ms (milliseconds since navigation start, for bench/map.py).
 */
(function (window, document) {
  "use strict";

  var L = window.L;
  var Groundswell = (window.Groundswell = window.Groundswell || {});
  var BASEMAP_MAX_ZOOM = 12; // country shapes only: closer than this shows nothing more
  var DETAIL_ZOOM = 5; // from this zoom on, the finer country shapes
  var SPIDER_LIMIT = 60; // actions spread around one place at most
  var KEY_ENTER = 13;
  var KEY_SPACE = 32;

  function labelOf(element, name, fallback) {
    return element.getAttribute("data-label-" + name) || fallback;
  }

  /* The query of a form, without empty values, as "a=1&b=2". */
  function formQuery(form) {
    var parts = [];
    var elements = form.elements;
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      if (!el.name || el.disabled) continue;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) continue;
      if (el.type === "submit" || el.type === "button" || el.type === "reset") continue;
      var value = (el.value || "").trim();
      if (value === "") continue;
      parts.push(encodeURIComponent(el.name) + "=" + encodeURIComponent(value));
    }
    return parts.join("&");
  }

  function withQuery(url, query) {
    var base = url.split("?")[0];
    return query ? base + "?" + query : base;
  }

  function queryParam(query, name) {
    var parts = query.split("&");
    for (var i = 0; i < parts.length; i++) {
      var pair = parts[i].split("=");
      if (decodeURIComponent(pair[0]) === name) return decodeURIComponent(pair[1] || "");
    }
    return "";
  }

  /* The columns of map/data.json as GeoJSON points for supercluster (properties.i: position). */
  function toPoints(data) {
    var n = data.n;
    var points = new Array(n);
    var ids = new Array(n);
    var id = 0;
    for (var i = 0; i < n; i++) {
      id += data.id[i];
      ids[i] = id;
      points[i] = {
        type: "Feature",
        properties: { i: i },
        geometry: { type: "Point", coordinates: [data.lon[i], data.lat[i]] },
      };
    }
    var cancelled = {};
    for (var c = 0; c < data.cancelled.length; c++) cancelled[data.cancelled[c]] = true;
    return { points: points, ids: ids, cancelled: cancelled };
  }

  /* Pixel offsets for n markers around one place: a circle for a few, an Archimedean spiral for more
   * (as Leaflet.markercluster does), so neighbours stay about one marker apart. */
  function spreadOffsets(n) {
    var offsets = [];
    var i;
    if (n <= 8) {
      var radius = Math.max(26, (22 * n) / (2 * Math.PI));
      for (i = 0; i < n; i++) {
        var a = (2 * Math.PI * i) / n - Math.PI / 2;
        offsets.push(L.point(radius * Math.cos(a), radius * Math.sin(a)));
      }
      return offsets;
    }
    var legLength = 14;
    var angle = 0;
    for (i = 0; i < n; i++) {
      angle += 22 / legLength + i * 0.0005;
      offsets.push(L.point(legLength * Math.cos(angle), legLength * Math.sin(angle)));
      legLength += (2 * Math.PI * 3.2) / angle;
    }
    return offsets;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* Counts as short as this language writes them: "17.6K" in English, but "17,600" rather than
   * "17.6 ألف" in Arabic. */
  function numberFormat() {
    var lang = document.documentElement.lang || undefined;
    var compact, plain;
    try {
      compact = new window.Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });
      plain = new window.Intl.NumberFormat(lang);
    } catch (error) {
      return { format: String };
    }
    return {
      format: function (n) {
        var a = compact.format(n);
        var b = plain.format(n);
        return a.length < b.length ? a : b;
      },
    };
  }

  /* The country shapes: the coarse file (110m, ~100 KB, drawn in a few milliseconds) first, the finer one
   * (50m, 7x larger: drawing it takes the main thread for most of a second on a slow machine, and again on
   * every zoom) only once someone zooms in far enough to see the difference. */
  function basemaps(map, element, tiles) {
    var detailUrl = element.getAttribute("data-basemap-detail-url");
    var coarse = null;
    var detail = null;
    var detailRequested = false;
    function report(error) {
      if (window.console) window.console.error(error);
    }
    function choose() {
      var wantDetail = detailUrl && map.getZoom() >= DETAIL_ZOOM;
      if (wantDetail && !detailRequested) {
        detailRequested = true;
        Groundswell.addBasemap(map, detailUrl).then(function (layer) {
          detail = layer;
          choose();
        }, report);
      }
      var showDetail = wantDetail && detail;
      if (detail && !showDetail && map.hasLayer(detail)) map.removeLayer(detail);
      if (coarse && showDetail && map.hasLayer(coarse)) map.removeLayer(coarse);
      if (coarse && !showDetail && !map.hasLayer(coarse)) map.addLayer(coarse);
      if (showDetail && !map.hasLayer(detail)) map.addLayer(detail);
    }
    var first = Groundswell.addBasemap(map);
    if (tiles) return;
    first.then(function (layer) {
      coarse = layer;
      choose();
    }, report);
    map.on("zoomend", choose);
  }

  /* Named moments in the browser's performance timeline (bench/map.py reads them). */
  function mark(name) {
    if (window.performance && window.performance.mark) window.performance.mark(name);
  }

  function enhance(element) {
    if (element.groundswellMap) return element.groundswellMap;
    var dataUrl = element.getAttribute("data-map-data-url");
    var popupUrl = element.getAttribute("data-popup-url") || "";
    var countElement = document.querySelector("[data-map-count]");
    var listLink = document.querySelector("[data-map-list-link]");
    var form = document.querySelector("form[data-filters]");
    var compact = numberFormat();
    var rtl = document.documentElement.dir === "rtl";
    var typeNames = {};
    var legendItems = document.querySelectorAll(".map-legend [data-type]");
    for (var t = 0; t < legendItems.length; t++) {
      typeNames[legendItems[t].getAttribute("data-type")] = legendItems[t].textContent.trim();
    }

    var tiles = !!element.getAttribute("data-tile-url");
    var maxZoom = tiles ? parseInt(element.getAttribute("data-tile-max-zoom"), 10) || 19 : BASEMAP_MAX_ZOOM;
    var map = L.map(element, {
      worldCopyJump: true,
      minZoom: 1,
      maxZoom: maxZoom,
      scrollWheelZoom: false, // until the map is clicked or focused: scrolling the page is not zooming
      // No maxBounds: a popup near the top of the world must be able to pan into view.
    });
    element.groundswellMap = map;
    map.fitBounds([[-45, -150], [65, 160]]);
    map.on("focus click", function () {
      map.scrollWheelZoom.enable();
    });
    map.on("blur", function () {
      map.scrollWheelZoom.disable();
    });
    // The country shapes are drawn on the main thread (a few hundred milliseconds on a slow phone), and
    // while it is busy the browser does not take in the actions' data either: ask for them once the data
    // has arrived, so the markers come first and the shapes follow. Tiles cost nothing to start.
    var basemapStarted = false;
    function startBasemap() {
      if (basemapStarted) return;
      basemapStarted = true;
      basemaps(map, element, tiles);
    }
    if (tiles) startBasemap();

    var markers = L.layerGroup().addTo(map);
    var spider = L.layerGroup().addTo(map);
    var state = { data: null, index: null, ids: [], cancelled: {}, query: null, renders: 0 };
    var popupCache = {};
    var loading = null; // the AbortController of the data request in flight

    function setCount(text) {
      if (countElement) countElement.textContent = text;
    }

    /* Leaflet gives keyboard-enabled markers role=button and a tab stop; give them a name and make
     * Enter and Space activate them as they would a button. ``key`` names the marker across redraws
     * (every move redraws them), so keyboard focus can stay on "the same" marker. */
    function accessible(marker, label, key, activate) {
      marker.on("add", function () {
        var icon = marker.getElement();
        if (!icon) return;
        icon.setAttribute("aria-label", label);
        icon.setAttribute("data-key", key);
        if (state.refocus === key) {
          state.refocus = null;
          icon.focus();
        }
      });
      marker.on("click", function () {
        activate(false);
      });
      marker.on("keypress keydown", function (event) {
        var key = event.originalEvent.keyCode;
        if (event.type === "keydown" && key === KEY_SPACE) event.originalEvent.preventDefault();
        if (event.type === "keypress" && (key === KEY_ENTER || key === KEY_SPACE)) {
          event.originalEvent.preventDefault();
          activate(true);
        }
      });
      return marker;
    }

    function pointMarker(position, latlng, key, spread) {
      var data = state.data;
      var type = data.types[data.type[position]];
      var cancelled = !!state.cancelled[position];
      var label = (typeNames[type] || type) + (cancelled ? " (" + labelOf(element, "cancelled", "Cancelled") + ")" : "");
      var marker = L.marker(latlng, {
        icon: L.divIcon({
          className:
            "gs-point gs-type--" + type + (cancelled ? " gs-point--cancelled" : "") + (spread ? " gs-point--spread" : ""),
          iconSize: [16, 16],
          iconAnchor: [8, 8],
          popupAnchor: [0, -6],
        }),
        title: label,
        keyboard: true,
        riseOnHover: true,
        zIndexOffset: spread ? 10000 : 0,
      });
      return accessible(marker, label, key, function (fromKeyboard) {
        openPopup(marker, key, state.ids[position], fromKeyboard);
      });
    }

    function clusterMarker(feature, latlng, key) {
      var count = feature.properties.point_count;
      var size = count < 10 ? "s" : count < 100 ? "m" : count < 1000 ? "l" : "xl";
      var text = compact.format(count);
      var label = count + " · " + labelOf(element, "cluster", "Group of actions: zoom in");
      var diameter = { s: 30, m: 36, l: 42, xl: 48 }[size];
      // A circle, or a pill when the number is long.
      var width = Math.max(diameter, Math.ceil(text.length * 7.5 + 16));
      var marker = L.marker(latlng, {
        icon: L.divIcon({
          className: "gs-cluster gs-cluster--" + size,
          html: "<span>" + escapeHtml(text) + "</span>",
          iconSize: [width, diameter],
          iconAnchor: [width / 2, diameter / 2],
        }),
        title: label,
        keyboard: true,
      });
      return accessible(marker, label, key, function (fromKeyboard) {
        var id = feature.properties.cluster_id;
        var zoom = state.index.getClusterExpansionZoom(id);
        if (zoom > map.getMaxZoom() || map.getZoom() >= map.getMaxZoom()) {
          spread(feature, latlng, fromKeyboard);
        } else {
          map.setView(latlng, zoom);
          if (fromKeyboard) element.focus();
        }
      });
    }

    /* Actions that share a place even at the largest zoom: put them on a circle (a spiral when
     * many) around it, each its own marker. */
    function spread(feature, latlng, fromKeyboard) {
      clearSpread();
      state.spiderZoom = map.getZoom();
      var leaves = state.index.getLeaves(feature.properties.cluster_id, SPIDER_LIMIT);
      var offsets = spreadOffsets(leaves.length);
      var centre = map.latLngToLayerPoint(latlng);
      var first = null;
      L.DomUtil.addClass(element, "gs-map--spread");
      for (var i = 0; i < leaves.length; i++) {
        var at = map.layerPointToLatLng(centre.add(offsets[i]));
        spider.addLayer(L.polyline([latlng, at], { className: "gs-spider-leg", interactive: false, weight: 1 }));
        var marker = pointMarker(leaves[i].properties.i, at, "s" + leaves[i].properties.i, true);
        spider.addLayer(marker);
        if (!first) first = marker;
      }
      if (feature.properties.point_count > leaves.length) {
        popup.actionId = null;
        popup.markerKey = null;
        fitPopupWidth();
        popup
          .setLatLng(latlng)
          .setContent(popupText(labelOf(element, "more", "Some actions at this place are not shown: see the list.")))
          .openOn(map);
      }
      if (fromKeyboard && first && first.getElement()) first.getElement().focus();
    }

    function clearSpread() {
      spider.clearLayers();
      L.DomUtil.removeClass(element, "gs-map--spread");
    }

    function popupText(text) {
      var div = document.createElement("div");
      div.className = "map-popup";
      div.dir = rtl ? "rtl" : "ltr";
      div.textContent = text;
      return div;
    }

    /* The popup belongs to the map, not to the marker: moving the map redraws the markers, and a
     * popup bound to one would close with it. */
    var popup = L.popup({
      className: "gs-popup",
      maxWidth: 280,
      minWidth: 180,
      offset: L.point(0, -4),
      autoPanPaddingTopLeft: L.point(48, 12), // clear of the zoom buttons
    });

    /* Narrow maps (phones) get narrower popups, so they fit beside the zoom buttons. */
    function fitPopupWidth() {
      popup.options.maxWidth = Math.max(160, Math.min(280, map.getSize().x - 100));
      popup.options.minWidth = Math.min(180, popup.options.maxWidth);
    }

    function openPopup(marker, key, id, fromKeyboard) {
      var url = popupUrl.replace("{id}", String(id));
      fitPopupWidth();
      popup.markerKey = key;
      popup.setLatLng(marker.getLatLng()).setContent(popupText(labelOf(element, "loading", "Loading…")));
      popup.openOn(map);
      popup.actionId = id;
      var request = popupCache[id];
      if (!request) {
        request = popupCache[id] = window
          .fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
          .then(function (response) {
            if (!response.ok) throw new Error("popup: HTTP " + response.status);
            return response.text();
          });
        request["catch"](function () {
          delete popupCache[id];
        });
      }
      request.then(
        function (html) {
          if (popup.actionId !== id) return; // another marker was chosen meanwhile
          // Our own server-rendered fragment: public fields only, every value escaped by Django.
          var div = popupText("");
          div.innerHTML = html;
          popup.setContent(div);
          var link = div.querySelector("a");
          if (fromKeyboard && link) link.focus();
        },
        function () {
          if (popup.actionId === id) popup.setContent(popupText(labelOf(element, "error", "Could not load. Please try again.")));
        }
      );
    }

    function render() {
      if (!state.index) return;
      var focused = document.activeElement;
      if (focused && element.contains(focused) && focused.getAttribute("data-key")) {
        state.refocus = focused.getAttribute("data-key");
      }
      markers.clearLayers();
      if (state.spiderZoom !== map.getZoom()) clearSpread();
      var bounds = map.getBounds();
      var west = bounds.getWest();
      var east = bounds.getEast();
      var zoom = Math.round(map.getZoom());
      var pad = (east - west) * 0.05;
      var features = state.index.getClusters(
        [west - pad, Math.max(bounds.getSouth(), -85), east + pad, Math.min(bounds.getNorth(), 85)],
        zoom
      );
      for (var f = 0; f < features.length; f++) {
        var feature = features[f];
        var lon = feature.geometry.coordinates[0];
        var lat = feature.geometry.coordinates[1];
        // Every copy of the world in view gets the marker (the view may cross the 180° meridian).
        var first = Math.ceil((west - pad - lon) / 360);
        var last = Math.floor((east + pad - lon) / 360);
        for (var k = first; k <= last; k++) {
          var latlng = L.latLng(lat, lon + 360 * k);
          markers.addLayer(
            feature.properties.cluster
              ? clusterMarker(feature, latlng, "c" + feature.properties.cluster_id + ":" + k)
              : pointMarker(feature.properties.i, latlng, "p" + feature.properties.i + ":" + k)
          );
        }
      }
      state.renders += 1;
      element.setAttribute("data-state", "ready");
      element.setAttribute("data-shown", String(state.data.n));
      element.setAttribute("data-rendered", String(state.renders));
      if (!element.hasAttribute("data-ready")) {
        mark("gs-map-ready");
        element.setAttribute("data-ready-ms", String(Math.round(window.performance.now())));
        element.setAttribute("data-ready", "true");
      }
    }

    function fitTo(data) {
      if (!data.n) return;
      var south = 90, north = -90, west = 180, east = -180;
      for (var i = 0; i < data.n; i++) {
        if (data.lat[i] < south) south = data.lat[i];
        if (data.lat[i] > north) north = data.lat[i];
        if (data.lon[i] < west) west = data.lon[i];
        if (data.lon[i] > east) east = data.lon[i];
      }
      map.fitBounds([[south, west], [north, east]], { padding: [30, 30], maxZoom: 8 });
    }

    function load(query, fit) {
      if (query === state.query) return;
      state.query = query;
      if (loading && loading.abort) loading.abort();
      loading = window.AbortController ? new window.AbortController() : null;
      element.setAttribute("data-state", "loading");
      L.DomUtil.addClass(element, "gs-map--loading");
      return window
        .fetch(withQuery(dataUrl, query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
          signal: loading ? loading.signal : undefined,
        })
        .then(function (response) {
          if (!response.ok) throw new Error("map: HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          mark("gs-map-data");
          startBasemap(); // its drawing waits until this handler is done
          var decoded = toPoints(data);
          var index = new window.Supercluster({ radius: 56, extent: 256, maxZoom: maxZoom, minZoom: 0 });
          index.load(decoded.points);
          mark("gs-map-index");
          state.data = data;
          state.index = index;
          state.ids = decoded.ids;
          state.cancelled = decoded.cancelled;
          state.spiderZoom = null;
          L.DomUtil.removeClass(element, "gs-map--loading");
          map.closePopup();
          setCount(data.label);
          if (fit) fitTo(data);
          render();
        })
        ["catch"](function (error) {
          if (error && error.name === "AbortError") return;
          startBasemap();
          state.query = null; // allow a retry
          L.DomUtil.removeClass(element, "gs-map--loading");
          element.setAttribute("data-state", "error");
          setCount(labelOf(element, "error", "Could not load. Please try again."));
          if (window.console) window.console.error(error);
        });
    }

    map.on("moveend", render);
    // Escape closes the popup wherever the focus is inside the map (Leaflet listens only while the map
    // itself has the focus, not a marker or a link in the popup).
    element.addEventListener("keydown", function (event) {
      if ((event.key === "Escape" || event.keyCode === 27) && map.hasLayer(popup)) map.closePopup(popup);
    });
    // Closing a popup (Escape, its close button) gives the focus back to the marker it came from.
    map.on("popupclose", function () {
      var focused = document.activeElement;
      if (!popup.markerKey || (focused && focused !== document.body && !popup.getElement().contains(focused))) return;
      var icon = element.querySelector('[data-key="' + popup.markerKey + '"]');
      if (icon) icon.focus();
    });

    function onFilters(event) {
      if (event.type === "submit") event.preventDefault();
      var query = formQuery(form);
      if (query === state.query) return;
      var countryChanged = queryParam(query, "country") !== queryParam(state.query || "", "country");
      // Keep a language chosen by URL, so the shared link opens in the same language.
      var lang = queryParam(window.location.search.replace(/^\?/, ""), "lang");
      var pageQuery = lang ? (query ? query + "&" : "") + "lang=" + encodeURIComponent(lang) : query;
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", withQuery(window.location.pathname, pageQuery));
      }
      if (listLink) listLink.setAttribute("href", withQuery(listLink.getAttribute("href"), query));
      load(query, countryChanged && queryParam(query, "country") !== "");
    }

    if (form) {
      form.addEventListener("submit", onFilters);
      form.addEventListener("change", onFilters);
    }

    var initial = dataUrl.indexOf("?") >= 0 ? dataUrl.split("?")[1] : "";
    load(initial, queryParam(initial, "country") !== "");
    return map;
  }

  Groundswell.actionMap = { enhance: enhance };

  function enhanceAll() {
    var elements = document.querySelectorAll(".gs-map[data-map-data-url]");
    for (var i = 0; i < elements.length; i++) enhance(elements[i]);
  }

  if (!L || !window.Supercluster || !Groundswell.addBasemap) {
    if (window.console) window.console.error("map: load leaflet.js, supercluster.min.js and basemap.js first");
    return;
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
})(window, document);
