// Share bar extras: "Copy link" and the device's own share sheet. The plain links
// in the bar work without this file; the two buttons stay hidden until it runs.
(function () {
  "use strict";
  var bar = document.querySelector("[data-share]");
  if (!bar) return;
  var url = bar.getAttribute("data-share-url");
  var title = bar.getAttribute("data-share-title");
  var status = bar.querySelector("[data-share-status]");

  function say(message) {
    if (status) status.textContent = message;
  }

  var copy = bar.querySelector("[data-share-copy]");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(url).then(
        function () { say("Link copied."); },
        function () { say("Could not copy the link."); }
      );
    });
  }

  var native = bar.querySelector("[data-share-native]");
  if (native && navigator.share) {
    native.hidden = false;
    native.addEventListener("click", function () {
      navigator.share({ title: title, url: url }).catch(function () {});
    });
  }
})();
