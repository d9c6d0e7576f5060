// The service worker (issue 16), served at /sw.js by config.views.service_worker with a root scope.
//
// - static files: from the cache first (their URLs are versioned), kept in "static-<version>";
// - pages: from the network; the last feed and story pages read are kept in "pages-<version>" so they can be
//   reread offline, with the page's own "Offline: saved copy from HH:MM" notice shown;
// - any other page that cannot be reached: the offline page in the person's language, kept at install.
// - the story form too, so that a story can be written with no signal: it is kept as a draft on the device
//   (DraftStore, from static/js/draft-store.js, served before this file) and sent by Background Sync
//   ("send-drafts") where the browser has it, else by the next page that opens (static/js/drafts.js).
// A new version (?v= in this script's URL) installs new caches and removes the old ones.
"use strict";

const params = new URL(self.location.href).searchParams;
const VERSION = params.get("v") || "0";
const LANGUAGE = params.get("lang") || "en";
const STATIC_CACHE = "static-" + VERSION;
const PAGES_CACHE = "pages-" + VERSION;
const OFFLINE_URL = "/offline/" + LANGUAGE + "/";
const KEPT_PAGES = 30;
const READABLE = /^\/stories\/(\d+\/|new\/)?$/; // the feed, story pages and the story form

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC_CACHE);
      const response = await fetch(OFFLINE_URL, { credentials: "same-origin" });
      const html = await response.clone().text();
      await cache.put(OFFLINE_URL, response);
      // The app shell: the static files the offline page uses (the site's CSS, scripts and icons).
      const shell = [...new Set(html.match(/\/static\/[^"'\s)]+/g) || [])];
      await cache.addAll(shell);
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((name) => name !== STATIC_CACHE && name !== PAGES_CACHE).map((name) => caches.delete(name))
      );
      await self.clients.claim();
    })()
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(fromCacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  }
});

async function fromCacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

async function page(request, url) {
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && READABLE.test(url.pathname)) {
      keep(request, response.clone());
    }
    return response;
  } catch (error) {
    const saved = await (await caches.open(PAGES_CACHE)).match(request);
    if (saved) return savedCopy(saved);
    const offline = await caches.match(OFFLINE_URL);
    return offline || Response.error();
  }
}

async function keep(request, response) {
  const headers = new Headers(response.headers);
  headers.set("X-Saved-At", new Date().toISOString());
  const body = await response.blob();
  const cache = await caches.open(PAGES_CACHE);
  await cache.put(request, new Response(body, { status: 200, headers }));
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - KEPT_PAGES)).map((key) => cache.delete(key)));
}

async function savedCopy(saved) {
  const savedAt = new Date(saved.headers.get("X-Saved-At") || Date.now());
  let html = await saved.text();
  const lang = (html.match(/<html lang="([^"]+)"/) || [])[1] || LANGUAGE;
  const time = savedAt.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
  html = html
    .replace('id="offline-notice" role="status" hidden', 'id="offline-notice" role="status"')
    .replace('<time class="saved-at"></time>', `<time class="saved-at" datetime="${savedAt.toISOString()}">${time}</time>`);
  const headers = new Headers(saved.headers);
  headers.delete("Content-Length");
  return new Response(html, { status: 200, headers });
}

self.addEventListener("sync", (event) => {
  if (event.tag === "send-drafts") event.waitUntil(sendDrafts());
});

// Send the drafts kept on the device; the open pages (or the next one opened) show each one published. A draft
// still waiting (no network yet) fails the sync, so that the browser tries again later.
async function sendDrafts() {
  await DraftStore.sendAll();
  const drafts = await DraftStore.all();
  await tellPages({ type: "drafts-changed" });
  if (drafts.some((draft) => draft.state === "waiting")) throw new Error("drafts still waiting");
}

async function tellPages(message) {
  const pages = await self.clients.matchAll({ type: "window" });
  pages.forEach((page) => page.postMessage(message));
}

// Web Push (accounts/push.py): show the notification; a tap opens what it is about.
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = { body: event.data.text() };
  }
  event.waitUntil(
    self.registration.showNotification(message.title || "", {
      body: message.body || "",
      icon: "/static/img/icon-192.png",
      lang: LANGUAGE,
      data: { url: message.url || "/" },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil(
    (async () => {
      const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = pages.find((page) => page.url === url.href);
      if (open) return open.focus();
      return self.clients.openWindow(url.href);
    })()
  );
});
