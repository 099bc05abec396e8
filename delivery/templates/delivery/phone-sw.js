/* Service worker for the driver's phone view: the stop list opens again without network.
 * Pages under /livraison/tel/ are fetched network-first and kept; when the network fails the
 * last copy is served (the round map too). Static files are served from the cache first. Updates (POST) are never
 * cached: the page queues them in localStorage and sends them itself.
 */
"use strict";
var CACHE = "mormal-tournee-v1";
var STATIC = {{ static_urls|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(STATIC); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") { return; }
  var url = new URL(req.url);
  if (STATIC.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(req).then(function (hit) { return hit || fetch(req); }));
    return;
  }
  var isMap = /\/carte\.png$/.test(url.pathname);  // the round's map is kept like the page
  if ((req.mode === "navigate" || isMap) && url.pathname.indexOf("{{ scope }}") === 0) {
    event.respondWith(fetch(req).then(function (res) {
      if (res.ok) { var copy = res.clone(); caches.open(CACHE).then(function (c) { c.put(req, copy); }); }
      return res;
    }).catch(function () {
      return caches.match(req).then(function (hit) { return hit || new Response("Hors réseau : page pas encore enregistrée sur ce téléphone.", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } }); });
    }));
  }
});
