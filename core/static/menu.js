// The header's "Menu" on a phone is a <details> and works without this file. With it, the menu
// also closes as menus do elsewhere: on Escape (focus back on its button) and on a click outside.
(function () {
  "use strict";
  var menu = document.querySelector("details.nav-menu");
  if (!menu) {
    return;
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) {
      menu.open = false;
    }
  });
})();
