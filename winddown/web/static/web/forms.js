// A form with data-confirm asks before it submits (no inline handlers: the pages' CSP
// allows scripts from this site's own files only).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
