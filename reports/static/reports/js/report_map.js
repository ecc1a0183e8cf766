/* A report's page: where it is, as exact as privacy allows (the server already coarsened it). */
(function () {
  "use strict";
  var el = document.getElementById("report-map");
  if (!el || !window.L) return;
  var lat = parseFloat(el.dataset.lat);
  var lon = parseFloat(el.dataset.lon);
  if (!isFinite(lat) || !isFinite(lon)) return;
  var map = CivicMaps.baseMap(el);
  var at = map.toMap(lat, lon);
  CivicMaps.cityLayers(map, el).catch(function () {});
  if (el.dataset.exact === "true") {
    L.marker(at, { icon: CivicMaps.markerIcon(el), keyboard: false, interactive: false }).addTo(map);
    map.setView(at, 16);
  } else {
    var area = L.circle(at, {
      radius: parseFloat(el.dataset.radius) * 1.5,
      color: "#e8590c",
      dashArray: "4 4",
      interactive: false,
    }).addTo(map);
    map.fitBounds(area.getBounds());
  }
})();
