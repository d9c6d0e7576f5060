// Offline story drafts (issue 16): kept in IndexedDB on the device, sent to /stories/new/ when the connection
// returns, each with its own key (draft_key) so that the server makes one story however often it is sent.
// No DOM here: the page (drafts.js) and the service worker (sw.js, served after this file) both use it.
"use strict";

var DraftStore = (function () {
  var DB_NAME = "story-drafts";
  var STORE = "drafts";
  var NEW_STORY_URL = "/stories/new/";
  var MAX_PHOTO_BYTES = 15 * 1024 * 1024; // stories/photos.py MAX_UPLOAD_BYTES
  var MAX_PHOTOS = 6; // StoryPhoto.MAX_PER_STORY

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function all() {
    return run("readonly", function (store) { return store.getAll(); }).then(function (drafts) {
      return (drafts || []).sort(function (a, b) { return a.created < b.created ? -1 : 1; });
    });
  }

  function put(draft) { return run("readwrite", function (store) { store.put(draft); }); }
  function remove(key) { return run("readwrite", function (store) { store.delete(key); }); }
  function clear() { return run("readwrite", function (store) { store.clear(); }); }

  // The photo's first bytes, as the server's decoder would read them (JPEG, PNG, GIF, WebP, HEIC/HEIF).
  function looksLikeImage(bytes) {
    function text(start, end) { return String.fromCharCode.apply(null, bytes.slice(start, end)); }
    if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return true;
    if (text(0, 8) === "\x89PNG\r\n\x1a\n") return true;
    if (text(0, 4) === "GIF8") return true;
    if (text(0, 4) === "RIFF" && text(8, 12) === "WEBP") return true;
    return text(4, 8) === "ftyp" && /^(hei[cxsm]|hev[cx]|mif1|msf1|avif)$/.test(text(8, 12));
  }

  // The refusals the server would give (messages: the server's own, with %(name)s etc. left to fill).
  function checkPhotos(files, messages) {
    var errors = [];
    if (files.length > MAX_PHOTOS) {
      errors.push(messages.tooMany);
      return Promise.resolve(errors);
    }
    return Promise.all(files.map(function (file) {
      if (file.size === 0) return messages.empty.replace("%(name)s", file.name);
      if (file.size > MAX_PHOTO_BYTES) return messages.tooBig.replace("%(name)s", file.name);
      return file.slice(0, 16).arrayBuffer().then(function (buffer) {
        return looksLikeImage(new Uint8Array(buffer)) ? null : messages.notImage.replace("%(name)s", file.name);
      });
    })).then(function (found) { return errors.concat(found.filter(Boolean)); });
  }

  // A fresh CSRF token from the network (a kept page's may be stale); null when the session has expired.
  function csrfToken() {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, 30000);
    var request = { credentials: "same-origin", cache: "no-store", signal: controller.signal };
    return fetch(NEW_STORY_URL, request).finally(function () { clearTimeout(timer); }).then(function (response) {
      if (response.redirected && new URL(response.url).pathname !== NEW_STORY_URL) return null;
      if (!response.ok) throw new Error("status " + response.status);
      return response.text().then(function (html) {
        var found = html.match(/name="csrfmiddlewaretoken" value="([^"]+)"/);
        return found ? found[1] : null;
      });
    });
  }

  // Send one draft. Resolves to {state: "published", url, title} | {state: "signin"} | {state: "refused",
  // errors} | {state: "waiting"} (no network, or a server error: try again later).
  function send(draft, token, now) {
    var body = new FormData();
    Object.keys(draft.fields).forEach(function (name) { body.append(name, draft.fields[name]); });
    draft.photos.forEach(function (photo) { body.append("photos", photo, photo.name); });
    body.append("draft_key", draft.key);
    body.append("csrfmiddlewaretoken", token);
    // A person waiting is not kept waiting for ever: after 30 s the draft waits for a better connection (if the
    // server had it after all, sending it again answers with the same story).
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, now ? 30000 : 120000);
    return fetch(NEW_STORY_URL, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Story-Draft": now ? "now" : "later" },
      signal: controller.signal,
    }).finally(function () { clearTimeout(timer); }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) return { state: response.redirected || response.status === 403 ? "signin" : "waiting" };
      return response.json().then(function (answer) {
        if (response.ok) return { state: "published", url: answer.url, title: answer.title };
        if (response.status === 400) return { state: "refused", errors: answer.errors || [] };
        return { state: "waiting" };
      });
    }, function () { return { state: "waiting" }; });
  }

  // Send every draft waiting (or waiting for the person to sign in), one after the other.
  var sending = null;
  function sendAll() {
    if (sending) return sending;
    sending = all().then(function (drafts) {
      drafts = drafts.filter(function (draft) { return draft.state === "waiting" || draft.state === "signin"; });
      if (!drafts.length) return [];
      return csrfToken().then(function (token) {
        if (token === null) {
          return Promise.all(drafts.map(function (draft) { draft.state = "signin"; return put(draft); }));
        }
        return drafts.reduce(function (previous, draft) {
          return previous.then(function () {
            return send(draft, token, false).then(function (result) { return settle(draft, result); });
          });
        }, Promise.resolve());
      }, function () { return []; });
    }).finally(function () { sending = null; });
    return sending;
  }

  // Keep what the server said about a draft. A published one keeps only its address and title, until a page
  // has told the person (the service worker may publish it while no page is open).
  function settle(draft, result) {
    if (result.state === "published") {
      var done = { key: draft.key, fields: { title: result.title }, photos: [], created: draft.created,
        state: "published", url: result.url, title: result.title };
      return put(done).then(function () { return result; });
    }
    draft.state = result.state;
    draft.errors = result.errors || [];
    return put(draft).then(function () { return result; });
  }

  return {
    all: all, put: put, remove: remove, clear: clear, checkPhotos: checkPhotos, csrfToken: csrfToken,
    send: send, sendAll: sendAll, settle: settle, MAX_PHOTOS: MAX_PHOTOS,
  };
})();
