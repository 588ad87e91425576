// htmx drops an answer with an error status without a word: say what happened instead.
(function () {
  "use strict";
  var MESSAGES = {
    503: "系统繁忙，请稍等几秒后重试",
    403: "您无权进行此操作，或登录已过期，请刷新页面后重试",
    404: "内容已不存在，请刷新页面",
  };
  var OTHER = "操作没有完成，请稍后重试";
  var OFFLINE = "网络连接失败，请检查网络后重试";
  var hideTimer = null;

  function show(text) {
    var box = document.getElementById("htmx-error");
    if (!box) {
      box = document.createElement("div");
      box.id = "htmx-error";
      box.className = "toast";
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    box.textContent = text;
    box.hidden = false;
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () { box.hidden = true; }, 6000);
  }

  document.addEventListener("htmx:responseError", function (event) {
    show(MESSAGES[event.detail.xhr.status] || OTHER);
  });
  document.addEventListener("htmx:sendError", function () { show(OFFLINE); });
})();
