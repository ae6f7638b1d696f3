// QR check-in: where the browser can read QR codes (the BarcodeDetector API) and has a camera,
// a button starts the camera; each code read is posted through the same form staff type codes
// into, so the server gives the same answer either way. Without camera, permission or
// JavaScript the typed code still works.
(function () {
  "use strict";
  var SCAN_EVERY_MS = 250;
  var SAME_CODE_PAUSE_MS = 4000; // a code held in front of the camera is posted once

  function setup() {
    var root = document.getElementById("checkin");
    if (!root) { return; }
    var form = document.getElementById("checkin-form");
    var input = document.getElementById("checkin-code");
    var box = document.getElementById("scanner");
    var video = document.getElementById("scanner-video");
    var start = document.getElementById("scanner-start");
    var stop = document.getElementById("scanner-stop");
    var note = document.getElementById("scanner-note");

    var stream = null;

    function say(text) { note.textContent = text; note.hidden = false; }

    // Ready for the next person: the field is emptied after each answer (camera or not).
    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.elt === form) {
        input.value = "";
        if (!stream) { input.focus(); }
      }
    });

    var canScan = "BarcodeDetector" in window && navigator.mediaDevices &&
      typeof navigator.mediaDevices.getUserMedia === "function";
    if (!canScan) { say(root.getAttribute("data-no-camera")); return; }

    var detector = null;
    var timer = null;
    var last = "";
    var lastAt = 0;

    function stopCamera() {
      if (timer) { clearTimeout(timer); timer = null; }
      if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
      stream = null;
      video.srcObject = null;
      box.hidden = true;
      start.hidden = false;
    }

    function found(value) {
      var now = Date.now();
      if (!value || (value === last && now - lastAt < SAME_CODE_PAUSE_MS)) { return; }
      last = value;
      lastAt = now;
      input.value = value;
      if (navigator.vibrate) { navigator.vibrate(60); }
      form.requestSubmit();
    }

    function scan() {
      if (!stream) { return; }
      detector.detect(video).then(function (codes) {
        if (codes.length) { found(codes[0].rawValue); }
      }).catch(function () {
        // A frame that cannot be read (the video is not ready yet): try the next one.
      }).then(function () {
        if (stream) { timer = setTimeout(scan, SCAN_EVERY_MS); }
      });
    }

    start.hidden = false;
    start.addEventListener("click", function () {
      note.hidden = true;
      try {
        detector = detector || new window.BarcodeDetector({ formats: ["qr_code"] });
      } catch (error) {
        say(root.getAttribute("data-no-camera"));
        start.hidden = true;
        return;
      }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          return video.play();
        })
        .then(function () {
          box.hidden = false;
          start.hidden = true;
          scan();
        })
        .catch(function () {
          stopCamera();
          say(root.getAttribute("data-camera-refused"));
        });
    });
    stop.addEventListener("click", stopCamera);
    // A phone locked or a tab left: give the camera back.
    document.addEventListener("visibilitychange", function () { if (document.hidden) { stopCamera(); } });
  }

  document.addEventListener("DOMContentLoaded", setup);
})();
