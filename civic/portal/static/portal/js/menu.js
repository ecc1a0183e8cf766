/* The header's menu folds into a disclosure on a phone; on a wide screen it stays open (and its
   summary is hidden by the stylesheet). Without JavaScript it is a working disclosure. */
(function () {
  "use strict";
  var menu = document.getElementById("site-menu");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 60rem)");
  function follow() { menu.open = wide.matches; }
  follow();
  wide.addEventListener("change", follow);
})();
