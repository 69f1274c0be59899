// The protocol entry form and the paper summary protocol's, keyboard only (issues 22 and 23). Enter moves to
// the next line (the last one to the button, where Enter finalises); what is typed is saved on the server as it is typed (the operator's draft)
// and comes back after a reload, a lost session or a restart; the control relations are checked as you type,
// marking every line a failing relation involves with the two sides' figures (the server checks them again);
// the warnings (W001-W004) come from the server with each saved draft and are marked at their lines too, so
// the clerk sees them before pressing finalise (a finalise the form had not shown them for comes back).
// Numbers are read as the service reads them (web/bounds.py): digits, and the separators clerks write
// between groups of three (`1 585`, `1,585`). Every message comes from the page, in its language.
(function () {
  "use strict";
  var focused = document.querySelector("[autofocus]");
  var form = document.getElementById("entry");
  // Enter moves to the next line, the last one to the button (where Enter finalises), as on paper.
  function enterMoves(fields, button, each) {
    fields.forEach(function (field, index) {
      field.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") { return; }
        event.preventDefault();
        if (each) { each(); }
        (fields[index + 1] || button).focus();
      });
      field.addEventListener("focus", function () { field.select(); });
    });
  }
  var summary = document.getElementById("summary");
  if (summary) {  // the paper summary protocol of a commission below: the same keys as the entry form
    var lines = Array.prototype.slice.call(summary.querySelectorAll("input.figure"));
    enterMoves(lines, document.getElementById("finalise"));
    var wrong = lines.filter(function (f) { return f.classList.contains("bad"); })[0];
    if (wrong) { wrong.focus(); }
    return;
  }
  if (!form) {
    // Just after a finalise, an Enter pressed once too often must not open the next form: focus a moment later.
    if (focused) { setTimeout(function () { focused.focus(); }, /[?&]done=/.test(location.search) ? 700 : 0); }
    return;
  }
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.figure"));
  var button = document.getElementById("finalise");
  var checks = document.getElementById("checks");
  var draft = document.getElementById("draft");
  var csrf = form.elements.namedItem("csrf").value;
  var fromServer = {}, serverSides = {};  // what the server refused, until the line is typed again
  var warned = {};  // line -> the two sides' figures of the server's warning that marks it (W001-W004)
  var seen = form.elements.namedItem("seen"), warnList = document.getElementById("warnings");
  inputs.forEach(function (field) {
    var cell = document.getElementById("s-" + field.id.replace(/^f-/, ""));
    if (field.classList.contains("bad")) { fromServer[field.name] = true; }
    if (field.classList.contains("warn")) { warned[field.name] = cell ? cell.textContent : ""; }
    if (cell && cell.textContent) { serverSides[field.name] = cell.textContent; }
  });
  var PLAIN = /^[0-9]+$/, GROUPED = /^[0-9]{1,3}(?:[ \u00a0\u2009\u202f,_'][0-9]{3})+$/;

  function number(field) {
    var text = field ? field.value.trim() : "";
    if (!PLAIN.test(text) && !GROUPED.test(text)) { return null; }
    return parseInt(text.replace(/[^0-9]/g, ""), 10);
  }
  // Thousands grouped as the page's language writes them (a space in Kazakh and Russian), not as the browser's
  // locale data happens to (Chromium may have none for Kazakh).
  function grouped(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, document.documentElement.lang === "en" ? "," : "\u00a0");
  }
  function byName(name) { return form.elements.namedItem(name); }
  function value(name) { return number(byName(name)); }
  function votes() { return inputs.filter(function (f) { return f.classList.contains("vote"); }); }

  // Each relation: its code, the fields it involves, and its two sides (null while a line is missing).
  function relations() {
    var out = [];
    var found = value("found"), invalid = value("invalid"), against = value("against_all");
    var counted = invalid !== null && against !== null ? invalid + against : null;
    votes().forEach(function (f) { var n = number(f); counted = counted === null || n === null ? null : counted + n; });
    if (found !== null && counted !== null) {
      out.push({ code: "P001", ok: found === counted, a: found, b: counted,
        fields: ["found", "invalid", "against_all"].concat(votes().map(function (f) { return f.name; })) });
    }
    var received = value("received"), issued = value("issued"), cancelled = value("cancelled");
    if (received !== null && issued !== null && issued > received) {
      out.push({ code: "P002", ok: false, a: issued, b: received, fields: ["issued", "received"] });
    } else if (received !== null && issued !== null && cancelled !== null) {
      out.push({ code: "P003", ok: received === issued + cancelled, a: received, b: issued + cancelled,
        fields: ["received", "issued", "cancelled"] });
    }
    var absentee = value("issued_absentee"), outside = value("issued_outside");
    if (issued !== null && absentee !== null && outside !== null && absentee + outside > issued) {
      out.push({ code: "P008", ok: false, a: absentee + outside, b: issued,
        fields: ["issued_absentee", "issued_outside", "issued"] });
    }
    return out;
  }

  function show() {
    var bad = {}, sides = {};
    inputs.forEach(function (field) {
      if (field.value.trim() !== "" && number(field) === null) { bad[field.name] = true; sides[field.name] = form.dataset.p006; }
    });
    checks.textContent = "";
    relations().forEach(function (r) {
      var text = form.dataset["sides" + r.code.charAt(0) + r.code.slice(1).toLowerCase()];
      text = text.replace("{a}", grouped(r.a)).replace("{b}", grouped(r.b));
      var li = document.createElement("li");
      li.className = r.ok ? "ok" : "bad";
      li.dataset.code = r.code;
      li.textContent = (r.ok ? "✓ " : "✗ ") + r.code + " " + text + (r.ok ? "" : " — " + form.dataset[r.code.toLowerCase()]);
      checks.appendChild(li);
      if (!r.ok) { r.fields.forEach(function (name) { bad[name] = true; sides[name] = grouped(r.a) + " ≠ " + grouped(r.b); }); }
    });
    inputs.forEach(function (field) {
      var marked = bad[field.name] || fromServer[field.name] || false;
      var warning = !marked && warned[field.name] !== undefined;
      field.classList.toggle("bad", marked);
      field.classList.toggle("warn", warning);
      if (marked) { field.setAttribute("aria-invalid", "true"); } else { field.removeAttribute("aria-invalid"); }
      var cell = document.getElementById("s-" + field.id.replace(/^f-/, ""));
      if (cell) {
        cell.textContent = bad[field.name] ? sides[field.name] : fromServer[field.name] ? serverSides[field.name] || ""
          : warning ? warned[field.name] : "";
      }
    });
  }

  // The warnings the server finds in the figures as typed (the draft's answer), in the page's language, marked
  // at their lines; `seen` goes back with the finalise: the clerk has had them before their eyes.
  function showWarnings(list, fingerprint) {
    warned = {};
    warnList.textContent = "";
    list.forEach(function (w) {
      var li = document.createElement("li");
      li.className = "warn";
      li.dataset.code = w.code;
      li.dataset.fields = w.fields.join(" ");
      li.textContent = "⚠ " + w.code + " " + w.text;
      warnList.appendChild(li);
      w.fields.forEach(function (name) { if (warned[name] === undefined) { warned[name] = w.detail; } });
    });
    seen.value = fingerprint || "";
    show();
  }

  function firstBad() { return inputs.filter(function (f) { return f.classList.contains("bad"); })[0]; }

  // The draft: saved a moment after typing stops, and at once on Enter.
  var timer = null, sent = false, asked = 0;
  function typed() {
    var out = {};
    inputs.forEach(function (field) { if (field.value !== "") { out[field.name] = field.value; } });
    return out;
  }
  function save() {
    if (timer !== null) { clearTimeout(timer); timer = null; }
    if (sent || !window.fetch) { return; }
    var mine = ++asked;  // only the answer to the latest save speaks: an older one may come back after it
    window.fetch(form.dataset.draft, {
      method: "PUT", credentials: "same-origin", keepalive: true,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ typed: typed() })
    }).then(function (answer) {
      if (answer.status === 401 || answer.status === 403) {
        draft.className = "draft bad"; draft.textContent = form.dataset.unsaved;
      } else if (answer.ok) {
        answer.json().then(function (body) { if (mine === asked && !sent) { showWarnings(body.warnings || [], body.seen); } });
        var now = new Date();
        draft.className = "draft";
        draft.textContent = form.dataset.saved.replace("{time}", now.toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit", second: "2-digit" }));
      }
    }).catch(function () { draft.className = "draft bad"; draft.textContent = form.dataset.unsaved; });
  }
  function later() { if (timer !== null) { clearTimeout(timer); } timer = setTimeout(save, 400); }

  enterMoves(inputs, button, save);
  inputs.forEach(function (field) {
    field.addEventListener("input", function () { delete fromServer[field.name]; seen.value = ""; show(); later(); });
  });
  form.addEventListener("submit", function (event) {
    show();
    var wrong = relations().some(function (r) { return !r.ok; });
    var first = firstBad();
    if (wrong && first) { event.preventDefault(); first.focus(); return; }
    sent = true;
    if (timer !== null) { clearTimeout(timer); timer = null; }
  });
  show();
  var firstWarned = form.dataset.stopped ? inputs.filter(function (f) { return f.classList.contains("warn"); })[0] : null;
  var start = firstBad() || firstWarned || inputs.filter(function (f) { return f.value === ""; })[0] || inputs[0];
  if (start) { start.focus(); }
}());
