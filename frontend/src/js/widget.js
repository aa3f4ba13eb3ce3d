/*
 * Groundswell widget for member websites: shows a campaign's call, its counts and its upcoming actions
 * (optionally the map) on a page of another site.
 *
 * Format: a classic script (ES5 syntax, no modules, no dependencies), loaded with `async` from our
 * static files by a page we do not control. It runs under that page's rules, not our CSP; it uses no
 * eval, no inline styles and no innerHTML: every value goes in with textContent or setAttribute.
 *
 * Markup contract (the snippet /c/<slug>/embed/ writes):
 *
 *   <div data-groundswell-widget="<campaign slug>"
 *        data-language="fr"               (optional: a language of the call; else the visitor's)
 *        data-country="DE"                (optional: only the actions in that country)
 *        data-show="call actions map"     (optional: any of call, actions, map; default "call actions")
 *        data-size="small|medium|large"   (optional; default medium)
 *        data-limit="5">                  (optional: how many actions, 1 to 20)
 *     <a href="https://our.site/c/<slug>/">Read the full call</a>    (shown without JavaScript or on error)
 *   </div>
 *   <script src="https://our.site/static/groundswell/js/widget.js" async></script>
 *
 * The data comes from our site (/c/<slug>/embed/data.json, which answers any origin and is sent no
 * cookies): the origin of the snippet's link to the call, else the one the script came from. The widget draws inside a shadow root when the browser has one, so the host
 * page's CSS does not reach it, and links our stylesheet (css/embed.css next to this script) there. The
 * map is our own map page in an iframe. Links open our pages in a new tab. When everything is drawn the
 * element carries data-widget-state="ready" ("error" if the data could not be loaded: the link stays).
 */
