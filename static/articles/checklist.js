// The publish checklist, live: while the editor types, post the form as it is on screen
// to the checklist endpoint (#publish-checklist's data-url), which applies the server's
// own rules to the unsaved form in memory, and show what it says. Nothing is saved;
// publishing and scheduling check again on the server. Without JavaScript the panel shows
// the checklist as last saved.
(function () {
  "use strict";
  var QUIET_MS = 800;  // after the last keystroke
  var POLL_MS = 2000;  // TinyMCE types inside an iframe: compare snapshots as well

  function start() {
    var panel = document.getElementById("publish-checklist");
    var form = document.getElementById("article_form");
    if (!panel || !form || !window.fetch || !window.FormData) return;
    var url = panel.getAttribute("data-url");
    var result = panel.querySelector(".checklist-result");
    var basis = panel.querySelector(".checklist-basis");
    var checked = null, timer = null, busy = false, leaving = false;

    function snapshot() {
      if (window.tinymce && window.tinymce.triggerSave) window.tinymce.triggerSave();
      var data = new FormData(form);
      data.delete("_autosave_key");
      return new URLSearchParams(data).toString();
    }

    function show(problems) {
      result.textContent = "";
      if (!problems.length) {
        var ok = document.createElement("p");
        ok.className = "checklist-ok";
        ok.textContent = "✓ Complete: ready to publish or schedule.";
        result.appendChild(ok);
      } else {
        var list = document.createElement("ul");
        problems.forEach(function (problem) {
          var item = document.createElement("li");
          item.className = "checklist-problem";
          item.textContent = "✗ " + problem;
          list.appendChild(item);
        });
        result.appendChild(list);
      }
      if (basis) basis.textContent = "(as you type, not saved yet)";
      panel.setAttribute("data-checked", "1");
    }

    function check() {
      if (leaving) return;
      var body = snapshot();
      if (body === checked || busy) return;
      busy = true;
      panel.setAttribute("data-busy", "1");  // tests wait for the check in flight
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
      }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }).then(function (data) {
        checked = body;
        show(data.problems);
      }).catch(function () { /* the saved state stays shown; try again on the next change */ })
        .then(function () { busy = false; panel.removeAttribute("data-busy"); });
    }

    function soon() {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, QUIET_MS);
    }
    form.addEventListener("input", soon);
    // Once the form is being saved, a check would only race the save for the server.
    form.addEventListener("submit", function () { leaving = true; window.clearTimeout(timer); });
    form.addEventListener("change", soon);
    window.setInterval(check, POLL_MS);
    // The page as rendered has the server's checklist already (or, on a new article, says
    // "start writing"): the first check waits for the first change, so opening the form
    // adds no request to the many it already makes.
    checked = snapshot();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
