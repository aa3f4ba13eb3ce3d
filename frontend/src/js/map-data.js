/*
 * Groundswell campaign map, its data: the filter form's query, the map's compact JSON decoded and
 * clustered with supercluster, the popups' fragments, and a little geometry. No drawing: map.js draws.
 *
 * Format: a classic script (ES5 syntax, no modules), loaded with `defer` after supercluster and before
 * map.js. Nothing inline, so it works under a strict CSP.
 *
 * Data (map/data.json, see groundswell.actions.map_data): parallel columns
 *   {n, label, types: [codes], days: [dates], id: [first id, then differences], lat, lon,
 *    type: [index into types], day: [index into days], cancelled: [positions]}
 * The server names this script's hashed URL in the data's ETag (public/views/map.py, MAP_SCRIPT): a
 * deploy that changes how the columns are read makes browsers fetch the data anew.
 *
 * API (global): Groundswell.mapData = {formQuery, withQuery, queryParam, fetchPoints, clustersInView,
 * bounds, fetchPopup, spreadOffsets, numberFormat, mark}.
 */
(function (window, document) {
  "use strict";

  var Groundswell = (window.Groundswell = window.Groundswell || {});

  /* The query of a form, without empty values, as "a=1&b=2" (fields joined with form="…" too). */
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

  /* Named moments in the browser's performance timeline (bench/map.py reads them). */
  function mark(name) {
    if (window.performance && window.performance.mark) window.performance.mark(name);
  }

  /* The columns of map/data.json as GeoJSON points for supercluster (properties.i: position), the ids
   * (from their differences) and the cancelled positions as a set. */
  function decode(data) {
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

  /* Fetches the data for a filter query and clusters it: a Promise of {data, index, ids, cancelled}.
   * ``signal`` (an AbortSignal, optional) cancels it; ``onData`` (optional) runs as soon as the data has
   * arrived, before the clustering. */
  function fetchPoints(url, query, options) {
    return window
      .fetch(withQuery(url, query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: options.signal,
      })
      .then(function (response) {
        if (!response.ok) throw new Error("map: HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        mark("gs-map-data");
        if (options.onData) options.onData(data);
        var decoded = decode(data);
        var index = new window.Supercluster({ radius: 56, extent: 256, maxZoom: options.maxZoom, minZoom: 0 });
        index.load(decoded.points);
        mark("gs-map-index");
        return { data: data, index: index, ids: decoded.ids, cancelled: decoded.cancelled };
      });
  }

  /* The clusters and points of ``index`` in a view ([west, south, east, north] in degrees, a little
   * widened) at ``zoom``, each once for every copy of the world it shows in (the view may cross the 180°
   * meridian): a list of {feature, lat, lon, copy}. */
  function clustersInView(index, view, zoom) {
    var pad = (view[2] - view[0]) * 0.05;
    var west = view[0] - pad;
    var east = view[2] + pad;
    var features = index.getClusters([west, Math.max(view[1], -85), east, Math.min(view[3], 85)], zoom);
    var shown = [];
    for (var f = 0; f < features.length; f++) {
      var lon = features[f].geometry.coordinates[0];
      var lat = features[f].geometry.coordinates[1];
      var last = Math.floor((east - lon) / 360);
      for (var k = Math.ceil((west - lon) / 360); k <= last; k++) {
        shown.push({ feature: features[f], lat: lat, lon: lon + 360 * k, copy: k });
      }
    }
    return shown;
  }

  /* [[south, west], [north, east]] around every point, or null when there is none. */
  function bounds(data) {
    if (!data.n) return null;
    var south = 90, north = -90, west = 180, east = -180;
    for (var i = 0; i < data.n; i++) {
      if (data.lat[i] < south) south = data.lat[i];
      if (data.lat[i] > north) north = data.lat[i];
      if (data.lon[i] < west) west = data.lon[i];
      if (data.lon[i] > east) east = data.lon[i];
    }
    return [[south, west], [north, east]];
  }

  /* A popup's server-rendered fragment: a Promise of its HTML, asked for once per page (a failed request
   * is forgotten, so the next click tries again). */
  var popups = {};
  function fetchPopup(url) {
    var request = popups[url];
    if (!request) {
      request = popups[url] = window
        .fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error("popup: HTTP " + response.status);
          return response.text();
        });
      request["catch"](function () {
        delete popups[url];
      });
    }
    return request;
  }

  /* Pixel offsets [x, y] for n markers around one place: a circle for a few, an Archimedean spiral for
   * more (as Leaflet.markercluster does), so neighbours stay about one marker apart. */
  function spreadOffsets(n) {
    var offsets = [];
    var i;
    if (n <= 8) {
      var radius = Math.max(26, (22 * n) / (2 * Math.PI));
      for (i = 0; i < n; i++) {
        var a = (2 * Math.PI * i) / n - Math.PI / 2;
        offsets.push([radius * Math.cos(a), radius * Math.sin(a)]);
      }
      return offsets;
    }
    var legLength = 14;
    var angle = 0;
    for (i = 0; i < n; i++) {
      angle += 22 / legLength + i * 0.0005;
      offsets.push([legLength * Math.cos(angle), legLength * Math.sin(angle)]);
      legLength += (2 * Math.PI * 3.2) / angle;
    }
    return offsets;
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

  Groundswell.mapData = {
    formQuery: formQuery,
    withQuery: withQuery,
    queryParam: queryParam,
    fetchPoints: fetchPoints,
    clustersInView: clustersInView,
    bounds: bounds,
    fetchPopup: fetchPopup,
    spreadOffsets: spreadOffsets,
    numberFormat: numberFormat,
    mark: mark,
  };
})(window, document);
