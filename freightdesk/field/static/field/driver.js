// The driver's page (SPEC §7): each report goes out with a key made here, the phone's position when the driver
// allowed it, and the time he pressed the button. Without a connection the report is kept in localStorage and
// sent when the phone is back online; the key makes a report sent twice count once on the server.
(function () {
  var QUEUE = "freightdesk.driver.pending";
  var page, position = null;

  function text(name) { return page.getAttribute("data-text-" + name) || ""; }
  function csrf() { var m = document.querySelector("meta[name=csrf-token]"); return m ? m.content : ""; }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  function load() { try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; } }
  function save(items) { localStorage.setItem(QUEUE, JSON.stringify(items)); showPending(); }
  function showPending() {
    var box = document.getElementById("pending"), items = load();
    box.hidden = !items.length;
    box.textContent = items.length ? text("pending") + " " + items.map(function (i) { return i.fields.serial; }).join(", ") : "";
  }
  function showError(message) {
    var box = document.getElementById("report-error");
    box.hidden = !message;
    box.textContent = message || "";
  }

  // --- position, with the driver's consent: with every report, and live while the page is open ---------
  var SHARE = "freightdesk.driver.share", EVERY = 60000, watchId = null, lastSent = 0;
  function sharePosition() {
    if (!position || !navigator.onLine || Date.now() - lastSent < EVERY) return;
    lastSent = Date.now();
    var data = new FormData();
    data.append("latitude", position.latitude);
    data.append("longitude", position.longitude);
    data.append("accuracy", position.accuracy);
    fetch(page.getAttribute("data-position-url"), {
      method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrf() }
    }).catch(function () { lastSent = 0; });
  }
  function stopSharing() {
    if (watchId !== null) navigator.geolocation.clearWatch(watchId);
    watchId = null;
    position = null;
    localStorage.removeItem(SHARE);
    document.getElementById("position-state").textContent = text("no-position");
    document.getElementById("share-position").textContent = text("share");
  }
  function watchPosition() {
    if (!navigator.geolocation) return;
    watchId = navigator.geolocation.watchPosition(function (p) {
      position = { latitude: p.coords.latitude.toFixed(6), longitude: p.coords.longitude.toFixed(6), accuracy: Math.round(p.coords.accuracy || 0) };
      document.getElementById("position-state").textContent = text("position");
      document.getElementById("share-position").textContent = text("stop");
      localStorage.setItem(SHARE, "1");
      sharePosition();
    }, function () {
      document.getElementById("position-state").textContent = text("no-position");
    }, { enableHighAccuracy: true, maximumAge: 60000, timeout: 20000 });
  }
  function toggleSharing() { if (watchId === null) watchPosition(); else stopSharing(); }

  // --- sending -------------------------------------------------------------------
  function dataUrlToBlob(url) {
    var parts = url.split(","), mime = parts[0].split(":")[1].split(";")[0], raw = atob(parts[1]);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return new Blob([bytes], { type: mime });
  }
  function body(item) {
    var data = new FormData();
    Object.keys(item.fields).forEach(function (k) { data.append(k, item.fields[k]); });
    if (item.photo) data.append("photo", dataUrlToBlob(item.photo), item.photoName || "photo.jpg");
    else if (item.file) data.append("photo", item.file, item.file.name);
    return data;
  }
  // Resolves "sent" (stored or replayed), "refused" (the server said no: shown, not kept) or "offline" (kept).
  function send(item) {
    if (!navigator.onLine) return Promise.resolve("offline");
    return fetch(page.getAttribute("data-report-url"), {
      method: "POST", body: body(item), credentials: "same-origin", headers: { "X-CSRFToken": csrf() }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.ok) return "sent";
        if (response.status >= 500 || response.status === 429) return "offline";
        var errors = answer.errors || {}, first = Object.keys(errors)[0];
        showError(first ? item.fields.serial + ": " + errors[first][0] : response.statusText);
        return "refused";
      });
    }, function () { return "offline"; });
  }
  function keep(item) {
    var stored = { fields: item.fields, photo: item.photo || null, photoName: item.file ? item.file.name : null };
    var items = load();
    items.push(stored);
    try { save(items); } catch (e) { stored.photo = null; items[items.length - 1] = stored; save(items); }
  }
  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) return;
    var items = load();
    if (!items.length) return;
    flushing = true;
    var left = [], sentAny = false;
    items.reduce(function (chain, item) {
      return chain.then(function () {
        return send(item).then(function (result) {
          if (result === "offline") left.push(item); else sentAny = sentAny || result === "sent";
        });
      });
    }, Promise.resolve()).then(function () {
      save(left.concat(load().slice(items.length)));
      flushing = false;
      if (sentAny && !left.length) location.reload();
    });
  }

  function readPhoto(file) {
    return new Promise(function (resolve) {
      if (!file) return resolve(null);
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { resolve(null); };
      reader.readAsDataURL(file);
    });
  }

  function submit(event) {
    event.preventDefault();
    var form = event.target, card = form.closest(".order");
    var fields = { serial: card.getAttribute("data-serial"), kind: form.getAttribute("data-kind"), key: newKey(), at: new Date().toISOString() };
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.type !== "file" && el.value !== "") fields[el.name] = el.value;
    });
    if (position) { fields.latitude = position.latitude; fields.longitude = position.longitude; fields.accuracy = position.accuracy; }
    var input = form.querySelector("input[type=file]"), file = input && input.files.length ? input.files[0] : null;
    var button = form.querySelector("button");
    button.disabled = true;
    showError("");
    send({ fields: fields, file: file }).then(function (result) {
      button.disabled = false;
      if (result === "sent") { location.reload(); return; }
      if (result === "offline") {
        readPhoto(file).then(function (photo) {
          keep({ fields: fields, photo: photo, file: file });
          showError(text("kept"));
        });
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    page = document.getElementById("driver-page");
    if (!page) return;
    document.querySelectorAll("form.report").forEach(function (form) { form.addEventListener("submit", submit); });
    document.getElementById("share-position").addEventListener("click", toggleSharing);
    if (localStorage.getItem(SHARE) === "1") watchPosition();
    setInterval(sharePosition, EVERY);
    showPending();
    flush();
  });
  window.addEventListener("online", flush);
})();
