/* The area alerts page: the places watched drawn as circles, and a tap on the map choosing the
   point of a new alert (it fills the latitude and longitude fields, which work without it). */
(function () {
  "use strict";
  var el = document.getElementById("alert-map");
  if (!el || !window.L) return;
  var map = CivicMaps.baseMap(el);
  var latInput = document.getElementById("id_lat");
  var lonInput = document.getElementById("id_lon");
  var radiusInput = document.getElementById("id_radius_m");
  var circle = document.querySelector('input[name="where"][value="circle"]');
  var drawn = L.featureGroup().addTo(map);
  document.querySelectorAll(".alert-item[data-radius]").forEach(function (item) {
    L.circle(map.toMap(parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)), {
      radius: parseFloat(item.dataset.radius), color: "#0b6e4f", interactive: false,
    }).addTo(drawn);
  });
  var chosen = null;
  function choose(wgs) {
    latInput.value = wgs.lat.toFixed(6);
    lonInput.value = wgs.lng.toFixed(6);
    if (circle) circle.checked = true;
    if (chosen) chosen.remove();
    chosen = L.circle(map.toMap(wgs.lat, wgs.lng), {
      radius: parseFloat(radiusInput.value) || 500, color: "#e8590c", interactive: false,
    }).addTo(map);
  }
  map.on("click", function (event) { choose(map.fromMap(event.latlng)); });
  radiusInput.addEventListener("change", function () {
    if (chosen) chosen.setRadius(parseFloat(radiusInput.value) || 500);
  });
  CivicMaps.cityLayers(map, el).then(function (layer) {
    CivicMaps.fitOrWorld(map, drawn.getLayers().length ? drawn : layer);
  }).catch(function () { map.setView([0, 0], 2); });
})();
