/* A report's page: where it is, as exact as privacy allows (the server already coarsened it). */
(function () {
  "use strict";
  var el = document.getElementById("report-map");
  if (!el || !window.L) return;
  var lat = parseFloat(el.dataset.lat);
  var lon = parseFloat(el.dataset.lon);
  if (!isFinite(lat) || !isFinite(lon)) return;
  var map = CivicMaps.baseMap(el);
  var zoom = el.dataset.tileUrl ? 16 : 12;
  CivicMaps.districts(map, el.dataset.areasUrl).catch(function () {});
  if (el.dataset.exact === "true") {
    L.marker([lat, lon], { icon: CivicMaps.markerIcon(el), keyboard: false, interactive: false }).addTo(map);
    map.setView([lat, lon], zoom);
  } else {
    var area = L.circle([lat, lon], {
      radius: parseFloat(el.dataset.radius) * 1.5,
      color: "#e8590c",
      dashArray: "4 4",
      interactive: false,
    }).addTo(map);
    map.setView([lat, lon], zoom);
    if (el.dataset.tileUrl) map.fitBounds(area.getBounds());
  }
})();