(function (window, document) {
  "use strict";

  var SCRIPT_PATH = /\/groundswell\/js\/widget\.js(\?[^#]*)?(#.*)?$/;
  var SHOW = ["call", "actions", "map"];
  var SIZES = { small: 1, medium: 1, large: 1 };

  function ownScript() {
    if (document.currentScript && SCRIPT_PATH.test(document.currentScript.src)) return document.currentScript;
    var scripts = document.getElementsByTagName("script");
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (SCRIPT_PATH.test(scripts[i].src)) return scripts[i];
    }
    return null;
  }

  // Captured now: document.currentScript is only set while this script first runs.
  var script = ownScript();
  if (!script) return;
  var scriptUrl = script.src;
  var origin = scriptUrl.replace(/^(https?:\/\/[^\/?#]+).*$/, "$1");
  var stylesheetUrl = scriptUrl.replace(SCRIPT_PATH, "/groundswell/css/embed.css");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function link(href, text, className) {
    var a = el("a", className, text);
    // Only our own absolute http(s) addresses: the data is ours, but a link is a link.
    if (/^https?:\/\//.test(href)) a.setAttribute("href", href);
    a.setAttribute("target", "_blank");
    a.setAttribute("rel", "noopener");
    return a;
  }

  function optionsOf(element) {
    var shown = (element.getAttribute("data-show") || "call actions").split(/[\s,]+/);
    var show = {};
    var any = false;
    for (var i = 0; i < SHOW.length; i++) {
      for (var j = 0; j < shown.length; j++) {
        if (shown[j] === SHOW[i]) {
          show[SHOW[i]] = true;
          any = true;
        }
      }
    }
    if (!any) show = { call: true, actions: true };
    var size = element.getAttribute("data-size");
    return {
      slug: element.getAttribute("data-groundswell-widget") || "",
      language: element.getAttribute("data-language") || "",
      country: element.getAttribute("data-country") || "",
      limit: element.getAttribute("data-limit") || "",
      size: SIZES.hasOwnProperty(size) ? size : "medium",
      show: show,
    };
  }

  /* Our site: the origin of the snippet's own link to the call when it has one (static files may come
   * from a host of their own), else the script's. */
  function siteOf(element, slug) {
    var anchor = element.querySelector("a[href]");
    var match = anchor && /^(https?:\/\/[^\/?#]+)\/c\/([^\/?#]+)\//.exec(anchor.href);
    return match && match[2] === slug ? match[1] : origin;
  }

  function dataUrl(options) {
    var query = [];
    if (options.language) query.push("language=" + encodeURIComponent(options.language));
    if (options.country) query.push("country=" + encodeURIComponent(options.country));
    if (options.limit) query.push("limit=" + encodeURIComponent(options.limit));
    return (
      options.site + "/c/" + encodeURIComponent(options.slug) + "/embed/data.json" + (query.length ? "?" + query.join("&") : "")
    );
  }

  function load(url, done, fail) {
    var request = new XMLHttpRequest();
    request.open("GET", url, true);
    request.withCredentials = false; // public data: no cookies of ours go with it
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status !== 200) return fail(new Error("HTTP " + request.status));
      var data;
      try {
        data = JSON.parse(request.responseText);
      } catch (error) {
        return fail(error);
      }
      done(data);
    };
    request.onerror = function () {
      fail(new Error("network error"));
    };
    request.send();
  }

  function callSection(data) {
    var call = data.call;
    var article = el("article", "gs-widget__call");
    article.setAttribute("lang", call.language);
    article.setAttribute("dir", call.dir);
    var title = el("h2", "gs-widget__title");
    title.appendChild(link(call.url, call.title));
    article.appendChild(title);
    article.appendChild(el("p", "gs-widget__excerpt", call.excerpt));
    if (call.demands && call.demands.length) {
      article.appendChild(el("h3", "gs-widget__subtitle", data.labels.demands));
      var demands = el("ol", "gs-widget__demands");
      for (var i = 0; i < call.demands.length; i++) demands.appendChild(el("li", "", call.demands[i]));
      article.appendChild(demands);
    }
    var read = el("p");
    read.appendChild(link(call.url, data.labels.read, "gs-widget__button"));
    article.appendChild(read);
    return article;
  }

  function countsList(data) {
    var list = el("ul", "gs-widget__counts");
    var names = ["actions", "countries", "endorsements"];
    for (var i = 0; i < names.length; i++) {
      var item = el("li");
      item.setAttribute("data-count", names[i]);
      item.appendChild(el("strong", "", data.counts[names[i]]));
      item.appendChild(document.createTextNode(" " + data.labels[names[i]]));
      list.appendChild(item);
    }
    return list;
  }

  function actionsSection(data) {
    var section = el("section", "gs-widget__actions");
    section.appendChild(el("h3", "gs-widget__subtitle", data.labels.upcoming));
    if (!data.actions.length) {
      section.appendChild(el("p", "", data.labels.none));
      return section;
    }
    var list = el("ul", "gs-widget__list");
    for (var i = 0; i < data.actions.length; i++) {
      var action = data.actions[i];
      var item = el("li", "gs-widget__action");
      var title = link(action.url, action.title);
      title.setAttribute("dir", "auto");
      item.appendChild(title);
      if (action.cancelled) {
        item.appendChild(document.createTextNode(" "));
        item.appendChild(el("span", "gs-widget__badge", data.labels.cancelled));
      }
      var meta = el("span", "gs-widget__meta");
      var time = el("time", "", action.when);
      time.setAttribute("datetime", action.start);
      var zone = el("abbr", "", action.zone);
      zone.setAttribute("title", action.timezone);
      var city = el("span", "", action.city);
      city.setAttribute("dir", "auto");
      meta.appendChild(time);
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(zone);
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(city);
      meta.appendChild(document.createTextNode(", " + action.country_name));
      item.appendChild(meta);
      list.appendChild(item);
    }
    section.appendChild(list);
    var more = el("p", "gs-widget__more");
    more.appendChild(link(data.more.url, data.more.label));
    section.appendChild(more);
    return section;
  }

  function mapFrame(data) {
    var frame = el("iframe", "gs-widget__map");
    if (/^https?:\/\//.test(data.map_url)) frame.setAttribute("src", data.map_url);
    frame.setAttribute("title", data.labels.map);
    frame.setAttribute("loading", "lazy");
    return frame;
  }

  function render(element, options, data) {
    // A shadow root keeps the host page's CSS out (and ours in); without one, draw in the element.
    var root = element.attachShadow ? element.shadowRoot || element.attachShadow({ mode: "open" }) : element;
    while (root.firstChild) root.removeChild(root.firstChild);
    var box = el("div", "gs-widget gs-widget--" + options.size);
    box.setAttribute("lang", data.lang);
    box.setAttribute("dir", data.dir);
    // Shown once our stylesheet has arrived, so it never flashes unstyled.
    box.setAttribute("hidden", "");
    var stylesheet = el("link");
    stylesheet.setAttribute("rel", "stylesheet");
    stylesheet.setAttribute("href", stylesheetUrl);
    stylesheet.onload = stylesheet.onerror = function () {
      box.removeAttribute("hidden");
      element.setAttribute("data-widget-state", "ready");
    };
    if (options.show.call) {
      box.appendChild(callSection(data));
      box.appendChild(countsList(data));
    }
    if (options.show.actions) box.appendChild(actionsSection(data));
    if (options.show.map) box.appendChild(mapFrame(data));
    root.appendChild(stylesheet);
    root.appendChild(box);
  }

  function start(element) {
    if (element.getAttribute("data-widget-state")) return; // the script was included twice
    var options = optionsOf(element);
    if (!/^[-\w]+$/.test(options.slug)) {
      element.setAttribute("data-widget-state", "error");
      return;
    }
    options.site = siteOf(element, options.slug);
    element.setAttribute("data-widget-state", "loading");
    load(
      dataUrl(options),
      function (data) {
        render(element, options, data);
      },
      function (error) {
        // The element's own content (a link to the call) stays.
        element.setAttribute("data-widget-state", "error");
        if (window.console) window.console.warn("Groundswell widget: " + error.message);
      }
    );
  }

  function startAll() {
    var elements = document.querySelectorAll("[data-groundswell-widget]");
    for (var i = 0; i < elements.length; i++) start(elements[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})(window, document);
