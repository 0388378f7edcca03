// "Use" on a knowledge-base article: append its text to the reply box the search panel serves.
(function () {
  if (window.kbReplySearch) return;
  window.kbReplySearch = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".kb-use");
    if (!button) return;
    var panel = button.closest(".kb-search");
    var id = panel && panel.dataset.target;
    var box = id ? document.getElementById(id) : document.querySelector("textarea[name=reply], textarea[name=text], input[name=answer]");
    if (!box) return;
    box.value = box.value ? box.value + "\n" + button.dataset.text : button.dataset.text;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.focus();
  });
})();
