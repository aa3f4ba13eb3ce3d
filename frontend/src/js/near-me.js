/*
 * "Near me" on the action list: progressive enhancement. Without JavaScript the visitor types a city.
 * With it, a "Use my location" button asks the browser for its position (which stays in the browser
 * until the visitor agrees), rounds it to two decimals (about 1 km) and submits the form with near=lat,lon.
 * Markup contract: a form[data-near-form] holding input[data-near-position], button[data-near-locate]
 * (hidden until this script shows it) and an element [data-near-status] for messages.
 * Classic script (ES5), loaded with defer; no inline code, so it works under a strict CSP.
 */
(function (document, navigator) {
  "use strict";
  var form = document.querySelector("form[data-near-form]");
  if (!form || !navigator.geolocation) return;
  var button = form.querySelector("[data-near-locate]");
  var position = form.querySelector("[data-near-position]");
  var status = form.querySelector("[data-near-status]");
  if (!button || !position) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    if (status) status.textContent = button.getAttribute("data-locating") || "…";
    navigator.geolocation.getCurrentPosition(
      function (found) {
        position.value = found.coords.latitude.toFixed(2) + "," + found.coords.longitude.toFixed(2);
        var city = form.querySelector("[name=near_city]");
        if (city) city.value = "";
        form.submit();
      },
      function () {
        if (status) status.textContent = button.getAttribute("data-denied") || "";
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
    );
  });
})(document, navigator);
