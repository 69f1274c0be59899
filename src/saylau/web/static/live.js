// saylau live results: swap in the newest fragment without a reload. No library, nothing from the internet.
// Every poll sends the ETag of the fragment on screen (from the first: the page carries it), so while the
// count stands the server answers 304 with no body; a tab nobody looks at asks for nothing until it is shown.
(function () {
  "use strict";
  var box = document.getElementById("live");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-live");
  var every = 1000 * (parseInt(box.getAttribute("data-poll"), 10) || 5);
  var etag = box.getAttribute("data-etag");
  function later() { window.setTimeout(poll, every); }
  function whenShown() {
    document.removeEventListener("visibilitychange", whenShown);
    if (document.hidden) { document.addEventListener("visibilitychange", whenShown); } else { poll(); }
  }
  function poll() {
    if (document.hidden) { document.addEventListener("visibilitychange", whenShown); return; }
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { headers: headers, cache: "no-store" }).then(function (response) {
      if (response.status === 200) {
        etag = response.headers.get("ETag");
        return response.text().then(function (html) { box.innerHTML = html; });
      }
    }).catch(function () { /* offline for a moment: try again at the next tick */ })
      .then(later);
  }
  later();
}());
