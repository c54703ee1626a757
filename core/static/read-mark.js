// "New since your last visit": once a page that showed new posts has loaded, tell the server
// how far the member has read (the same form the "Mark as read" button submits without
// JavaScript). The markers stay on this page; the next visit no longer shows them.
(function () {
  "use strict";
  document.querySelectorAll("form[data-read-beacon]").forEach(function (form) {
    var data = new FormData(form);
    data.append("beacon", "1");
    var sent = navigator.sendBeacon && navigator.sendBeacon(form.action, data);
    if (!sent) {
      fetch(form.action, {method: "POST", body: data, credentials: "same-origin", keepalive: true});
    }
    form.hidden = true;
  });
})();
