/* Starts Swagger UI on /api/v1/docs (an external file: the CSP forbids inline scripts). */
(function () {
  "use strict";
  function start() {
    var root = document.getElementById("swagger-ui");
    var csrf = root.getAttribute("data-csrf-token");
    window.ui = SwaggerUIBundle({
      url: root.getAttribute("data-spec-url"),
      dom_id: "#swagger-ui",
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: "BaseLayout",
      requestInterceptor: function (request) {
        var method = (request.method || "GET").toUpperCase();
        if (["GET", "HEAD", "OPTIONS"].indexOf(method) === -1 && csrf) {
          request.headers["X-CSRFToken"] = csrf;
        }
        return request;
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
