// Election ballot: at most K candidates can be ticked; show how many are.
(function () {
  var form = document.getElementById("ballot-form");
  if (!form || !form.dataset.enabled) return;
  var max = parseInt(form.dataset.max, 10);
  var boxes = form.querySelectorAll("input[type=checkbox][name=choice]");
  if (!max || !boxes.length) return;
  var counter = document.getElementById("choice-count");
  function update() {
    var n = 0;
    boxes.forEach(function (b) { if (b.checked) n++; });
    boxes.forEach(function (b) {
      b.disabled = !b.checked && n >= max;
      b.closest(".choice").classList.toggle("is-disabled", b.disabled);
    });
    if (counter) counter.textContent = n;
  }
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  update();
})();
