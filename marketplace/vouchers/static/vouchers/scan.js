// Scan a voucher's QR code with the phone camera (BarcodeDetector, built into Chrome on Android)
// and put the code in the field; without it, the driver types the code printed under the amount.
(function () {
  "use strict";
  var box = document.getElementById("scanner");
  var field = document.getElementById("code");
  if (!box || !field || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  box.hidden = false;
  var video = document.getElementById("camera");
  var status = document.getElementById("scan-status");
  box.querySelector("[data-action=scan]").addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      status.textContent = "Visez le QR code du chèque.";
      var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; };
      var look = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            field.value = codes[0].rawValue.trim();
            status.textContent = "Code lu : vérifiez-le puis débitez le chèque.";
            stop();
            field.focus();
          } else {
            window.requestAnimationFrame(look);
          }
        }).catch(function () { window.requestAnimationFrame(look); });
      };
      look();
    }).catch(function () {
      status.textContent = "Caméra indisponible : saisissez le code imprimé sous le montant.";
    });
  });
})();
