// saylau live results: swap in the newest fragment without a reload. No library, nothing from the internet.
// The server answers 304 while nothing changed (ETag), so polling costs almost nothing.
(function () {
  "use strict";
  var box = document.getElementById("live");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-live");
  var every = 1000 * (parseInt(box.getAttribute("data-poll"), 10) || 5);
  var etag = null;
  function poll() {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { headers: headers, cache: "no-cache" }).then(function (response) {
      if (response.status === 200) {
        etag = response.headers.get("ETag");
        return response.text().then(function (html) { box.innerHTML = html; });
      }
    }).catch(function () { /* offline for a moment: try again at the next tick */ })
      .then(function () { window.setTimeout(poll, every); });
  }
  window.setTimeout(poll, every);
}());
