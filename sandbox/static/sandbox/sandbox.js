/* Sandbox merchant and 3DS Server pages. Each behaviour is switched on by a data attribute. */
(function () {
  "use strict";

  // Checkout: the 3DS Server's browser data (EMV 3DS browser fields), read from this browser.
  var checkout = document.querySelector("form[data-checkout]");
  if (checkout) {
    checkout.addEventListener("submit", function () {
      var set = function (name, value) {
        var input = checkout.elements.namedItem(name);
        if (input) { input.value = String(value); }
      };
      set("js_enabled", "on");
      set("js_language", navigator.language || "");
      set("color_depth", window.screen.colorDepth || 24);
      set("screen_width", window.screen.width || "");
      set("screen_height", window.screen.height || "");
      set("tz_offset", new Date().getTimezoneOffset());
    });
  }

  // 3DS Method: post threeDSMethodData into the hidden iframe, wait for the notification
  // (postMessage from the method-done page, or the status poll), then send the AReq.
  var runner = document.querySelector("[data-method-runner]");
  if (runner) {
    var areqForm = document.getElementById("areq-form");
    var methodForm = document.getElementById("method-form");
    var started = performance.now();
    var finished = false;
    var finish = function (compInd) {
      if (finished) { return; }
      finished = true;
      areqForm.elements.namedItem("comp_ind").value = compInd;
      if (methodForm) {
        areqForm.elements.namedItem("method_ms").value = String(Math.round(performance.now() - started));
      }
      areqForm.submit();
    };
    if (!methodForm) {
      finish("U");
    } else {
      window.addEventListener("message", function (event) {
        var data = event.data || {};
        if (event.origin === window.location.origin && data.type === "sandbox:3ds-method-done" &&
            data.purchase === runner.dataset.purchase) {
          finish("Y");
        }
      });
      window.setTimeout(function () { finish("N"); }, parseInt(runner.dataset.waitMs, 10) || 10000);
      var poll = function () {
        if (finished) { return; }
        window.fetch(runner.dataset.statusUrl, {credentials: "same-origin"})
          .then(function (response) { return response.json(); })
          .then(function (status) {
            if (status.methodDone) { finish("Y"); } else { window.setTimeout(poll, 1000); }
          }, function () { window.setTimeout(poll, 1000); });
      };
      window.setTimeout(poll, 1500);  // a fallback: the notification page normally posts a message
      methodForm.submit();
    }
  }

  // The method notification page, inside the hidden iframe: tell the checkout (same origin).
  var methodDone = document.querySelector("[data-method-done]");
  if (methodDone && methodDone.dataset.ok && window.parent !== window) {
    window.parent.postMessage({type: "sandbox:3ds-method-done", purchase: methodDone.dataset.methodDone},
                              window.location.origin);
  }

  // The CReq form: post it to the ACS at once.
  var auto = document.querySelector("form[data-autosubmit]");
  if (auto) { auto.submit(); }

  // The notificationURL's page: leave the challenge iframe for the result page.
  var breakout = document.querySelector("[data-breakout]");
  if (breakout) { window.top.location.href = breakout.dataset.breakout; }

  // Phone inbox: refresh the list in place.
  var list = document.querySelector("[data-refresh-url]");
  if (list) {
    var refresh = function () {
      window.fetch(list.dataset.refreshUrl, {credentials: "same-origin", cache: "no-store"})
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null && html !== list.innerHTML) { list.innerHTML = html; } })
        .finally(function () { window.setTimeout(refresh, parseInt(list.dataset.refreshMs, 10) || 3000); });
    };
    window.setTimeout(refresh, parseInt(list.dataset.refreshMs, 10) || 3000);
  }

  // A result still waiting for the RReq: look again shortly.
  var reload = document.querySelector("[data-reload-after]");
  if (reload) {
    window.setTimeout(function () { window.location.reload(); }, parseInt(reload.dataset.reloadAfter, 10));
  }
})();
