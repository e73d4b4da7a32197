// Autosave for the article form: every 30 seconds (data-interval), if anything changed,
// post the form to the admin's autosave endpoint (a private copy per editor, never
// published), and once more when the tab is hidden or closed. On the add page the form
// carries a draft key (_autosave_key), so a never-saved article is kept too.
// No inline script: the endpoint comes from #article-autosave's data-url attribute, and
// the outcome is written into that element (role="status") for the editor to see.
(function () {
  "use strict";

  function start() {
    var marker = document.getElementById("article-autosave");
    var form = document.getElementById("article_form");
    if (!marker || !form || !window.fetch || !window.FormData) return;
    var url = marker.getAttribute("data-url");
    var seconds = parseFloat(marker.getAttribute("data-interval")) || 30;
    var last = null, edited = false, ticks = 0;

    function snapshot() {
      if (window.tinymce && window.tinymce.triggerSave) window.tinymce.triggerSave();
      return new URLSearchParams(new FormData(form)).toString();
    }
    last = snapshot();

    function say(text) { marker.textContent = text; }

    // Only what the editor did counts: scripts that settle the form after it loads (TinyMCE
    // starting, widgets filling in) must not leave an autosave of an untouched page.
    form.addEventListener("input", function () { edited = true; });
    form.addEventListener("change", function () { edited = true; });
    // The admin's "+" popups (an expert added in place) set their select with jQuery's
    // trigger("change"), which only jQuery's own handlers hear.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(form).on("change", function () { edited = true; });
    }
    function userEdited() {
      if (edited) return true;
      var editors = window.tinymce && window.tinymce.get ? window.tinymce.get() : [];
      return editors.some(function (editor) { return editor.isDirty(); });
    }

    function save() {
      marker.setAttribute("data-ticks", String(++ticks));  // lets tests wait for a round
      if (!userEdited()) return;
      var body = snapshot();
      if (body === last) return;
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
      }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        last = body;
        return response.json();
      }).then(function (data) {
        marker.setAttribute("data-saved-at", data.saved_at);
        say("Unsaved changes autosaved at " + data.saved_at + " (only you can see them; Save to keep them).");
      }).catch(function () {
        say("Autosave failed; trying again shortly. Your text is still in the form.");
      });
    }

    // Leaving the page: one last copy, sent even as the tab closes.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState !== "hidden" || !navigator.sendBeacon || !userEdited()) return;
      var body = snapshot();
      if (body === last) return;
      var sent = navigator.sendBeacon(url, new Blob([body], {type: "application/x-www-form-urlencoded"}));
      if (sent) last = body;
    });
    // Pressing a submit button saves for real: no autosave of what is being saved.
    form.addEventListener("submit", function () { last = snapshot(); });
    window.setInterval(save, seconds * 1000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
