/*
 * Groundswell basemap: Natural Earth country shapes (npm `world-atlas`) drawn by Leaflet,
 * so a visitor's browser contacts no host but ours. An operator may configure a tile
 * server instead.
 *
 * Format: a classic script (ES5 syntax, no modules, no build step), so Django's hashed static
 * names work without rewriting imports. Load it with `defer` after its dependencies:
 *
 *   <link rel="stylesheet" href="{% static 'vendor/leaflet/leaflet.css' %}">
 *   <link rel="stylesheet" href="{% static 'groundswell/css/map.css' %}">
 *   <script defer src="{% static 'vendor/leaflet/leaflet.js' %}"></script>
 *   <script defer src="{% static 'vendor/topojson-client/topojson-client.min.js' %}"></script>
 *   <script defer src="{% static 'groundswell/js/basemap.js' %}"></script>
 *
 * API (global, no inline script needed):
 *
 *   Groundswell.addBasemap(map[, url]) -> Promise<L.Layer>
 *   Groundswell.addBasemaps(map)    for a map that zooms in far: the tiles, or the coarse country shapes
 *                                   and, from zoom 5 on, the finer ones of data-basemap-detail-url
 *
 * Markup contract, read from the map's container element:
 *
 *   data-basemap-url="{% static 'vendor/world-atlas/countries-110m.json' %}"
 *       world-atlas TopoJSON (object `countries`; countries-50m.json has finer coasts, 7x larger).
 *       Used when `url` is not passed. Fetched once per page per URL.
 *   data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"   (optional, operator setting)
 *   data-tile-attribution="&copy; Example contributors"          (optional, HTML)
 *   data-tile-max-zoom="19"                                      (optional, default 19)
 *       When data-tile-url is present, that tile layer is used instead of the country shapes.
 *       Off by default; the CSP img-src must then allow the tile host.
 *
 * In country-shape mode the container gets the class `gs-map--basemap` (pale-blue sea from
 * map.css) and, if the file cannot be loaded, also `gs-map--basemap-failed`. Land and border
 * colours come from the CSS custom properties --gs-map-land, --gs-map-border and
 * --gs-map-border-width on the container (defaults in map.css).
 *
 * The 180° meridian: world-atlas is made for spherical (d3-geo) rendering, so a few rings
 * (Fiji, Chukotka, Antarctica) jump from +180 to -180 inside a ring; drawn on a flat map those
 * jumps become horizontal bands across the world. Each ring is therefore "unwrapped" so that
 * consecutive points never differ by more than 180° (Chukotka then reaches ~190°E), rings that
 * circle a pole (Antarctica) are closed along that pole, and the layer is repeated every 360°
 * on demand so the view across the antimeridian (Fiji, Tonga, Bering Strait) shows land on
 * both sides.
 */
