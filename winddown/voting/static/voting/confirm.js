// Ballot confirmation: disable the button once submitted, so a double tap sends one ballot.
(function () {
  var form = document.getElementById("confirm-form");
  form.addEventListener("submit", function () {
    var button = document.getElementById("confirm-button");
    setTimeout(function () { button.disabled = true; button.textContent = "正在提交…"; }, 0);
  });
})();
