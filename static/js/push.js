// The profile's Web Push choices (issue 16): subscribe this device through the service worker's pushManager,
// send the subscription and the kinds chosen to the site, or turn it off. Words come from the section's data-*.
(function () {
  "use strict";
  var section = document.getElementById("push-settings");
  if (!section || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  var data = section.dataset;
  var status = document.getElementById("push-status");
  section.hidden = false;

  function csrfToken() {
    var input = document.querySelector('#page-form input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    }).then(function (response) {
      if (!response.ok) throw new Error("status " + response.status);
    });
  }

  function serverKey() {
    var base64 = data.publicKey.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }

  function kinds() {
    return Array.prototype.map.call(section.querySelectorAll('input[name="push_kinds"]:checked'), function (box) {
      return box.value;
    });
  }

  function subscription() {
    return navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription().then(function (existing) {
        return { registration: registration, existing: existing };
      });
    });
  }

  document.getElementById("push-on").addEventListener("click", function () {
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { status.textContent = data.blocked; return; }
      return subscription().then(function (found) {
        return found.existing || found.registration.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: serverKey(),
        });
      }).then(function (sub) {
        var json = sub.toJSON();
        return post(data.subscribeUrl, { endpoint: json.endpoint, keys: json.keys, kinds: kinds(), username: data.username });
      }).then(function () { status.textContent = data.on; });
    }).catch(function () { status.textContent = data.failed; });
  });

  document.getElementById("push-off").addEventListener("click", function () {
    subscription().then(function (found) {
      if (!found.existing) return;
      var endpoint = found.existing.endpoint;
      return found.existing.unsubscribe().then(function () { return post(data.unsubscribeUrl, { endpoint: endpoint }); });
    }).then(function () { status.textContent = data.off; }, function () { status.textContent = data.failed; });
  });

  subscription().then(function (found) { status.textContent = found.existing ? data.on : data.off; }, function () {});
})();
