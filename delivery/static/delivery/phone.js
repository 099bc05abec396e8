/* Driver's phone view: one-tap updates, queued in localStorage, synced when the network returns.
 *
 * Every tap becomes an event with a UUID made on the phone. Events wait in localStorage until
 * the server answers "accepted" or "duplicate" for that UUID, so a lost answer only causes a
 * harmless replay. The list never moves under the finger: stops keep their order and number,
 * a done stop keeps its height while it can be seen and folds to one line once out of sight,
 * and everything that changes length (sync state, refusals, a newer plan) lives in a fixed
 * footer. "Annuler" takes a tap back within the server's time limit (delivery/undo.py).
 * No library, no CDN: this file is all there is.
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

  var planId = root.dataset.planId || "";
  var undoMs = Number(root.dataset.undoMinutes || "5") * 60000;
  var superseded = false;
  var lastTouch = 0;
  var touching = false;

  function showStatus() {
    var pending = load(queueKey).length;
    var refused = load(rejectedKey);
    var text;
    if (pending === 0) { text = "✔ Tout est envoyé."; }
    else { text = pending + " mise(s) à jour en attente d'envoi" + (navigator.onLine ? " (envoi…)" : " (hors réseau, envoi au retour du réseau)"); }
    statusBox.textContent = text;
    statusBox.className = "sync" + (pending ? " pending" : " ok");
    var box = document.getElementById("refusals");
    if (refused.length) {
      box.querySelector("[data-role=refusal-text]").textContent = refused.length + " mise(s) à jour refusée(s). Dernière : "
        + refused[refused.length - 1].error;
    }
    box.hidden = !refused.length;
  }

  function stopNumber(li) { return li.dataset.sequence; }

  function stateText(li, status, reason) {
    var n = stopNumber(li);
    if (status === "delivered") { return "✔ Arrêt " + n + " fait"; }
    if (status === "failed") { return "✖ Arrêt " + n + " en échec" + (reason ? " (" + reason + ")" : ""); }
    if (status === "cancelled") { return "Arrêt " + n + " annulé par l'équipe"; }
    return "";
  }

  // A stop changes state where it is: same place, same height while it can be seen (the list never
  // moves under the finger). It folds to one line only once it is out of sight (foldOutOfSight).
  function markStop(li, status, reason) {
    if (!li.classList.contains("folded")) { li.style.minHeight = li.offsetHeight + "px"; }
    li.dataset.status = status;
    li.className = li.className.replace(/\bstatus-\w+/g, "").trim() + " status-" + status;
    li.querySelector("[data-role=state]").textContent = stateText(li, status, reason);
    li.querySelector(".fail-reasons").hidden = true;
    if (status === "planned") {
      hideUndo(li);
      if (li.classList.contains("folded")) { unfold(li); li.style.minHeight = ""; }  // the driver asked for it back
    }
    if (!li.classList.contains("folded")) { li.classList.add("held"); }
    var todo = document.querySelectorAll("#stops li.status-planned");
    document.getElementById("todo-count").textContent = String(todo.length);
  }

  function outOfSight(li) {
    var r = li.getBoundingClientRect();
    return r.bottom <= 0 || r.top >= window.innerHeight;
  }

  // Changing the height of a stop above the screen would shift what the driver sees: measure the
  // first stop on screen before and after, and scroll back by the difference (whatever the
  // browser's own scroll anchoring did), so the stops on screen stay exactly where they were.
  function resize(li, change) {
    var anchor = outOfSight(li) ? Array.prototype.find.call(document.querySelectorAll("#stops li.stop"), function (x) {
      return x !== li && x.getBoundingClientRect().bottom > 0;
    }) : li;  // a stop on screen keeps its own top; what is below it makes room
    var before = anchor ? anchor.getBoundingClientRect().top : 0;
    change();
    if (anchor) { window.scrollBy(0, anchor.getBoundingClientRect().top - before); }
  }

  function unfold(li) { resize(li, function () { li.classList.remove("folded"); }); }

  function foldOutOfSight() {
    if (touching || Date.now() - lastTouch < 800) { return; }
    document.querySelectorAll("#stops li.held").forEach(function (li) {
      if (!outOfSight(li)) { return; }
      resize(li, function () {
        li.style.minHeight = "";
        li.classList.remove("held");
        if (li.dataset.status !== "planned") { li.classList.add("folded"); }
      });
    });
  }

  function clock(ms) {
    var d = new Date(ms);
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  function showUndo(li, eventUuid, untilMs) {
    li.dataset.eventUuid = eventUuid;
    li.dataset.undoUntil = String(untilMs);
    li.querySelector("[data-role=undo]").hidden = false;
    refreshUndo(li);
  }

  function hideUndo(li) {
    delete li.dataset.eventUuid;
    delete li.dataset.undoUntil;
    li.querySelector("[data-role=undo]").hidden = true;
  }

  // Past its deadline the button goes (its room stays, so nothing moves) and a sentence says what to do.
  function refreshUndo(li) {
    var bar = li.querySelector("[data-role=undo]");
    if (bar.hidden) { return; }
    var until = Number(li.dataset.undoUntil || 0);
    var open = until > Date.now();
    var button = bar.querySelector("button");
    button.style.visibility = open ? "visible" : "hidden";
    button.setAttribute("aria-label", "Annuler ce geste à l'arrêt " + stopNumber(li));
    bar.querySelector("[data-role=undo-left]").textContent = open
      ? "Erreur ? Annulable jusqu'à " + clock(until) + "."
      : "Pour corriger l'arrêt " + stopNumber(li) + ", appelez l'équipe.";
  }

  function applyQueued() {
    load(queueKey).forEach(function (ev) {
      var li = document.querySelector('li[data-task-id="' + ev.task_id + '"]');
      if (!li) { return; }
      if (ev.kind === "undo") { markStop(li, "planned", ""); return; }
      markStop(li, ev.kind, ev.reason_label || ev.reason);
      showUndo(li, ev.uuid, Date.parse(ev.occurred_at) + undoMs);
    });
  }

  function setSuperseded(at) {
    if (superseded) { return; }
    superseded = true;
    root.classList.add("superseded");
    var notice = document.getElementById("plan-notice");
    notice.querySelector("[data-role=plan-at]").textContent = at || "?";
    notice.hidden = false;
    document.querySelectorAll('#stops button[data-action="delivered"], #stops button[data-action="show-fail"], #stops button[data-action="failed"]')
      .forEach(function (b) { b.disabled = true; });
  }

  function checkPlan(body) {
    if (!body || !("plan" in body)) { return; }
    var current = body.plan === null ? "" : String(body.plan);
    if (current !== planId) { setSuperseded(body.plan_at); }
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
      checkPlan(body);
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
        checkPlan(body);
        Object.keys(body.statuses).forEach(function (taskId) {
          var li = document.querySelector('li[data-task-id="' + taskId + '"]');
          if (li && li.dataset.status !== body.statuses[taskId]) {
            markStop(li, body.statuses[taskId], "");
            if (body.statuses[taskId] !== "planned") { hideUndo(li); }
          }
        });
      }).catch(function () { /* offline: keep what the phone shows */ });
  }

  function enqueue(li, kind, reason, reasonLabel) {
    if (superseded) { return; }
    var ev = {
      uuid: uuid4(), task_id: Number(li.dataset.taskId), stop: Number(li.dataset.sequence), plan: planId,
      kind: kind, reason: reason || "", reason_label: reasonLabel || "", occurred_at: new Date().toISOString(),
      proof: li._proof || ""
    };
    var queue = load(queueKey);
    queue.push(ev);
    try { save(queueKey, queue); } catch (e) { ev.proof = ""; queue[queue.length - 1] = ev; save(queueKey, queue); }
    markStop(li, kind, reasonLabel || reason);
    showUndo(li, ev.uuid, Date.now() + undoMs);
    sync();
  }

  // "Annuler": a tap still waiting in the queue is simply dropped; one already sent is taken back
  // by an undo event, which the server accepts only within its own time limit.
  function undo(li) {
    var target = li.dataset.eventUuid;
    if (!target || Number(li.dataset.undoUntil || 0) <= Date.now()) { return; }
    var queue = load(queueKey);
    var waiting = queue.some(function (q) { return q.uuid === target; });
    var inFlight = syncing && queue.length && queue[0].uuid === target;  // its answer may still come back
    if (waiting && !inFlight) {
      queue = queue.filter(function (q) { return q.uuid !== target; });
    } else {
      queue.push({ uuid: uuid4(), kind: "undo", undoes: target, task_id: Number(li.dataset.taskId),
                   stop: Number(li.dataset.sequence), plan: planId, occurred_at: new Date().toISOString() });
    }
    save(queueKey, queue);
    li._proof = "";
    markStop(li, "planned", "");
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
    if (li.dataset.eventUuid) { refreshUndo(li); }
    li.addEventListener("click", function (e) {
      var btn = e.target.closest("button");
      if (!btn || btn.disabled) { return; }
      var action = btn.dataset.action;
      if (action === "delivered") { enqueue(li, "delivered"); }
      else if (action === "show-fail") { if (!superseded) { li.querySelector(".fail-reasons").hidden = false; } }
      else if (action === "failed") { enqueue(li, "failed", btn.dataset.reason, btn.textContent); }
      else if (action === "undo") { undo(li); }
      else if (action === "clear-signature") { canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height); li._proof = ""; }
    });
  });
  document.getElementById("phone-footer").addEventListener("click", function (e) {
    var btn = e.target.closest("button");
    if (!btn) { return; }
    if (btn.dataset.action === "reload") { window.location.reload(); }
    if (btn.dataset.action === "ack-refusals") { save(rejectedKey, []); showStatus(); }
  });

  // A finger on the screen (or just lifted) holds every fold: nothing changes size while touched.
  document.addEventListener("pointerdown", function () { touching = true; lastTouch = Date.now(); }, { capture: true, passive: true });
  ["pointerup", "pointercancel"].forEach(function (name) {
    document.addEventListener(name, function () { touching = false; lastTouch = Date.now(); }, { capture: true, passive: true });
  });
  window.addEventListener("scroll", function () { window.setTimeout(foldOutOfSight, 900); }, { passive: true });
  window.setInterval(function () {
    foldOutOfSight();
    document.querySelectorAll("#stops li[data-event-uuid]").forEach(refreshUndo);
  }, 1000);

  if ("serviceWorker" in navigator && root.dataset.swUrl) {  // https or localhost only
    var scope = root.dataset.swUrl.replace(/[^/]*$/, "");
    navigator.serviceWorker.register(root.dataset.swUrl, { scope: scope }).catch(function () { /* optional */ });
  }
  window.addEventListener("online", sync);
  window.addEventListener("offline", showStatus);
  window.setInterval(sync, 20000);
  applyQueued();
  document.querySelectorAll("#stops li.held").forEach(function (li) {  // taps still queued: folded at load
    li.style.minHeight = "";
    li.classList.remove("held");
    if (li.dataset.status !== "planned") { li.classList.add("folded"); }
  });
  showStatus();
  sync();
  if (window.location.hash) {
    var target = document.querySelector(window.location.hash);
    if (target) { target.scrollIntoView(); target.classList.add("highlight"); }
  } else {
    var next = document.querySelector("#stops li.status-planned");
    if (next && next.previousElementSibling) { next.scrollIntoView({ block: "start" }); }
  }
  window.mormalPhone = { sync: sync, queueKey: queueKey, stateUrl: stateUrl, fold: foldOutOfSight };
})();
