// Click-to-load videos: nothing is requested from YouTube or Vimeo until the visitor asks.
// Without JavaScript the placeholder keeps its link to the video's own page.
(function () {
  "use strict";
  function setUp(root) {
    root.querySelectorAll(".video-consent[data-embed]").forEach(function (box) {
      var button = box.querySelector(".video-load");
      if (!button || button.dataset.ready) return;
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var frame = document.createElement("iframe");
        frame.src = box.dataset.embed;
        frame.title = box.dataset.title || "";
        frame.allow = "autoplay; fullscreen; picture-in-picture";
        frame.allowFullscreen = true;
        frame.referrerPolicy = "strict-origin-when-cross-origin";
        frame.className = "video-frame";
        box.replaceChildren(frame);
        frame.focus();
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:afterSwap", function (event) { setUp(event.target); });
})();
