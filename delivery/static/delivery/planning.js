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

  function overlap(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function boxAt(p, w, h) { return { left: p.x - w / 2, right: p.x + w / 2, top: p.y - h / 2, bottom: p.y + h / 2 }; }

  /* Stop numbers: each bubble on its stop when there is room, else pushed aside (nearest free place
   * of 8 directions, growing distance) with a leader line; none overlaps another. */
  var BUBBLE = 26;
  var RINGS = [0, 1.15, 1.9, 2.7, 3.6];
  var ANGLES = [-45, -135, 45, 135, -90, 90, 0, 180].map(function (a) { return a * Math.PI / 180; });

  function placeStops(map, stops, fixed) {
    var placed = fixed.map(function (at) { return boxAt(map.latLngToContainerPoint(at), 22, 22); });  // depots
    stops.forEach(function (s) {
      var p = map.latLngToContainerPoint(s.at);
      var best = p, bestCost = Infinity;
      for (var i = 0; i < RINGS.length && bestCost >= 1; i++) {
        (RINGS[i] ? ANGLES : [0]).forEach(function (a) {
          var c = L.point(p.x + RINGS[i] * BUBBLE * Math.cos(a), p.y + RINGS[i] * BUBBLE * Math.sin(a));
          var box = boxAt(c, BUBBLE + 6, BUBBLE + 6), cost = RINGS[i] * 0.01;
          placed.forEach(function (o) { if (overlap(box, o)) { cost += 1000; } });
          if (cost < bestCost) { best = c; bestCost = cost; }
        });
      }
      placed.push(boxAt(best, BUBBLE + 6, BUBBLE + 6));
      var at = map.containerPointToLatLng(best);
      s.marker.setLatLng(at);
      s.leader.setLatLngs(best.distanceTo(p) > 1 ? [s.at, at] : []);
    });
    return placed;
  }

  /* Commune names: shown only where they overlap no stop number and no other name. */
  function declutterNames(map, names, stopBoxes) {
    var taken = stopBoxes.slice();
    var frame = map.getContainer().getBoundingClientRect();
    names.forEach(function (n) {
      var el = n.getElement();
      if (!el) { return; }
      el.classList.remove("hidden-label");
      var r = el.firstChild.getBoundingClientRect();
      var box = { left: r.left - frame.left, right: r.right - frame.left, top: r.top - frame.top, bottom: r.bottom - frame.top };
      var out = box.left < 0 || box.top < 0 || box.right > frame.width || box.bottom > frame.height;
      if (out || taken.some(function (o) { return overlap(box, o); })) {
        el.classList.add("hidden-label");
      } else {
        taken.push(box);
      }
    });
  }

  function drawCommunes(map, url, onDone) {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/geo+json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (geojson) {
        var names = [];
        L.geoJSON(geojson, {
          pane: "communes", interactive: false,
          style: { color: "#8f8b84", weight: 1, fillColor: "#efece2", fillOpacity: 0.75, className: "commune" }
        }).addTo(map);
        geojson.features.forEach(function (f) {
          var label = f.properties.label;
          names.push(L.marker([label[1], label[0]], {
            pane: "communeNames", interactive: false, keyboard: false,
            icon: L.divIcon({ className: "commune-name", html: "<span>" + f.properties.nom.replace(/</g, "&lt;") + "</span>", iconSize: null })
          }).addTo(map));
        });
        onDone(names);
      })
      .catch(function () {
        var note = document.getElementById("planning-map-note");
        if (note) { note.textContent = "Contours des communes indisponibles : carte sans fond."; }
      });
  }

  function drawMap(el, data) {
    var map = L.map(el, { zoomControl: false, attributionControl: true, preferCanvas: false });
    L.control.zoom({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" }).addTo(map);
    map.attributionControl.setPrefix("Leaflet");
    map.createPane("communes").style.zIndex = 250;      // above tiles (200), under the rounds (400)
    map.createPane("communeNames").style.zIndex = 350;
    map.getPane("communeNames").style.pointerEvents = "none";
    if (data.tiles && data.tiles.url) {
      L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: 18 }).addTo(map);
    }
    map.attributionControl.addAttribution("Communes © IGN, Licence Ouverte");
    L.control.scale({ metric: true, imperial: false, position: "topright" }).addTo(map);  // clear of the credits
    var bounds = L.latLngBounds([]);

    data.townHalls.forEach(function (t) {
      L.circleMarker(t.at, { radius: 3, color: "#8c8c8c", weight: 1, fillOpacity: 0.4, interactive: true, pane: "communes" })
        .bindTooltip("Mairie de " + t.name).addTo(map);
      bounds.extend(t.at);
    });
    var stops = [];
    data.rounds.forEach(function (r) {
      if (r.path.length > 1) {
        L.polyline(r.path, { color: r.colour, weight: 4, opacity: 0.85, className: "round-path" })
          .bindTooltip(r.van).addTo(map);
      }
      r.stops.forEach(function (s) {
        L.circleMarker(s.at, { radius: 4, color: r.colour, weight: 1, fillColor: r.colour, fillOpacity: 1, interactive: false }).addTo(map);
        var text = "Arrêt " + s.seq + " : " + s.name + " — " + s.kind + ", arrivée " + s.arrival;
        var marker = L.marker(s.at, {
          title: text, alt: text, riseOnHover: true,
          icon: L.divIcon({ className: "stop-number", iconSize: [BUBBLE, BUBBLE],
                            html: '<span style="border-color:' + r.colour + ';color:' + r.colour + '">' + s.seq + "</span>" })
        }).bindTooltip(text).addTo(map);
        var leader = L.polyline([], { color: r.colour, weight: 1.5, opacity: 0.9, interactive: false, className: "stop-leader" }).addTo(map);
        stops.push({ at: L.latLng(s.at), marker: marker, leader: leader });
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

    var names = [];
    var depotsAt = data.depots.map(function (d) { return d.at; });
    function relayout() { declutterNames(map, names, placeStops(map, stops, depotsAt)); }
    map.on("zoomend moveend resize", relayout);
    relayout();
    if (data.communesUrl) {
      drawCommunes(map, data.communesUrl, function (drawn) {
        names = drawn;
        relayout();
        el.dataset.communes = String(drawn.length);  // the layer is on the map (tests wait for it)
      });
    }
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
