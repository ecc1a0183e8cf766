/* The map of reports: the public reports in view (GeoJSON), coloured by status. The list beside
   it shows the same reports for people who would rather read. */
(function () {
  "use strict";
  var el = document.getElementById("reports-map");
  if (!el || !window.L) return;
  var status = document.getElementById("map-status");
  var filters = document.getElementById("report-filters");
  var colours = { open: "#e8590c", fixed: "#2b8a3e", closed_not_fixed: "#868e96" };
  var map = CivicMaps.baseMap(el);
  var markers = L.layerGroup().addTo(map);
  var asked = 0;

  function clamp(value, limit) {
    return Math.max(-limit, Math.min(limit, value));
  }

  function popup(properties) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.category + " #" + properties.id;
    box.appendChild(link);
    var state = document.createElement("div");
    state.textContent = properties.state_label;
    box.appendChild(state);
    if (properties.thumbnail) {
      var img = document.createElement("img");
      img.src = properties.thumbnail;
      img.alt = "";
      img.loading = "lazy";
      box.appendChild(img);
    }
    return box;
  }

  function load() {
    var view = map.getBounds();
    var southWest = map.fromMap(view.getSouthWest());
    var northEast = map.fromMap(view.getNorthEast());
    var bounds = L.latLngBounds(southWest, northEast);
    var params = new URLSearchParams();
    params.set("bbox", [
      clamp(bounds.getWest(), 180), clamp(bounds.getSouth(), 90),
      clamp(bounds.getEast(), 180), clamp(bounds.getNorth(), 90),
    ].map(function (n) { return n.toFixed(6); }).join(","));
    ["category", "family", "district"].forEach(function (name) {
      var field = filters && filters.elements[name];
      if (field && field.value) params.set(name, field.value);
    });
    var mine = ++asked;
    CivicMaps.getJSON(el.dataset.geojsonUrl + "?" + params.toString()).then(function (data) {
      if (mine !== asked) return;
      markers.clearLayers();
      data.features.forEach(function (feature) {
        var p = feature.properties;
        var c = feature.geometry.coordinates;
        L.circleMarker(map.toMap(c[1], c[0]), {
          radius: 9,
          color: "#ffffff",
          weight: 2,
          fillColor: colours[p.family] || "#1d2430",
          fillOpacity: 0.9,
          dashArray: p.exact ? null : "3 3",
          className: "report-marker family-" + p.family,
        }).bindPopup(popup(p)).bindTooltip(p.category + " · " + p.state_label).addTo(markers);
      });
      var text = status.dataset.count.replace("%(count)s", data.features.length);
      status.textContent = data.truncated ? text + " " + status.dataset.truncated : text;
    }).catch(function () {
      if (mine === asked) status.textContent = status.dataset.failed;
    });
  }

  var district = filters && filters.elements.district && filters.elements.district.value;
  CivicMaps.placeSearch(map, document.getElementById("place-search"));
  CivicMaps.cityLayers(map, el).then(function (layer) {
    var chosen = null;
    layer.eachLayer(function (item) {
      if (district && item.feature.properties.code === district) chosen = item;
    });
    CivicMaps.fitOrWorld(map, chosen || layer);
  }).catch(function () {
    CivicMaps.fitOrWorld(map, null);
  }).then(function () {
    load();
    map.on("moveend", load);
  });
})();
