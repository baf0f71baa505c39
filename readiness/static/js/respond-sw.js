/* Respondent pages offline: served as /r/sw.js so its scope covers every respondent link.
 *
 * Network first: every respondent page and static file fetched while online is kept, so a
 * respondent who opened their link once can reopen its pages without a connection. Posts are
 * never touched here: respond-offline.js keeps unsent answers on the phone and sends them later.
 */
"use strict";

const CACHE = "readiness-respond-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function keep(request, response) {
  // Only plain successful pages; a redirected response cannot answer a navigation.
  if (!response || response.status !== 200 || response.redirected || response.type !== "basic") {
    return response;
  }
  const copy = response.clone();
  caches.open(CACHE).then((cache) => cache.put(request, copy));
  return response;
}

async function offline(request) {
  const cache = await caches.open(CACHE);
  const found = await cache.match(request, { ignoreVary: true });
  if (found) {
    return found;
  }
  // "/r/<token>" redirects to the page to resume: offline, go to any page of that link we have.
  const path = new URL(request.url).pathname.replace(/\/$/, "");
  if (request.mode === "navigate" && /^\/r\/[A-Za-z0-9_-]{32,}$/.test(path)) {
    const pages = (await cache.keys()).filter((r) => new URL(r.url).pathname.startsWith(path + "/"));
    if (pages.length) {
      return Response.redirect(pages[pages.length - 1].url, 302);
    }
  }
  return Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method === "POST" && request.mode === "navigate" && url.pathname.startsWith("/r/")) {
    // A page posted without a connection: show the same page (kept offline) instead of the
    // browser's error; respond-offline.js still holds the answers and sends them later.
    const back = new URL(url.pathname + "#offline", self.location.origin).href;
    event.respondWith(fetch(request).catch(() => Response.redirect(back, 303)));
    return;
  }
  if (request.method !== "GET") {
    return;
  }
  if (!url.pathname.startsWith("/r/") && !url.pathname.startsWith("/static/")) {
    return;
  }
  event.respondWith(fetch(request).then((response) => keep(request, response), () => offline(request)));
});
