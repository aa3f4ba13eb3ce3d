/*
 * The shared filters (public/_filters.html) update part of the page with htmx and push the URL. This drops
 * the empty fields from the request, so the URL a visitor shares says only what was chosen
 * (?type=vigil, not ?type=vigil&country=&day=&from=&to=&q=): htmx 2 has no option for it.
 * Classic script (ES5), loaded with defer; no inline code, so it works under a strict CSP.
 */
(function (document) {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    if (!detail || !detail.elt || !detail.elt.matches || !detail.elt.matches("form[data-filters]")) return;
    var empty = [];
    detail.formData.forEach(function (value, name) {
      if (value === "" && detail.formData.getAll(name).every(function (v) { return v === ""; })) {
        empty.push(name);
      }
    });
    empty.forEach(function (name) {
      delete detail.parameters[name];
    });
  });
})(document);
