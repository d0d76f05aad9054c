// The stock-take's camera: reads a label's QR code with the browser's BarcodeDetector, puts the code in the
// form's "tag or scanned code" field and sends the form. Without the detector (or JavaScript) the form is typed.
(function () {
  "use strict";
  var form = document.getElementById("scan-form");
  var box = document.getElementById("camera");
  if (!form || !box) { return; }
  var status = document.getElementById("camera-status");
  var video = document.getElementById("camera-view");
  var startButton = document.getElementById("camera-start");
  var stopButton = document.getElementById("camera-stop");
  var input = form.querySelector("input[name=code]");
  var stream = null;
  box.hidden = false;
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
    startButton.hidden = true;
    status.textContent = form.dataset.cameraUnavailable;
    return;
  }
  var detector = new window.BarcodeDetector({ formats: ["qr_code"] });

  function stop() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
    startButton.focus();
  }

  function look() {
    if (!stream) { return; }
    detector.detect(video).then(function (codes) {
      if (codes.length) {
        input.value = codes[0].rawValue;
        stop();
        form.submit();
      } else {
        window.setTimeout(look, 250);
      }
    }).catch(function () { window.setTimeout(look, 500); });
  }

  startButton.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (media) {
      stream = media;
      video.srcObject = media;
      video.hidden = false;
      startButton.hidden = true;
      stopButton.hidden = false;
      stopButton.focus();
      status.textContent = form.dataset.cameraLooking;
      return video.play().then(look);
    }).catch(function () {
      status.textContent = form.dataset.cameraRefused;
    });
  });
  stopButton.addEventListener("click", stop);
})();
