/* Live preview: while the member types, the composer's text is rendered by the server's publishing
   renderer (a POST to the form's data-preview, with the form's CSRF token; it never writes) and
   shown in the composer's preview section, a polite live region. A pause of a little over half a
   second sends; an older answer never replaces a newer one. Without JavaScript the section stays
   hidden and the Preview button does the same on request. */
(function () {
  "use strict";
  var DELAY = 600;

  function setup(form) {
    var url = form.getAttribute("data-preview");
    var area = form.querySelector("textarea[name=body]");
    var token = form.querySelector("input[name=csrf_token]");
    var section = form.querySelector("section.preview");
    var region = section && section.querySelector("[aria-live]");
    if (!url || !area || !token || !region) { return; }
    var timer = null, sent = null, latest = 0;

    function show(html) {
      region.innerHTML = html;  /* sanitized by the server, as published posts are */
      section.hidden = !html.trim();
    }

    function send() {
      var text = area.value;
      if (text === sent) { return; }
      sent = text;
      if (!text.trim()) { show(""); return; }
      var ticket = ++latest;
      var data = new FormData();
      data.append("csrf_token", token.value);
      data.append("body", text);
      fetch(url, {method: "POST", body: data, credentials: "same-origin", headers: {"Accept": "text/html"}})
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) { if (ticket === latest) { show(html); } })
        .catch(function () { sent = null; });  /* try again on the next keystroke; Preview still works */
    }

    area.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(send, DELAY);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-preview]"), setup);
})();
