/* Driver's phone view: one-tap updates, queued in localStorage, synced when the network returns.
 *
 * Every tap becomes an event with a UUID made on the phone. Events wait in localStorage until
 * the server answers "accepted" or "duplicate" for that UUID, so a lost answer only causes a
 * harmless replay. No library, no CDN: this file is all there is.
 */
(function () {
  "use strict";
  var root = document.getElementById("phone");
  if (!root) { return; }
  var eventsUrl = root.dataset.eventsUrl;
  var stateUrl = root.dataset.stateUrl;
  var queueKey = root.dataset.queueKey;
  var rejectedKey = queueKey + "-refus";
  var statusBox = document.getElementById("sync-status");
  var syncing = false;

  function uuid4() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function load(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function save(key, list) { window.localStorage.setItem(key, JSON.stringify(list)); }

  function showStatus() {
    var pending = load(queueKey).length;
    var refused = load(rejectedKey).length;
    var text;
    if (pending === 0) { text = "✔ Tout est envoyé."; }
    else { text = pending + " mise(s) à jour en attente d'envoi" + (navigator.onLine ? " (envoi…)" : " (hors réseau, envoi au retour du réseau)"); }
    if (refused) { text += " " + refused + " mise(s) à jour refusée(s) : prévenez l'équipe."; }
    statusBox.textContent = text;
    statusBox.className = "sync" + (pending ? " pending" : " ok");
  }

  function markStop(li, status, reason) {
    li.dataset.status = status;
    li.className = "stop status-" + status;
    var label = li.querySelector("[data-role=state]");
    label.textContent = status === "delivered" ? "✔ Fait" : (status === "failed" ? "✖ Échec" + (reason ? " (" + reason + ")" : "") : "");
    var list = document.getElementById("stops");
    var todo = list.querySelectorAll("li.status-planned");
    document.getElementById("todo-count").textContent = String(todo.length);
    if (status !== "planned") { list.appendChild(li); }
  }

  function sortTodoFirst() {
    var list = document.getElementById("stops");
    var items = Array.prototype.slice.call(list.children);
    items.sort(function (a, b) {
      var da = a.dataset.status === "planned" ? 0 : 1, db = b.dataset.status === "planned" ? 0 : 1;
      return da - db || Number(a.dataset.sequence) - Number(b.dataset.sequence);
    });
    items.forEach(function (li) { list.appendChild(li); });
  }

  function applyQueued() {
    load(queueKey).forEach(function (ev) {
      var li = document.querySelector('li[data-task-id="' + ev.task_id + '"]');
      if (li) { markStop(li, ev.kind, ev.reason_label || ev.reason); }
    });
    sortTodoFirst();
  }

  function postOne(ev) {
    return fetch(eventsUrl, {
      method: "POST", headers: { "Content-Type": "application/json" }, credentials: "omit",
      body: JSON.stringify({ events: [ev] })
    }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    });
  }

  function sync() {
    if (syncing) { return Promise.resolve(); }
    var queue = load(queueKey);
    if (!queue.length) { showStatus(); return refreshFromServer(); }
    syncing = true;
    showStatus();
    var ev = queue[0];
    return postOne(ev).then(function (body) {
      var done = (body.accepted || []).concat(body.duplicates || []);
      var refused = body.rejected || [];
      var rest = load(queueKey).filter(function (q) { return done.indexOf(q.uuid) < 0 && !refused.some(function (x) { return x.uuid === q.uuid; }); });
      if (refused.length) { save(rejectedKey, load(rejectedKey).concat(refused)); }
      save(queueKey, rest);
      syncing = false;
      showStatus();
      if (rest.length) { return sync(); }
      return refreshFromServer();
    }).catch(function () {
      syncing = false;
      showStatus();
    });
  }

  function refreshFromServer() {
    if (load(queueKey).length) { return Promise.resolve(); }
    return fetch(stateUrl, { credentials: "omit" }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body || load(queueKey).length) { return; }
        Object.keys(body.statuses).forEach(function (taskId) {
          var li = document.querySelector('li[data-task-id="' + taskId + '"]');
          if (li && li.dataset.status !== body.statuses[taskId]) { markStop(li, body.statuses[taskId], ""); }
        });
        sortTodoFirst();
      }).catch(function () { /* offline: keep what the phone shows */ });
  }

  function enqueue(li, kind, reason, reasonLabel) {
    var ev = {
      uuid: uuid4(), task_id: Number(li.dataset.taskId), kind: kind, reason: reason || "",
      reason_label: reasonLabel || "", occurred_at: new Date().toISOString(), proof: li._proof || ""
    };
    var queue = load(queueKey);
    queue.push(ev);
    try { save(queueKey, queue); } catch (e) { ev.proof = ""; queue[queue.length - 1] = ev; save(queueKey, queue); }
    markStop(li, kind, reasonLabel || reason);
    sync();
  }

  function readPhoto(input, li) {
    var file = input.files && input.files[0];
    if (!file) { return; }
    var img = new Image();
    var url = URL.createObjectURL(file);
    img.onload = function () {
      var scale = Math.min(1, 1024 / Math.max(img.width, img.height));
      var c = document.createElement("canvas");
      c.width = Math.round(img.width * scale); c.height = Math.round(img.height * scale);
      c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
      li._proof = c.toDataURL("image/jpeg", 0.7);
      URL.revokeObjectURL(url);
    };
    img.src = url;
  }

  function setupSignature(canvas, li) {
    var ctx = canvas.getContext("2d");
    var drawing = false;
    ctx.lineWidth = 4; ctx.lineCap = "round"; ctx.strokeStyle = "#000";
    function pos(e) {
      var r = canvas.getBoundingClientRect();
      return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
    }
    canvas.addEventListener("pointerdown", function (e) { drawing = true; var p = pos(e); ctx.beginPath(); ctx.moveTo(p[0], p[1]); e.preventDefault(); });
    canvas.addEventListener("pointermove", function (e) { if (!drawing) { return; } var p = pos(e); ctx.lineTo(p[0], p[1]); ctx.stroke(); e.preventDefault(); });
    function end() { if (drawing) { drawing = false; li._proof = canvas.toDataURL("image/png"); } }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointerleave", end);
  }

  document.querySelectorAll("li.stop").forEach(function (li) {
    var canvas = li.querySelector("[data-role=signature]");
    if (canvas) { setupSignature(canvas, li); }
    var photo = li.querySelector("[data-role=photo]");
    if (photo) { photo.addEventListener("change", function () { readPhoto(photo, li); }); }
    li.addEventListener("click", function (e) {
      var btn = e.target.closest("button");
      if (!btn) { return; }
      var action = btn.dataset.action;
      if (action === "delivered") { enqueue(li, "delivered"); }
      else if (action === "show-fail") { li.querySelector(".fail-reasons").hidden = false; }
      else if (action === "failed") { li.querySelector(".fail-reasons").hidden = true; enqueue(li, "failed", btn.dataset.reason, btn.textContent); }
      else if (action === "clear-signature") { canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height); li._proof = ""; }
    });
  });

  if ("serviceWorker" in navigator && root.dataset.swUrl) {  // https or localhost only
    var scope = root.dataset.swUrl.replace(/[^/]*$/, "");
    navigator.serviceWorker.register(root.dataset.swUrl, { scope: scope }).catch(function () { /* optional */ });
  }
  window.addEventListener("online", sync);
  window.addEventListener("offline", showStatus);
  window.setInterval(sync, 20000);
  applyQueued();
  showStatus();
  sync();
  if (window.location.hash) {
    var target = document.querySelector(window.location.hash);
    if (target) { target.scrollIntoView(); target.classList.add("highlight"); }
  }
  window.mormalPhone = { sync: sync, queueKey: queueKey, stateUrl: stateUrl };
})();
