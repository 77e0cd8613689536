/* 3DS Method: collect device data, send it to the ACS, then notify the 3DS Server.
 *
 * Runs in a hidden iframe on the merchant's page. The notification is posted whatever happens
 * (collection succeeded, failed, or took more than COLLECT_BUDGET_MS): the 3DS Server waits for
 * it at most 10 s (5 s in 2.3.1), and a late notification costs the cardholder a challenge.
 */
(function () {
  "use strict";

  var COLLECT_BUDGET_MS = 2000;
  var DEVICE_ID_KEY = "acs.deviceId";
  var form = document.getElementById("notify");
  if (!form) {
    return;
  }

  var notified = false;
  function notify() {
    if (notified) {
      return;
    }
    notified = true;
    form.submit();
  }

  // cyrb53: a small non-cryptographic hash, for browsers without crypto.subtle (plain http).
  function smallHash(text) {
    var h1 = 0xdeadbeef;
    var h2 = 0x41c6ce57;
    for (var i = 0; i < text.length; i++) {
      var ch = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return ((h2 >>> 0).toString(16).padStart(8, "0") + (h1 >>> 0).toString(16).padStart(8, "0"));
  }

  function sha256Hex(text) {
    if (!text) {
      return Promise.resolve(null);
    }
    var subtle = window.crypto && window.crypto.subtle;
    if (!subtle || typeof TextEncoder === "undefined") {
      return Promise.resolve(smallHash(text));
    }
    return subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (buffer) {
      return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
        return b.toString(16).padStart(2, "0");
      }).join("");
    }, function () {
      return smallHash(text);
    });
  }

  function canvasData() {
    try {
      var canvas = document.createElement("canvas");
      canvas.width = 240;
      canvas.height = 60;
      var ctx = canvas.getContext("2d");
      if (!ctx) {
        return null;
      }
      ctx.textBaseline = "top";
      ctx.font = "16px Arial, sans-serif";
      ctx.fillStyle = "#f60";
      ctx.fillRect(100, 1, 62, 20);
      ctx.fillStyle = "#069";
      ctx.fillText("3-D Secure \u30ab\u30fc\u30c9 \ud83d\udcb3", 2, 15);
      ctx.fillStyle = "rgba(102, 204, 0, 0.7)";
      ctx.fillText("3-D Secure \u30ab\u30fc\u30c9 \ud83d\udcb3", 4, 17);
      ctx.beginPath();
      ctx.arc(200, 30, 20, 0, Math.PI * 2);
      ctx.stroke();
      return canvas.toDataURL();
    } catch (e) {
      return null;
    }
  }

  function webglData() {
    try {
      var canvas = document.createElement("canvas");
      var gl = canvas.getContext("webgl") || canvas.getContext("experimental-webgl");
      if (!gl) {
        return null;
      }
      var info = gl.getExtension("WEBGL_debug_renderer_info");
      var vendor = gl.getParameter(info ? info.UNMASKED_VENDOR_WEBGL : gl.VENDOR);
      var renderer = gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
      return String(vendor) + "|" + String(renderer);
    } catch (e) {
      return null;
    }
  }

  function randomUuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // First-party storage of the ACS origin. In a third-party iframe it may be partitioned per
  // merchant (Chrome, Firefox) or refused (Safari, strict settings): then there is no id.
  function deviceId() {
    try {
      var storage = window.localStorage;
      var id = storage.getItem(DEVICE_ID_KEY);
      if (!id) {
        id = randomUuid();
        storage.setItem(DEVICE_ID_KEY, id);
      }
      return id;
    } catch (e) {
      return null;
    }
  }

  function timeZoneName() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
    } catch (e) {
      return null;
    }
  }

  function collect() {
    var nav = window.navigator;
    var id = deviceId();
    return Promise.all([sha256Hex(canvasData()), sha256Hex(webglData())]).then(function (hashes) {
      return {
        token: form.getAttribute("data-token"),
        screenWidth: window.screen.width,
        screenHeight: window.screen.height,
        colorDepth: window.screen.colorDepth,
        timezoneOffset: new Date().getTimezoneOffset(),
        timezoneName: timeZoneName(),
        languages: Array.prototype.slice.call(nav.languages || (nav.language ? [nav.language] : []), 0, 20),
        platform: String(nav.platform || "").slice(0, 64),
        hardwareConcurrency: nav.hardwareConcurrency || null,
        maxTouchPoints: nav.maxTouchPoints || 0,
        canvasHash: hashes[0],
        webglHash: hashes[1],
        deviceId: id,
        storageAvailable: id !== null
      };
    });
  }

  function send(data) {
    // keepalive: the request survives the navigation that notify() starts right after.
    return window.fetch(form.getAttribute("data-collect-url"), {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(data),
      credentials: "omit",
      keepalive: true
    });
  }

  if (!form.hasAttribute("data-token") || !window.fetch || !window.Promise) {
    notify();
    return;
  }
  var timeout = new Promise(function (resolve) {
    window.setTimeout(resolve, COLLECT_BUDGET_MS);
  });
  var run;
  try {
    run = collect().then(send);
  } catch (e) {
    run = Promise.resolve();
  }
  Promise.race([run, timeout]).then(notify, notify);
})();
