/* The agent's side of the chat: the conversation over its WebSocket (reply, typing, what was missed on
   reconnect), standard phrases into the reply box, and the inbox's presence heartbeat (away when idle). */
(function () {
  "use strict";
  var script = document.currentScript;
  var wsBase = location.origin.replace(/^http/, "ws");

  function inbox() {
    var awayAfter = Number(script.dataset.awayAfter || 5) * 60000;
    var lastInput = Date.now();
    ["mousemove", "keydown", "click", "touchstart"].forEach(function (e) {
      document.addEventListener(e, function () { lastInput = Date.now(); }, { passive: true });
    });
    var retry = 0;
    function connect() {
      var ws = new WebSocket(wsBase + "/ws/chat/inbox/");
      ws.onopen = function () { retry = 0; };
      ws.onmessage = function (e) {
        var d = JSON.parse(e.data);
        if (d.type === "inbox") { document.body.dispatchEvent(new Event("inbox-changed")); }
      };
      ws.onclose = function () { retry = Math.min(retry + 1, 6); setTimeout(connect, 500 * Math.pow(2, retry - 1)); };
      setInterval(function () {
        if (ws.readyState === 1 && Date.now() - lastInput < awayAfter) { ws.send('{"type":"heartbeat"}'); }
      }, 30000);
    }
    connect();
  }

  function conversation(id) {
    var log = document.getElementById("chat-log");
    var form = document.getElementById("reply-form");
    var box = document.getElementById("reply");
    var typing = document.getElementById("typing");
    var last = 0, ws = null, retry = 0, seen = {}, lastTyping = 0, timer = null;
    Array.prototype.forEach.call(log.querySelectorAll("[data-id]"), function (n) {
      seen[n.dataset.id] = true; last = Math.max(last, Number(n.dataset.id));
    });
    log.scrollTop = log.scrollHeight;
    function show(m) {
      if (seen[m.id]) { return; }
      seen[m.id] = true; last = Math.max(last, m.id);
      var node = document.createElement("div");
      node.className = "msg " + m.from; node.dataset.id = m.id;
      var small = document.createElement("small");
      small.textContent = (m.from === "agent" ? (m.agent || "") : m.from === "customer" ? "" : "") + " " + (m.at || "").slice(11, 16);
      var text = document.createElement("span"); text.className = "text"; text.textContent = m.text;
      node.appendChild(small); node.appendChild(document.createTextNode(" ")); node.appendChild(text);
      log.appendChild(node); log.scrollTop = log.scrollHeight;
    }
    function connect() {
      ws = new WebSocket(wsBase + "/ws/conversations/" + id + "/?after=" + last);
      ws.onopen = function () { retry = 0; };
      ws.onmessage = function (e) {
        var d = JSON.parse(e.data);
        if (d.type === "message") { show(d); if (d.from === "customer") { typing.textContent = ""; } }
        else if (d.type === "typing") {
          typing.textContent = script.dataset.typing; clearTimeout(timer);
          timer = setTimeout(function () { typing.textContent = ""; }, 4000);
        } else if (d.type === "state") { var s = document.getElementById("conv-status"); if (s) { s.textContent = d.status; } }
        else if (d.type === "error") { alert(d.detail); }
      };
      ws.onclose = function () { retry = Math.min(retry + 1, 6); setTimeout(connect, 500 * Math.pow(2, retry - 1)); };
    }
    connect();
    if (form) {
      form.addEventListener("submit", function (e) {
        if (!ws || ws.readyState !== 1 || !box.value.trim()) { return; }
        e.preventDefault();
        ws.send(JSON.stringify({ type: "message", text: box.value }));
        box.value = "";
      });
      box.addEventListener("input", function () {
        var now = Date.now();
        if (ws && ws.readyState === 1 && now - lastTyping > 2000) { lastTyping = now; ws.send('{"type":"typing"}'); }
      });
      box.addEventListener("keydown", function (e) { if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); } });
    }
    Array.prototype.forEach.call(document.querySelectorAll(".phrase"), function (b) {
      b.addEventListener("click", function () { box.value = (box.value ? box.value + " " : "") + b.dataset.text; box.focus(); box.dispatchEvent(new Event("input")); });
    });
  }

  if (script.dataset.inbox) { inbox(); }
  if (script.dataset.conversation) { conversation(Number(script.dataset.conversation)); }
})();
