// Autosave for the article change form: every 30 seconds, if anything changed, post the
// form to the admin's autosave endpoint (a private copy per editor, never published).
// No inline script: the endpoint comes from #article-autosave's data-url attribute.
(function () {
  "use strict";
  var INTERVAL_MS = 30000;

  function start() {
    var marker = document.getElementById("article-autosave");
    var form = document.getElementById("article_form");
    if (!marker || !form || !window.fetch || !window.FormData) return;
    var url = marker.getAttribute("data-url");
    var last = null;

    function snapshot() {
      if (window.tinymce && window.tinymce.triggerSave) window.tinymce.triggerSave();
      return new URLSearchParams(new FormData(form)).toString();
    }
    last = snapshot();

    function save() {
      var body = snapshot();
      if (body === last) return;
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
      }).then(function (response) {
        if (!response.ok) return null;
        last = body;
        return response.json();
      }).then(function (data) {
        if (data && data.saved_at) marker.setAttribute("data-saved-at", data.saved_at);
      }).catch(function () { /* offline: try again next time */ });
    }
    window.setInterval(save, INTERVAL_MS);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
