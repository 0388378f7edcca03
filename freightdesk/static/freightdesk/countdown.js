// Live countdowns (review SPEC §5, dispatch §6, ticket deadlines §10), counted from the server's clock, not
// the browser's, so a wrong PC clock cannot hide an overdue item: the page carries the server's time at render
// in data-server-now (on <body>, and again in any htmx fragment that brings one), and the script keeps the offset.
// An element .countdown[data-due] (an ISO time) shows what is left as [h:]mm:ss, or "-" that past due, with the
// class "late" (its table row: "overdue"). Wording from the element or a wrapper: data-left-text ("%s left", %s
// the clock) and data-overdue-text ("overdue by %s min", %s the whole minutes over).
(function () {
  var offset = 0;
  function sync(root) {
    var el = root.matches && root.matches("[data-server-now]") ? root : root.querySelector("[data-server-now]");
    var at = el ? Date.parse(el.getAttribute("data-server-now")) : NaN;
    if (!isNaN(at)) offset = at - Date.now();
  }
  function clock(ms) {
    var a = Math.floor(Math.abs(ms) / 1000), h = Math.floor(a / 3600), m = Math.floor((a % 3600) / 60), s = a % 60;
    return (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
  }
  function wording(el, name) {
    var box = el.closest("[" + name + "]");
    return box ? box.getAttribute(name) : null;
  }
  function show(el, now) {
    var left = Date.parse(el.getAttribute("data-due")) - now;
    if (isNaN(left)) return;
    var late = left < 0;
    if (late) {
      var over = wording(el, "data-overdue-text");
      el.textContent = over ? over.replace("%s", Math.floor(-left / 60000)) : "-" + clock(left);
    } else {
      el.textContent = (wording(el, "data-left-text") || "%s").replace("%s", clock(left));
    }
    el.classList.toggle("late", late);
    (el.closest("tr") || el).classList.toggle("overdue", late);
  }
  function tick() {
    var now = Date.now() + offset;
    document.querySelectorAll(".countdown[data-due]").forEach(function (el) { show(el, now); });
  }
  document.addEventListener("DOMContentLoaded", function () { sync(document); tick(); });
  document.addEventListener("htmx:afterSwap", function (e) { sync(e.target); tick(); });
  setInterval(tick, 1000);
})();
