// Challenge pages: hand the result back to the merchant, stop double submits, count down resend.
(function () {
  "use strict";
  var auto = document.querySelector("form[data-autosubmit]");
  if (auto) { auto.submit(); return; }
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      // Keep the clicked button's name/value: disable on the next tick, after the form data is built.
      setTimeout(function () {
        document.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
  var resend = document.querySelector("button[data-wait]");
  if (resend && !resend.disabled) {
    var left = parseInt(resend.dataset.wait, 10) || 0;
    var tick = function () {
      if (left > 0) {
        resend.disabled = true;
        resend.textContent = resend.dataset.waitLabel.replace("%s", String(left));
        left -= 1;
        setTimeout(tick, 1000);
      } else {
        resend.disabled = false;
        resend.textContent = resend.dataset.label;
      }
    };
    tick();
  }
})();
