// The protocol entry form: keyboard only. Enter moves to the next line (the last one to the button), and
// the protocol's control relations are checked as you type (the server checks them again on finalising).
(function () {
  "use strict";
  var form = document.getElementById("entry");
  if (!form) { return; }
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name]:not([type=hidden])"));
  var button = document.getElementById("finalise");
  var checks = document.getElementById("checks");

  function value(name) {
    var field = form.elements.namedItem(name);
    var text = field && field.value.trim();
    return text && /^[0-9]+$/.test(text) ? parseInt(text, 10) : null;
  }

  function show() {
    var found = value("found"), invalid = value("invalid"), against = value("against_all");
    var received = value("received"), issued = value("issued"), cancelled = value("cancelled");
    var absentee = value("issued_absentee"), outside = value("issued_outside");
    var votes = 0, complete = true;
    form.querySelectorAll("input.vote").forEach(function (field) {
      var n = /^[0-9]+$/.test(field.value.trim()) ? parseInt(field.value.trim(), 10) : null;
      if (n === null) { complete = false; } else { votes += n; }
    });
    var items = [];
    if (complete && found !== null && invalid !== null && against !== null) {
      var counted = votes + invalid + against;
      items.push([counted === found, "P001", form.dataset.p001 + " (" + counted + " / " + found + ")"]);
    }
    if (received !== null && issued !== null) {
      if (issued > received) { items.push([false, "P002", form.dataset.p002]); }
      else if (cancelled !== null) {
        items.push([received === issued + cancelled, "P003", form.dataset.p003 + " (" + (issued + cancelled) + " / " + received + ")"]);
      }
    }
    if (issued !== null && absentee !== null && outside !== null && absentee + outside > issued) {
      items.push([false, "P008", form.dataset.p008]);
    }
    checks.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = item[0] ? "ok" : "bad";
      li.dataset.code = item[1];
      li.textContent = (item[0] ? "✓ " : "✗ ") + item[1] + " " + item[2];
      checks.appendChild(li);
    });
  }

  inputs.forEach(function (field, index) {
    field.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault();
      var next = inputs[index + 1];
      (next || button).focus();
      if (next) { next.select(); }
    });
    field.addEventListener("input", show);
  });
  show();
}());
