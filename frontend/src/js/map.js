/*
 * Groundswell campaign map: every public action of a campaign, clustered with supercluster on a
 * Leaflet map whose basemap comes from basemap.js (our own country shapes unless the operator set
 * a tile server).
 *
 * Format: a classic script (ES5 syntax, no modules), loaded with `defer` after Leaflet,
 * topojson-client, supercluster, basemap.js and map-data.js (which fetches, decodes and clusters the
 * data, see there for its format). Nothing inline, so it works under a strict CSP.
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
 * Behaviour: clusters show their counts; activating one (click, or Enter/Space when focused) zooms
 * in, or, when its actions share one place even at the largest zoom ("city" precision puts many on
 * the city's centre), spreads up to 60 of them on a circle or spiral. Activating an action fetches
 * its popup fragment (title, local time with zone, city, link) from the server; from the keyboard the
 * focus moves to the popup's link, and Escape brings it back to the marker. Changing or submitting
 * the filter form refetches the data with the form's query, redraws, and puts the query in the page's
 * URL (history.replaceState) so the filtered map can be shared. After each render the map element carries data-state="ready", data-shown="<n>" and
 * data-rendered="<number of renders>"; after the first one also data-ready="true" and
 * data-ready-ms (milliseconds since navigation start, for bench/map.py).
 */
(function (window, document) {
  "use strict";

  var L = window.L;
  var Groundswell = (window.Groundswell = window.Groundswell || {});
  var mapData = Groundswell.mapData;
  var BASEMAP_MAX_ZOOM = 12; // country shapes only: closer than this shows nothing more
  var SPIDER_LIMIT = 60; // actions spread around one place at most
  var KEY_ENTER = 13;
  var KEY_SPACE = 32;

  function labelOf(element, name, fallback) {
    return element.getAttribute("data-label-" + name) || fallback;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function enhance(element) {
    if (element.groundswellMap) return element.groundswellMap;
    var dataUrl = element.getAttribute("data-map-data-url");
    var popupUrl = element.getAttribute("data-popup-url") || "";
    var countElement = document.querySelector("[data-map-count]");
    var listLink = document.querySelector("[data-map-list-link]");
    var form = document.querySelector("form[data-filters]");
    var compact = mapData.numberFormat();
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
      Groundswell.addBasemaps(map);
    }
    if (tiles) startBasemap();

    var markers = L.layerGroup().addTo(map);
    var spider = L.layerGroup().addTo(map);
    var state = { data: null, index: null, ids: [], cancelled: {}, query: null, renders: 0 };
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
      var offsets = mapData.spreadOffsets(leaves.length);
      var centre = map.latLngToLayerPoint(latlng);
      var first = null;
      L.DomUtil.addClass(element, "gs-map--spread");
      for (var i = 0; i < leaves.length; i++) {
        var at = map.layerPointToLatLng(centre.add(L.point(offsets[i][0], offsets[i][1])));
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
      mapData.fetchPopup(url).then(
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
      var view = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()];
      var shown = mapData.clustersInView(state.index, view, Math.round(map.getZoom()));
      for (var s = 0; s < shown.length; s++) {
        var feature = shown[s].feature;
        var latlng = L.latLng(shown[s].lat, shown[s].lon);
        var k = shown[s].copy;
        markers.addLayer(
          feature.properties.cluster
            ? clusterMarker(feature, latlng, "c" + feature.properties.cluster_id + ":" + k)
            : pointMarker(feature.properties.i, latlng, "p" + feature.properties.i + ":" + k)
        );
      }
      state.renders += 1;
      element.setAttribute("data-state", "ready");
      element.setAttribute("data-shown", String(state.data.n));
      element.setAttribute("data-rendered", String(state.renders));
      if (!element.hasAttribute("data-ready")) {
        mapData.mark("gs-map-ready");
        element.setAttribute("data-ready-ms", String(Math.round(window.performance.now())));
        element.setAttribute("data-ready", "true");
      }
    }

    function load(query, fit) {
      if (query === state.query) return;
      state.query = query;
      if (loading && loading.abort) loading.abort();
      loading = window.AbortController ? new window.AbortController() : null;
      element.setAttribute("data-state", "loading");
      L.DomUtil.addClass(element, "gs-map--loading");
      return mapData
        .fetchPoints(dataUrl, query, {
          signal: loading ? loading.signal : undefined,
          maxZoom: maxZoom,
          onData: startBasemap, // its drawing waits until the clustering is done
        })
        .then(function (loaded) {
          var data = loaded.data;
          state.data = data;
          state.index = loaded.index;
          state.ids = loaded.ids;
          state.cancelled = loaded.cancelled;
          state.spiderZoom = null;
          L.DomUtil.removeClass(element, "gs-map--loading");
          map.closePopup();
          setCount(data.label);
          var around = fit && mapData.bounds(data);
          if (around) map.fitBounds(around, { padding: [30, 30], maxZoom: 8 });
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
      var query = mapData.formQuery(form);
      if (query === state.query) return;
      var countryChanged = mapData.queryParam(query, "country") !== mapData.queryParam(state.query || "", "country");
      // Keep a language chosen by URL, so the shared link opens in the same language (the filters' form
      // usually carries it already).
      var lang = mapData.queryParam(window.location.search.replace(/^\?/, ""), "lang");
      var keepLang = lang && !mapData.queryParam(query, "lang");
      var pageQuery = keepLang ? (query ? query + "&" : "") + "lang=" + encodeURIComponent(lang) : query;
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", mapData.withQuery(window.location.pathname, pageQuery));
      }
      if (listLink) listLink.setAttribute("href", mapData.withQuery(listLink.getAttribute("href"), query));
      load(query, countryChanged && mapData.queryParam(query, "country") !== "");
    }

    if (form) {
      form.addEventListener("submit", onFilters);
      form.addEventListener("change", onFilters);
    }

    var initial = dataUrl.indexOf("?") >= 0 ? dataUrl.split("?")[1] : "";
    load(initial, mapData.queryParam(initial, "country") !== "");
    return map;
  }

  Groundswell.actionMap = { enhance: enhance };

  function enhanceAll() {
    var elements = document.querySelectorAll(".gs-map[data-map-data-url]");
    for (var i = 0; i < elements.length; i++) enhance(elements[i]);
  }

  if (!L || !window.Supercluster || !Groundswell.addBasemap || !mapData) {
    if (window.console) {
      window.console.error("map: load leaflet.js, supercluster.min.js, basemap.js and map-data.js first");
    }
    return;
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
})(window, document);
