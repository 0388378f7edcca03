// The screen pop's close button: the pop of this call stays closed (the next poll brings it back otherwise);
// the next call opens it again.
(function () {
  const KEY = "cti-closed-call";
  function apply() {
    const pop = document.getElementById("cti-pop");
    const panel = pop && pop.querySelector("[data-call]");
    if (panel && panel.dataset.call === sessionStorage.getItem(KEY)) pop.classList.add("closed");
  }
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-cti-close]")) return;
    const panel = event.target.closest("[data-call]");
    if (panel) sessionStorage.setItem(KEY, panel.dataset.call);
    apply();
  });
  document.addEventListener("htmx:afterSettle", apply);
  document.addEventListener("DOMContentLoaded", apply);
})();
