/*
 * Groundswell campaign report (public/report.html): the "Print or save as PDF" button.
 *
 * Format: a classic script (ES5 syntax, no modules), loaded with `defer`. Nothing inline, so it works
 * under a strict CSP. The button is hidden in the markup and shown here: without JavaScript the browser's
 * own print command does the same, and the page's print stylesheet (css/report.css) applies either way.
 *
 * Markup contract: <button type="button" data-report-print hidden>Print or save as PDF</button>
 */
(function (window, document) {
  "use strict";

  function enhance() {
    var buttons = document.querySelectorAll("[data-report-print]");
    if (!window.print) return;
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () {
        window.print();
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})(window, document);
