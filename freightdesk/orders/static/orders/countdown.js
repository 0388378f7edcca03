// Live review countdown (SPEC §5): counts from the server's clock (data-now), not the browser's,
// so a wrong PC clock cannot hide an overdue order. Re-scans after every htmx swap.
(function () {
  var offset = 0;
  function sync(root) {
    var el = root.querySelector("[data-server-now]");
    if (el) offset = Date.parse(el.getAttribute("data-server-now")) - Date.now();
  }
  function fmt(ms) {
    var s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m)) + ":" + String(r).padStart(2, "0");
    return h ? h + ":" + mm : mm;
  }
  function tick() {
    var now = Date.now() + offset;
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var left = Date.parse(el.getAttribute("data-due")) - now;
      var row = el.closest("tr") || el;
      var box = el.closest("[data-left-text]");
      var leftText = box ? box.getAttribute("data-left-text") : "%s left";
      var overText = box ? box.getAttribute("data-overdue-text") : "overdue by %s min";
      if (left >= 0) {
        el.textContent = leftText.replace("%s", fmt(left));
        row.classList.remove("overdue");
      } else {
        el.textContent = overText.replace("%s", Math.floor(-left / 60000));
        row.classList.add("overdue");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { sync(document); tick(); });
  document.addEventListener("htmx:afterSwap", function (e) { sync(e.target); tick(); });
  setInterval(tick, 1000);
})();
