// Phone order form: fill empty fields from a returning caller's last order, block saving on prohibited goods,
// and never submit twice.
(function () {
  const form = document.getElementById("order-form");
  if (!form) return;
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "caller") {
      const data = document.getElementById("caller-prefill");
      if (!data) return;
      const values = JSON.parse(data.textContent);
      let filled = false;
      for (const [name, value] of Object.entries(values)) {
        const input = form.elements[name];
        if (input && !input.value && value) { input.value = value; filled = true; }
      }
      if (filled) htmx.trigger(form, "change");
    }
    if (event.detail.target.id === "checks") {
      document.getElementById("save-order").disabled = !!document.querySelector("#checks [data-blocked]");
    }
  });
  form.addEventListener("submit", function () {
    const button = document.getElementById("save-order");
    setTimeout(function () { button.disabled = true; }, 0);
  });
})();
