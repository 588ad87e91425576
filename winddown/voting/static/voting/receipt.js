// Receipt page: copy the receipt code (clipboard API, or select it where unavailable).
(function () {
  var button = document.getElementById("copy-receipt");
  var code = document.getElementById("receipt-code");
  button.addEventListener("click", function () {
    var text = code.textContent.trim();
    function done() { button.textContent = "已复制"; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {});
    } else {
      var range = document.createRange();
      range.selectNodeContents(code);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { if (document.execCommand("copy")) done(); } catch (e) { /* select only */ }
    }
  });
})();
