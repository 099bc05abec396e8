/* Staff planning page: follow the solver's progress, draw the rounds with Leaflet (tiles optional). */
(function () {
  "use strict";

  var POLL_MS = 700;

  function $(id) { return document.getElementById(id); }

  /* -- progress bar ------------------------------------------------------------------------- */

  function showProgress(data, solveSeenAt, solveLimitS) {
    var percent = data.percent;
    if (data.step === "solve" && solveSeenAt) {
      // The solver reports nothing while it searches: move along its time limit.
      var share = Math.min(1, (Date.now() - solveSeenAt) / (1000 * Math.max(1, solveLimitS)));
      percent = Math.round(30 + 60 * share);
    }
    $("progress-box").hidden = false;
    $("plan-progress").value = percent;
    $("plan-progress").textContent = percent + " %";
    $("plan-percent").textContent = percent + " %";
    if ($("plan-progress-label").textContent !== data.label) { $("plan-progress-label").textContent = data.label; }
    var error = $("plan-progress-error");
    error.hidden = !data.error;
    error.textContent = data.error || "";
  }

  /* While a plan runs, its buttons stay disabled (the server refuses a second run anyway). */
  function setPlanButtons(section, running) {
    section.querySelectorAll("form button[type=submit]").forEach(function (b) { b.disabled = running; });
    var note = $("plan-running-note");
    if (note) { note.hidden = !running; }
  }

  function followProgress(section) {
    var url = section.dataset.progressUrl;
    var limit = parseFloat(section.dataset.solveLimit || "10");
    var solveSeenAt = null;
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
        .then(function (data) {
          if (data.step === "solve" && !solveSeenAt) { solveSeenAt = Date.now(); }
          showProgress(data, solveSeenAt, data.solve_limit_s || limit);
          if (data.done) {
            section.dataset.running = "0";
            setPlanButtons(section, false);
            if (!data.error) { window.setTimeout(function () { window.location.reload(); }, 800); }
            return;
          }
          window.setTimeout(poll, POLL_MS);
        })
        .catch(function () {
          $("plan-progress-label").textContent = "Connexion perdue, nouvel essai…";
          window.setTimeout(poll, 3 * POLL_MS);
        });
    }
    poll();
  }

  /* -- map ------------------------------------------------------------------------------------ */

  function drawMap(el, data) {
    var map = L.map(el, { zoomControl: false, attributionControl: true, preferCanvas: false });
    L.control.zoom({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" }).addTo(map);
    map.attributionControl.setPrefix("Leaflet");
    if (data.tiles && data.tiles.url) {
      L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: 18 }).addTo(map);
    }
    L.control.scale({ metric: true, imperial: false }).addTo(map);
    var bounds = L.latLngBounds([]);

    data.townHalls.forEach(function (t) {
      L.circleMarker(t.at, { radius: 3, color: "#8c8c8c", weight: 1, fillOpacity: 0.4, interactive: true })
        .bindTooltip(t.name).addTo(map);
      bounds.extend(t.at);
    });
    data.rounds.forEach(function (r) {
      if (r.path.length > 1) {
        L.polyline(r.path, { color: r.colour, weight: 4, opacity: 0.85, className: "round-path" })
          .bindTooltip(r.van).addTo(map);
      }
      r.stops.forEach(function (s) {
        L.circleMarker(s.at, { radius: 7, color: "#ffffff", weight: 2, fillColor: r.colour, fillOpacity: 1 })
          .bindTooltip(s.seq + ". " + s.name + " — " + s.kind + ", arrivée " + s.arrival).addTo(map);
        bounds.extend(s.at);
      });
    });
    data.depots.forEach(function (d) {
      L.circleMarker(d.at, { radius: 9, color: "#1a1a1a", weight: 3, fillColor: "#ffffff", fillOpacity: 1 })
        .bindTooltip("Dépôt : " + d.name).addTo(map);
      bounds.extend(d.at);
    });
    data.unassigned.forEach(function (u) {
      L.circleMarker(u.at, { radius: 7, color: "#8a1c00", weight: 3, dashArray: "3 3", fillOpacity: 0 })
        .bindTooltip("Non planifié : " + u.name + " — " + u.reason).addTo(map);
      bounds.extend(u.at);
    });
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20] }); } else { map.setView([50.23, 3.7], 11); }
    return map;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = $("planning");
    if (section && section.dataset.running === "1") { setPlanButtons(section, true); followProgress(section); }
    if (section) {
      section.querySelectorAll("form").forEach(function (form) {
        form.addEventListener("submit", function () {
          window.setTimeout(function () { setPlanButtons(section, true); }, 0);  // one press, one run
        });
      });
    }
    var el = $("planning-map");
    var json = $("planning-map-data");
    if (el && json && window.L) { window.mormalPlanningMap = drawMap(el, JSON.parse(json.textContent)); }
  });
}());
