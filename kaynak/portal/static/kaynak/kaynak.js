// Kaynak's only script of its own. On wide screens the main menu is always open; on narrow
// ones it folds into the "Menu" toggle. Without JavaScript the toggle still works everywhere.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 60rem)");
  function sync() {
    document.querySelectorAll("details.menu").forEach(function (menu) { menu.open = wide.matches; });
  }
  document.addEventListener("DOMContentLoaded", sync);
  wide.addEventListener("change", sync);
})();
