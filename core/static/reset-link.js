/* The password-reset link carries its token after "#", which browsers never send to the server
   (no access log or Referer holds it). Copy it into the form, hide the code field and drop the
   fragment from the address bar. Without JavaScript the field stays visible for pasting. */
(function () {
  "use strict";
  var match = /^#token=([A-Za-z0-9_.\-]+)$/.exec(window.location.hash);
  var field = document.getElementById("field-token");
  var wrapper = document.querySelector("[data-reset-code]");
  if (!match || !field || !wrapper) {
    return;
  }
  if (!field.value) {
    field.value = match[1];
    wrapper.hidden = true;
  }
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  var password = document.getElementById("field-password");
  if (password && wrapper.hidden) {
    password.focus();
  }
})();
