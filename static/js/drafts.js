// The page's part of offline story drafts (issue 16); the device's store is static/js/draft-store.js.
// - the story form is sent by fetch; with no connection (or no answer) the story is kept on the device and
//   listed as "waiting to send" on the feed and the form, then sent by the service worker's Background Sync
//   or by the next page opened online, once: the server makes one story per draft key;
// - signing out deletes the drafts and the saved pages, after a confirmation when drafts are waiting.
// Without JavaScript (or IndexedDB) the form posts as it always did. Words come from #draft-words (the footer).
(function () {
  "use strict";
  var words = document.getElementById("draft-words").dataset;  // in the footer (templates/includes/footer.html)
  if (!("indexedDB" in window) || typeof DraftStore === "undefined") return;

  var status = document.getElementById("draft-status");
  var announced = {};

  function say(nodes) {
    if (!status) return;
    status.replaceChildren.apply(status, nodes);
  }

  function link(text, href) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  // Tell the person, once, and forget the draft.
  function published(draft) {
    if (announced[draft.key]) return Promise.resolve();
    announced[draft.key] = true;
    say([words.published.replace("%(title)s", draft.title) + " ", link(words.read, draft.url)]);
    return DraftStore.remove(draft.key);
  }

  function signInUrl() {
    return words.loginUrl + "?next=" + encodeURIComponent(location.pathname + location.search);
  }

  // The drafts list (stories/includes/drafts.html), on the feed and the story form.
  function showDrafts() {
    var section = document.getElementById("drafts");
    return DraftStore.all().then(function (drafts) {
      var done = drafts.filter(function (draft) { return draft.state === "published"; });
      drafts = drafts.filter(function (draft) { return draft.state !== "published"; });
      done.forEach(published);
      if (!section) return;
      var list = section.querySelector("ul");
      list.replaceChildren.apply(list, drafts.map(draftItem));
      section.hidden = drafts.length === 0;
    });
  }

  function draftItem(draft) {
    var item = document.createElement("li");
    item.className = "draft-item";
    item.dataset.state = draft.state;
    var title = document.createElement("strong");
    title.textContent = draft.fields.title || words.untitled;
    var state = document.createElement("p");
    state.className = "mb-1";
    if (draft.state === "signin") {
      state.append(words.signin + " ", link(words.signinLink, signInUrl()));
    } else if (draft.state === "refused") {
      state.textContent = words.refused + " " + (draft.errors || []).join(" ");
    } else {
      state.textContent = words.waiting;
    }
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn btn-outline-danger btn-sm";
    remove.textContent = words.delete;
    remove.setAttribute("aria-label", words.delete + " — " + title.textContent);
    remove.addEventListener("click", function () { DraftStore.remove(draft.key).then(showDrafts); });
    item.append(title, state, remove);
    return item;
  }

  function sendWaiting() {
    if (!navigator.onLine) return Promise.resolve();
    return DraftStore.sendAll().then(showDrafts);
  }

  function askForSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("send-drafts");
    }).catch(function () {});
  }

  // The story form.
  var form = document.getElementById("story-form");
  if (form && "offlineDrafts" in form.dataset) {
    var errors = document.getElementById("draft-errors");
    var busy = false; // a second tap while the first is being kept must not make a second draft
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) return;
      busy = true;
      if (!form.elements.draft_key.value) form.elements.draft_key.value = newKey();
      var data = new FormData(form);
      var photos = data.getAll("photos").filter(function (file) { return file && file.name; });
      var messages = {
        empty: form.dataset.photoEmpty, notImage: form.dataset.photoNotImage,
        tooBig: form.dataset.photoTooBig, tooMany: form.dataset.photoTooMany,
      };
      DraftStore.checkPhotos(photos, messages).then(function (refusals) {
        if (!String(data.get("title") || "").trim()) refusals.unshift(form.dataset.titleRequired);
        if (!data.get("kind")) refusals.unshift(form.dataset.kindRequired);
        if (!String(data.get("body") || "").trim()) refusals.push(form.dataset.bodyRequired);
        errors.textContent = refusals.join(" ");
        if (refusals.length) return;
        return keepAndSend(data, photos);
      }).finally(function () { busy = false; });
    });

    function keepAndSend(data, photos) {
      var key = form.elements.draft_key.value;
      var fields = {};
      ["kind", "title", "body", "pillar", "language", "tags", "photo_alt"].forEach(function (name) {
        if (data.has(name)) fields[name] = data.get(name);
      });
      var draft = { key: key, fields: fields, photos: photos, created: Date.now(), state: "waiting", errors: [] };
      return DraftStore.put(draft).then(function () {
        if (!navigator.onLine) return kept();
        return DraftStore.csrfToken().then(function (token) {
          if (token === null) return DraftStore.settle(draft, { state: "signin" }).then(kept);
          return DraftStore.send(draft, token, true).then(function (result) {
            if (result.state === "published") {
              announced[key] = true; // the story page thanks the person
              return DraftStore.remove(key).then(function () { location.assign(result.url); });
            }
            if (result.state === "refused") {
              // The server's form, with its messages beside each field, as without JavaScript.
              return DraftStore.remove(key).then(function () { HTMLFormElement.prototype.submit.call(form); });
            }
            return DraftStore.settle(draft, result).then(kept);
          });
        }, kept);
      });
    }

    function newKey() {
      if (crypto.randomUUID) return crypto.randomUUID();
      var bytes = crypto.getRandomValues(new Uint8Array(16));
      bytes[6] = (bytes[6] & 0x0f) | 0x40;
      bytes[8] = (bytes[8] & 0x3f) | 0x80;
      var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
      return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
    }

    function kept() {
      askForSync();
      form.reset();
      form.elements.draft_key.value = "";
      var names = document.getElementById("photo-names");
      if (names) names.textContent = "";
      say([words.saved]);
      return showDrafts().then(function () { status.scrollIntoView({ block: "center" }); });
    }
  }

  // Signing out deletes what this device keeps of the person: drafts and pages saved for reading offline.
  document.querySelectorAll('button[formaction="' + words.logoutUrl + '"]').forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (button.dataset.cleared) return;
      event.preventDefault();
      DraftStore.all().then(function (drafts) {
        var waiting = drafts.filter(function (draft) { return draft.state !== "published"; });
        if (waiting.length && !window.confirm(words.confirmLogout)) return false;
        var pages = "caches" in window ? caches.keys().then(function (names) {
          return Promise.all(names.filter(function (name) { return name.indexOf("pages-") === 0; })
            .map(function (name) { return caches.delete(name); }));
        }) : Promise.resolve();
        // Nor should this device go on receiving the person's notifications (accounts/push.py).
        var push = "serviceWorker" in navigator ? navigator.serviceWorker.getRegistration().then(function (registration) {
          return registration && registration.pushManager && registration.pushManager.getSubscription();
        }).then(function (subscription) { return subscription && subscription.unsubscribe(); }).catch(function () {}) : null;
        return Promise.all([DraftStore.clear(), pages, push]).then(function () { return true; });
      }).catch(function () {
        return true;  // what could not be cleared must not keep the person signed in
      }).then(function (logOut) {
        if (!logOut) return;
        button.dataset.cleared = "1";
        button.click();
      });
    });
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "drafts-changed") showDrafts();
    });
  }
  window.addEventListener("online", sendWaiting);
  showDrafts().then(sendWaiting);
})();
