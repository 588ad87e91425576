// Staff event form: show only the fields of the chosen kind and counting rule.
(function () {
  var form = document.getElementById("event-form");
  function kind() { var c = form.querySelector("input[name=kind]:checked"); return c ? c.value : ""; }
  function sync() {
    var k = kind(), rule = document.getElementById("rule_id").value;
    form.querySelectorAll("[data-kinds]").forEach(function (el) {
      el.hidden = el.getAttribute("data-kinds").split(" ").indexOf(k) < 0;
    });
    form.querySelectorAll("[data-rule]").forEach(function (el) {
      el.hidden = el.getAttribute("data-rule") !== rule;
    });
  }
  form.addEventListener("change", sync);
  sync();
})();
