// saylau published pages: when the pointer names a newer version, go to this page in it. No library.
// The pointer is asked for with the browser's validators (a 304 while it stands); a tab nobody looks at asks
// for nothing until it is shown.
(function () {
  "use strict";
  var body = document.body;
  var pointer = body.getAttribute("data-pointer");
  if (!pointer || !window.fetch) { return; }
  var version = body.getAttribute("data-version");
  var lang = body.getAttribute("data-lang") || "kk";
  var page = body.getAttribute("data-page");
  var every = 1000 * (parseInt(body.getAttribute("data-poll"), 10) || 5);
  function whenShown() {
    document.removeEventListener("visibilitychange", whenShown);
    if (document.hidden) { document.addEventListener("visibilitychange", whenShown); } else { poll(); }
  }
  function poll() {
    if (document.hidden) { document.addEventListener("visibilitychange", whenShown); return; }
    fetch(pointer, { cache: "no-cache" }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (current) {
      if (current && String(current.version) !== version && current.index && current.index[lang]) {
        var next = new URL(current.index[lang], new URL(pointer, location.href));
        if (page) { next = new URL(page, next); }
        location.replace(next.href);
      }
    }).catch(function () { /* offline for a moment: try again at the next tick */ })
      .then(function () { window.setTimeout(poll, every); });
  }
  window.setTimeout(poll, every);
}());
