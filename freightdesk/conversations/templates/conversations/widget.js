{% load i18n %}/* FreightDesk chat widget: <script src="{{ request.scheme }}://{{ request.get_host }}{% url 'conversations:widget' %}" async></script>
   No framework, no CDN. Optional attributes: data-name, data-phone (pre-filled), data-conversation + data-key
   (resume one), data-inline="1" (render in place of the script, full page). Text is always shown as text. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var origin = new URL(script.src, location.href).origin;
  var wsOrigin = origin.replace(/^http/, "ws");
  var T = {
    title: "{{ _('Online service')|escapejs }}",
    name: "{{ _('Your name')|escapejs }}",
    phone: "{{ _('Mobile phone')|escapejs }}",
    serial: "{{ _('Order serial (optional)')|escapejs }}",
    question: "{{ _('Your question')|escapejs }}",
    start: "{{ _('Start chat')|escapejs }}",
    send: "{{ _('Send')|escapejs }}",
    queue: "{{ _('You are number {n} in the queue, about {m} minutes.')|escapejs }}",
    typing: "{{ _('The agent is typing…')|escapejs }}",
    offline: "{{ _('Connection lost, reconnecting…')|escapejs }}",
    closed: "{{ _('This conversation is closed.')|escapejs }}",
    rate: "{{ _('How did we do? 5 is best.')|escapejs }}",
    q1: "{{ _('How fast was your problem handled?')|escapejs }}",
    q2: "{{ _("How was our staff's attitude?")|escapejs }}",
    q3: "{{ _('How satisfied are you with the solution?')|escapejs }}",
    thanks: "{{ _('Thank you for your answer!')|escapejs }}",
    close: "{{ _('Close')|escapejs }}",
    you: "{{ _('You')|escapejs }}",
    agent: "{{ _('Agent')|escapejs }}",
    failed: "{{ _('Sorry, that did not work. Please try again.')|escapejs }}"
  };
  var STORE = "freightdesk-chat:" + origin;
  var state = { id: null, key: null, last: 0, seen: {}, ws: null, retry: 0, status: null };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  var host = el("div", { "class": "freightdesk-chat" });
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var inline = script.dataset.inline === "1";
  var style = el("style", {}, [
    ":host{all:initial;font:15px/1.45 system-ui,'PingFang SC','Microsoft YaHei',sans-serif;color:#1b1b1b}",
    ".launcher{position:fixed;right:16px;bottom:16px;z-index:2147483000;border:0;border-radius:24px;padding:12px 18px;background:#0b5cad;color:#fff;font:inherit;cursor:pointer;box-shadow:0 2px 8px #0004}",
    ".panel{position:fixed;right:16px;bottom:72px;z-index:2147483000;width:360px;max-width:calc(100vw - 32px);height:520px;max-height:calc(100vh - 96px);background:#fff;border:1px solid #ccd;border-radius:10px;box-shadow:0 4px 18px #0003;display:flex;flex-direction:column;overflow:hidden}",
    ".inline .panel{position:static;width:auto;max-width:640px;height:70vh;margin:auto;box-shadow:none}",
    "@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;max-width:100vw;height:100%;max-height:100%;border-radius:0}}",
    "header{background:#0b5cad;color:#fff;padding:10px 12px;display:flex;justify-content:space-between;align-items:center}",
    "header button{background:none;border:0;color:#fff;font-size:20px;cursor:pointer}",
    "form.start{padding:12px;display:grid;gap:8px;overflow:auto}",
    "input,textarea{font:inherit;padding:8px;border:1px solid #aab;border-radius:6px;width:100%;box-sizing:border-box}",
    "button.primary{font:inherit;padding:9px;border:0;border-radius:6px;background:#0b5cad;color:#fff;cursor:pointer}",
    ".log{flex:1;overflow-y:auto;padding:10px;display:flex;flex-direction:column;gap:6px;background:#f6f7f9}",
    ".msg{max-width:80%;padding:7px 10px;border-radius:10px;white-space:pre-wrap;word-break:break-word}",
    ".customer{align-self:flex-end;background:#d9ecff}.agent{align-self:flex-start;background:#fff;border:1px solid #dde}",
    ".system{align-self:center;color:#555;font-size:13px;text-align:center}",
    ".status{padding:6px 10px;font-size:13px;color:#555;min-height:18px}",
    "form.reply{display:flex;gap:6px;padding:8px;border-top:1px solid #dde}form.reply textarea{height:44px;resize:none}",
    ".error{color:#b00020;font-size:13px}fieldset{border:0;padding:0;margin:0 0 6px}.rate{padding:10px}"
  ].join("\n"));
  root.appendChild(style);
  var wrap = el("div", { "class": inline ? "inline" : "" });
  root.appendChild(wrap);
  var launcher = el("button", { "class": "launcher", type: "button" }, T.title);
  var panel = el("div", { "class": "panel", role: "dialog", "aria-label": T.title });
  panel.hidden = !inline;
  if (!inline) { wrap.appendChild(launcher); }
  wrap.appendChild(panel);
  launcher.addEventListener("click", function () { panel.hidden = !panel.hidden; });

  var head = el("header"); head.appendChild(el("strong", {}, T.title));
  if (!inline) {
    var x = el("button", { type: "button", "aria-label": T.close }, "×");
    x.addEventListener("click", function () { panel.hidden = true; });
    head.appendChild(x);
  }
  panel.appendChild(head);

  function field(form, name, label, tag, value) {
    var lab = el("label", {}, label);
    var input = el(tag || "input", { name: name });
    if (value) { input.value = value; }
    lab.appendChild(input); form.appendChild(lab); return input;
  }
  var start = el("form", { "class": "start" });
  field(start, "name", T.name, "input", script.dataset.name);
  field(start, "phone", T.phone, "input", script.dataset.phone).setAttribute("inputmode", "tel");
  field(start, "order", T.serial);
  field(start, "text", T.question, "textarea").setAttribute("maxlength", "2000");
  var startError = el("p", { "class": "error", role: "alert" });
  start.appendChild(startError);
  start.appendChild(el("button", { "class": "primary", type: "submit" }, T.start));
  panel.appendChild(start);

  var log = el("div", { "class": "log", "aria-live": "polite" });
  var status = el("div", { "class": "status" });
  var reply = el("form", { "class": "reply" });
  var box = el("textarea", { name: "text", maxlength: "2000", "aria-label": T.question });
  reply.appendChild(box); reply.appendChild(el("button", { "class": "primary", type: "submit" }, T.send));
  var replyError = el("p", { "class": "error", role: "alert" });

  function firstError(body) {
    if (body && body.errors) { var k = Object.keys(body.errors)[0]; return body.errors[k][0]; }
    return (body && body.detail) || T.failed;
  }
  function api(method, path, body) {
    return fetch(origin + "/api/v1" + path, {
      method: method, headers: { "Content-Type": "application/json" }, body: body ? JSON.stringify(body) : undefined
    }).then(function (r) { return r.json().catch(function () { return {}; }).then(function (b) { b._status = r.status; return b; }); });
  }

  function show(m) {
    if (state.seen[m.id]) { return; }
    state.seen[m.id] = true;
    state.last = Math.max(state.last, m.id);
    var who = m.from === "customer" ? T.you : m.from === "agent" ? T.agent + " " + (m.agent || "") : "";
    var node = el("div", { "class": "msg " + m.from, "data-id": String(m.id) });
    if (who) { node.appendChild(el("small", {}, who + " · " + (m.at || "").slice(11, 16))); node.appendChild(el("br")); }
    node.appendChild(document.createTextNode(m.text));
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
  }
  function describe(c) {
    state.status = c.status;
    if (c.status === "closed") { status.textContent = T.closed; reply.hidden = true; if (!c.rated) { showRating(); } return; }
    if (c.queue_position) {
      status.textContent = T.queue.replace("{n}", c.queue_position).replace("{m}", c.estimated_wait_minutes);
    } else { status.textContent = ""; }
  }
  function refresh() {
    return api("GET", "/conversations/" + state.id + "?key=" + encodeURIComponent(state.key) + "&after=" + state.last)
      .then(function (c) { if (c._status === 200) { (c.messages || []).forEach(show); describe(c); } });
  }
  function connect() {
    var ws = new WebSocket(wsOrigin + "/ws/conversations/" + state.id + "/?key=" + encodeURIComponent(state.key) + "&after=" + state.last);
    state.ws = ws;
    ws.onopen = function () { state.retry = 0; if (state.status !== "closed") { status.textContent = status.textContent === T.offline ? "" : status.textContent; } refresh(); };
    ws.onmessage = function (e) {
      var d = JSON.parse(e.data);
      if (d.type === "message") { show(d); if (d.from === "agent") { typingOff(); } }
      else if (d.type === "state") { refresh(); }
      else if (d.type === "typing") { status.textContent = T.typing; clearTimeout(state.typingTimer); state.typingTimer = setTimeout(typingOff, 4000); }
      else if (d.type === "error") { replyError.textContent = d.detail; }
    };
    ws.onclose = function (e) {
      if (e.code === 4404) { forget(); return; }
      if (state.status === "closed") { return; }
      status.textContent = T.offline;
      state.retry = Math.min(state.retry + 1, 6);
      setTimeout(connect, 500 * Math.pow(2, state.retry - 1));
    };
  }
  function typingOff() { if (status.textContent === T.typing) { status.textContent = ""; refresh(); } }
  function forget() { try { localStorage.removeItem(STORE); } catch (e) { /* private mode */ } }
  function begin(id, key) {
    state.id = id; state.key = key;
    try { localStorage.setItem(STORE, JSON.stringify({ id: id, key: key })); } catch (e) { /* private mode */ }
    start.remove();
    panel.appendChild(log); panel.appendChild(status); panel.appendChild(replyError); panel.appendChild(reply);
    connect();
    setInterval(function () { if (state.status === "waiting") { refresh(); } }, 15000);
  }
  function showRating() {
    if (panel.querySelector(".rate")) { return; }
    var form = el("form", { "class": "rate" });
    form.appendChild(el("p", {}, T.rate));
    [["efficiency", T.q1], ["attitude", T.q2], ["solution", T.q3]].forEach(function (q) {
      var set = el("fieldset"); set.appendChild(el("legend", {}, q[1]));
      for (var i = 1; i <= 5; i++) {
        var lab = el("label"); var r = el("input", { type: "radio", name: q[0], value: String(i) });
        r.style.width = "auto"; lab.appendChild(r); lab.appendChild(document.createTextNode(" " + i + " ")); set.appendChild(lab);
      }
      form.appendChild(set);
    });
    var err = el("p", { "class": "error" }); form.appendChild(err);
    form.appendChild(el("button", { "class": "primary", type: "submit" }, T.send));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var v = function (n) { var c = form.querySelector("input[name=" + n + "]:checked"); return c ? Number(c.value) : 0; };
      api("POST", "/conversations/" + state.id + "/rating?key=" + encodeURIComponent(state.key),
        { efficiency: v("efficiency"), attitude: v("attitude"), solution: v("solution") })
        .then(function (b) { if (b._status === 200) { form.replaceWith(el("p", { "class": "rate" }, T.thanks)); } else { err.textContent = firstError(b); } });
    });
    panel.appendChild(form);
  }

  start.addEventListener("submit", function (e) {
    e.preventDefault();
    var f = start.elements;
    var body = { channel: "chat", customer: { name: f.name.value, phone: f.phone.value }, text: f.text.value };
    if (f.order.value.trim()) { body.order = f.order.value.trim(); }
    startError.textContent = "";
    api("POST", "/conversations", body).then(function (b) {
      if (b._status === 201) { begin(b.id, b.access_key); } else { startError.textContent = firstError(b); }
    }, function () { startError.textContent = T.failed; });
  });
  reply.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = box.value.trim();
    if (!text) { return; }
    replyError.textContent = "";
    if (state.ws && state.ws.readyState === 1) {
      state.ws.send(JSON.stringify({ type: "message", text: text })); box.value = "";
    } else {
      api("POST", "/conversations/" + state.id + "/messages?key=" + encodeURIComponent(state.key), { text: text })
        .then(function (b) { if (b._status === 201) { box.value = ""; show(b); } else { replyError.textContent = firstError(b); } });
    }
  });
  var lastTyping = 0;
  box.addEventListener("input", function () {
    var now = Date.now();
    if (state.ws && state.ws.readyState === 1 && now - lastTyping > 2000) { lastTyping = now; state.ws.send('{"type":"typing"}'); }
  });
  box.addEventListener("keydown", function (e) { if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); reply.requestSubmit(); } });

  if (inline) { script.parentNode.insertBefore(host, script); } else { document.body.appendChild(host); }
  var saved = null;
  if (script.dataset.conversation) { saved = { id: Number(script.dataset.conversation), key: script.dataset.key }; }
  else { try { saved = JSON.parse(localStorage.getItem(STORE) || "null"); } catch (e) { saved = null; } }
  if (saved && saved.id && saved.key) { begin(saved.id, saved.key); }
})();
