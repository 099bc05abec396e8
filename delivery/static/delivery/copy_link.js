/* Staff day page: "Copier le lien" puts a driver's phone link on the clipboard.
 *
 * Uses the Clipboard API where the page may (https or localhost); otherwise selects the text in
 * its field so staff can copy it by hand, and says which of the two happened.
 */
(function () {
  "use strict";
  function say(id, text) {
    var box = document.querySelector('[data-copy-status="' + id + '"]');
    if (box) { box.textContent = text; }
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-copy-from]");
    if (!button) { return; }
    var id = button.dataset.copyFrom;
    var field = document.getElementById(id);
    if (!field) { return; }
    function byHand() {
      field.focus();
      field.select();
      say(id, "Lien sélectionné : copiez-le (Ctrl+C ou appui long).");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { say(id, "✔ Lien copié."); }, byHand);
    } else {
      byHand();
    }
  });
})();