(function (window) {
  "use strict";

  var L = window.L;
  var Groundswell = (window.Groundswell = window.Groundswell || {});
  var cache = {};
  var DETAIL_ZOOM = 5; // from this zoom on, addBasemaps draws the finer country shapes

  /* Fetch and prepare a world-atlas file once per URL. Resolves to
   * {features: [...GeoJSON features, unwrapped], west: minLon, east: maxLon}. */
  function loadCountries(url) {
    if (!cache[url]) {
      cache[url] = window
        .fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("basemap: HTTP " + response.status + " for " + url);
          return response.json();
        })
        .then(function (topo) {
          var topojson = window.topojson;
          if (!topojson) throw new Error("basemap: topojson-client is not loaded");
          var object = topo.objects.countries || topo.objects[Object.keys(topo.objects)[0]];
          return prepare(topo, object);
        });
      cache[url]["catch"](function () {
        delete cache[url]; // allow a retry on the next map
      });
    }
    return cache[url];
  }

  /* Unwrap a line or ring: returns new points whose consecutive longitudes never jump by more
   * than 180°, shifted by a multiple of 360° so the middle lies in [-180, 180]. A ring that
   * winds once around a pole is closed along that pole. */
  function unwrapLine(line) {
    var out = unwrapPoints(line);
    var bounds = lonBounds(out);
    var k = Math.round((bounds[0] + bounds[1]) / 2 / 360);
    return k ? shiftRing(out, -360 * k) : out;
  }

  function unwrapRing(ring) {
    var out = unwrapPoints(ring);
    var i;
    var first = out[0];
    var last = out[out.length - 1];
    if (out.length > 2 && Math.abs(last[0] - first[0]) > 180) {
      // Circles a pole (the ring's closing point came back 360° away): go along the pole.
      var sumLat = 0;
      for (i = 0; i < out.length; i++) sumLat += out[i][1];
      var poleLat = sumLat < 0 ? -90 : 90;
      out.push([last[0], poleLat], [first[0], poleLat], [first[0], first[1]]);
    }
    var bounds = lonBounds(out);
    var k = Math.round((bounds[0] + bounds[1]) / 2 / 360);
    return k ? shiftRing(out, -360 * k) : out;
  }

  function unwrapPoints(ring) {
    var out = [];
    var shift = 0;
    var prev = null;
    var i, lon, lat, d;
    for (i = 0; i < ring.length; i++) {
      lon = ring[i][0];
      lat = ring[i][1];
      if (prev !== null) {
        d = lon + shift - prev;
        while (d > 180) {
          shift -= 360;
          d -= 360;
        }
        while (d < -180) {
          shift += 360;
          d += 360;
        }
      }
      prev = lon + shift;
      out.push([prev, lat]);
    }
    return out;
  }

  function lonBounds(ring) {
    var west = Infinity;
    var east = -Infinity;
    for (var i = 0; i < ring.length; i++) {
      if (ring[i][0] < west) west = ring[i][0];
      if (ring[i][0] > east) east = ring[i][0];
    }
    return [west, east];
  }

  function shiftRing(ring, dLon) {
    var out = new Array(ring.length);
    for (var i = 0; i < ring.length; i++) out[i] = [ring[i][0] + dLon, ring[i][1]];
    return out;
  }

  /* A polygon's holes must sit on the same 360° copy as its outer ring. */
  function unwrapPolygon(polygon) {
    var rings = [];
    var outerMid = 0;
    for (var r = 0; r < polygon.length; r++) {
      var ring = unwrapRing(polygon[r]);
      var b = lonBounds(ring);
      var mid = (b[0] + b[1]) / 2;
      if (r === 0) {
        outerMid = mid;
      } else {
        var k = Math.round((mid - outerMid) / 360);
        if (k) ring = shiftRing(ring, -360 * k);
      }
      rings.push(ring);
    }
    return rings;
  }

  /* Border and coast lines: every arc once (shared borders are not stroked twice), without the
   * artificial edges Natural Earth adds where it cuts land at the 180° meridian (Taveuni, Chukotka)
   * or runs along a pole (Antarctica in the 50m file). */
  function meshLines(mesh) {
    var lines = [];
    var eps = 1e-6;
    function artificial(a, b) {
      var onMeridian = Math.abs(Math.abs(a[0]) - 180) < eps && Math.abs(a[0] - b[0]) < eps;
      var onPole = Math.abs(a[1]) > 89.99 && Math.abs(b[1]) > 89.99;
      return onMeridian || onPole;
    }
    var arcs = mesh.type === "MultiLineString" ? mesh.coordinates : [mesh.coordinates];
    for (var a = 0; a < arcs.length; a++) {
      var arc = arcs[a];
      var piece = [arc[0]];
      for (var i = 1; i < arc.length; i++) {
        if (artificial(arc[i - 1], arc[i])) {
          if (piece.length > 1) lines.push(piece);
          piece = [arc[i]];
        } else {
          piece.push(arc[i]);
        }
      }
      if (piece.length > 1) lines.push(piece);
    }
    for (var l = 0; l < lines.length; l++) lines[l] = unwrapLine(lines[l]);
    return lines;
  }

  /* Prepare a world-atlas topology: unwrapped country polygons (filled) and unwrapped
   * border/coast lines (stroked), with the longitude range they cover. */
  function prepare(topo, object) {
    var topojson = window.topojson;
    var collection = topojson.feature(topo, object);
    var features = collection.type === "FeatureCollection" ? collection.features : [collection];
    var out = [];
    var west = Infinity;
    var east = -Infinity;
    for (var f = 0; f < features.length; f++) {
      var geometry = features[f].geometry;
      if (!geometry) continue;
      var polygons;
      if (geometry.type === "Polygon") polygons = [geometry.coordinates];
      else if (geometry.type === "MultiPolygon") polygons = geometry.coordinates;
      else continue;
      var unwrapped = [];
      for (var p = 0; p < polygons.length; p++) {
        var polygon = unwrapPolygon(polygons[p]);
        for (var r = 0; r < polygon.length; r++) {
          var b = lonBounds(polygon[r]);
          if (b[0] < west) west = b[0];
          if (b[1] > east) east = b[1];
        }
        unwrapped.push(polygon);
      }
      out.push({
        type: "Feature",
        id: features[f].id,
        properties: features[f].properties || {},
        geometry: { type: "MultiPolygon", coordinates: unwrapped },
      });
    }
    var lines = meshLines(topojson.mesh(topo, object));
    for (var l = 0; l < lines.length; l++) {
      var lb = lonBounds(lines[l]);
      if (lb[0] < west) west = lb[0];
      if (lb[1] > east) east = lb[1];
    }
    return {
      features: out,
      lines: { type: "Feature", properties: {}, geometry: { type: "MultiLineString", coordinates: lines } },
      west: west,
      east: east,
    };
  }

  function cssVar(element, name, fallback) {
    var value = window.getComputedStyle(element).getPropertyValue(name);
    return value && value.trim() ? value.trim() : fallback;
  }

  function basemapPane(map, name, zIndex) {
    if (!map.getPane(name)) {
      var pane = map.createPane(name);
      pane.style.zIndex = zIndex; // where the tile pane would be: under overlays and markers
      pane.style.pointerEvents = "none";
    }
    return L.canvas({ pane: name, padding: 0.5 });
  }

  /* A layer group holding, per 360° of longitude in view, one copy of the filled countries (in the
   * pane "gsBasemapLand") and one of the border/coast lines (pane "gsBasemapLines", above, so a
   * later copy's land never covers an earlier copy's lines). Copies are created lazily and kept. */
  function countriesLayer(map, data) {
    var container = map.getContainer();
    var landStyle = {
      renderer: basemapPane(map, "gsBasemapLand", 200),
      pane: "gsBasemapLand",
      interactive: false,
      stroke: false,
      fill: true,
      fillColor: cssVar(container, "--gs-map-land", "#e6e6e3"),
      fillOpacity: 1,
    };
    var lineStyle = {
      renderer: basemapPane(map, "gsBasemapLines", 201),
      pane: "gsBasemapLines",
      interactive: false,
      stroke: true,
      color: cssVar(container, "--gs-map-border", "#a3a3a0"),
      weight: parseFloat(cssVar(container, "--gs-map-border-width", "0.6")) || 0.6,
      opacity: 1,
      fill: false,
      lineJoin: "round",
    };
    var group = L.layerGroup([], { attribution: "Natural Earth" });
    var copies = {};

    function copy(geojson, style, offset) {
      return L.geoJSON(geojson, {
        style: style,
        interactive: false,
        coordsToLatLng: function (c) {
          return L.latLng(c[1], c[0] + offset);
        }
      });
    }

    function addCopy(k) {
      if (copies[k]) return;
      copies[k] = true;
      group.addLayer(copy({ type: "FeatureCollection", features: data.features }, landStyle, 360 * k));
      group.addLayer(copy(data.lines, lineStyle, 360 * k));
    }

    function update() {
      var bounds = map.getBounds();
      var first = Math.ceil((bounds.getWest() - data.east) / 360);
      var last = Math.floor((bounds.getEast() - data.west) / 360);
      for (var k = Math.max(first, -4); k <= Math.min(last, 4); k++) addCopy(k);
    }

    group.on("add", function () {
      update();
      map.on("moveend zoomend resize", update);
    });
    group.on("remove", function () {
      map.off("moveend zoomend resize", update);
    });
    return group;
  }

  Groundswell.addBasemap = function (map, url) {
    var container = map.getContainer();
    var data = container.dataset || {};
    if (data.tileUrl) {
      var tiles = L.tileLayer(data.tileUrl, {
        attribution: data.tileAttribution || "",
        maxZoom: parseInt(data.tileMaxZoom, 10) || 19,
      });
      tiles.addTo(map);
      return window.Promise.resolve(tiles);
    }
    url = url || data.basemapUrl;
    L.DomUtil.addClass(container, "gs-map--basemap");
    if (!url) {
      L.DomUtil.addClass(container, "gs-map--basemap-failed");
      return window.Promise.reject(new Error("basemap: no data-basemap-url on the map element"));
    }
    return loadCountries(url).then(
      function (countries) {
        var layer = countriesLayer(map, countries);
        layer.addTo(map);
        return layer;
      },
      function (error) {
        L.DomUtil.addClass(container, "gs-map--basemap-failed");
        throw error;
      }
    );
  };

  /* The country shapes: the coarse file (110m, ~100 KB, drawn in a few milliseconds) first, the finer one
   * (50m, 7x larger: drawing it takes the main thread for most of a second on a slow machine, and again on
   * every zoom) only once someone zooms in far enough to see the difference. */
  Groundswell.addBasemaps = function (map) {
    var detailUrl = map.getContainer().getAttribute("data-basemap-detail-url");
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
    if (map.getContainer().getAttribute("data-tile-url")) return;
    first.then(function (layer) {
      coarse = layer;
      choose();
    }, report);
    map.on("zoomend", choose);
  };

  // Exposed for tests and for other maps that want the same geometry fix.
  Groundswell.basemapInternals = { unwrapRing: unwrapRing, unwrapLine: unwrapLine, prepare: prepare };
})(window);
