/*
 * "Near me" on the action list: progressive enhancement. Without JavaScript the visitor types a city.
 * With it, a "Use my location" button asks the browser for its position (which stays in the browser
 * until the visitor agrees), rounds it to two decimals (about 1 km) and submits with near=lat,lon.
 * Markup contract: an element [data-near-form] holding input[data-near-position], button[data-near-locate]
 * (hidden until this script shows it) and an element [data-near-status] for messages. Its fields belong
 * to the filters' form (form="…"), so submitting it sends the filters too, through htmx when present.
 * Classic script (ES5), loaded with defer; no inline code, so it works under a strict CSP.
 */
(function (document, navigator) {
  "use strict";
  var box = document.querySelector("[data-near-form]");
  if (!box) return;
  var position = box.querySelector("[data-near-position]");
  var city = box.querySelector("[name=near_city]");
  if (!position || !position.form) return;
  var form = position.form;

  // A typed city replaces a position found earlier (the server prefers the city anyway).
  if (city) {
    city.addEventListener("input", function () {
      position.value = "";
    });
  }

  var button = box.querySelector("[data-near-locate]");
  var status = box.querySelector("[data-near-status]");
  if (!button || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    if (status) status.textContent = button.getAttribute("data-locating") || "…";
    navigator.geolocation.getCurrentPosition(
      function (found) {
        position.value = found.coords.latitude.toFixed(2) + "," + found.coords.longitude.toFixed(2);
        if (city) city.value = "";
        if (status) status.textContent = "";
        // requestSubmit fires "submit", so htmx updates the results in place; submit() is the fallback.
        if (typeof form.requestSubmit === "function") form.requestSubmit();
        else form.submit();
      },
      function () {
        if (status) status.textContent = button.getAttribute("data-denied") || "";
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
    );
  });
})(document, navigator);
