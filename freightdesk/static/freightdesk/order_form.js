// Phone order form: fill empty fields from a returning caller's last order, block saving on prohibited goods,
// and never submit twice.
(function () {
  const form = document.getElementById("order-form");
  if (!form) return;
  // The caller look-up races the agent's typing: its answer fills only a field that is still empty, that the
  // agent has not touched since the look-up started and is not in (he may be about to type: "王先生李小姐").
  const touched = new Map();  // field name -> when the agent last focused or typed in it
  let lookupStarted = 0;
  const touch = function (event) { if (event.target.name) touched.set(event.target.name, performance.now()); };
  form.addEventListener("focusin", touch);
  form.addEventListener("input", touch);
  form.addEventListener("keydown", touch);
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.target && event.detail.target.id === "caller") lookupStarted = performance.now();
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "caller") {
      const data = document.getElementById("caller-prefill");
      if (!data) return;
      const values = JSON.parse(data.textContent);
      let filled = false;
      for (const [name, value] of Object.entries(values)) {
        const input = form.elements[name];
        if (!input || input.value || !value || input === document.activeElement) continue;
        if ((touched.get(name) || -1) >= lookupStarted) continue;
        input.value = value;
        filled = true;
      }
      if (filled) htmx.trigger(form, "change");
    }
    if (event.detail.target.id === "checks") {
      document.getElementById("save-order").disabled = !!document.querySelector("#checks [data-blocked]");
    }
  });
  // The note's delivery requirement ("15点前送达"), read by the server: one key makes it the deadline.
  document.body.addEventListener("click", function (event) {
    const use = event.target.closest("#use-note-deadline");
    if (!use) return;
    form.elements["delivery_deadline"].value = use.dataset.deadline;
    document.getElementById("note-deadline").dataset.used = "1";
    htmx.trigger(form, "change");
  });
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.key.toLowerCase() !== "d") return;
    const use = document.getElementById("use-note-deadline");
    if (use) { event.preventDefault(); use.click(); }
  });
  form.addEventListener("submit", function () {
    const button = document.getElementById("save-order");
    setTimeout(function () { button.disabled = true; }, 0);
  });
})();
