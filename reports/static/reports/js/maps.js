/* Shared Leaflet set-up for the report pages: optional tiles (MAP_TILE_URL) and the city's
   districts drawn from /reports/areas.geojson, so a map is useful without any tile server. */
(function () {
  "use strict";

  function baseMap(el, options) {
    el.hidden = false;
    var map = L.map(el, Object.assign({ scrollWheelZoom: false, zoomSnap: 0.5 }, options || {}));
    map.attributionControl.setPrefix(false);
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, {
        attribution: el.dataset.tileAttribution || "",
        maxZoom: 19,
      }).addTo(map);
    }
    return map;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
  }

  function districts(map, url) {
    return getJSON(url).then(function (data) {
      var layer = L.geoJSON(data, {
        interactive: false,
        style: { color: "#0b6e4f", weight: 2, fillColor: "#cfe8dd", fillOpacity: 0.35 },
        onEachFeature: function (feature, featureLayer) {
          featureLayer.bindTooltip(feature.properties.name, {
            permanent: true,
            direction: "center",
            className: "district-label",
          });
        },
      });
      layer.addTo(map);
      return layer;
    });
  }

  function markerIcon(el) {
    return L.icon({
      iconUrl: el.dataset.icon,
      iconRetinaUrl: el.dataset.icon2x,
      shadowUrl: el.dataset.shadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      tooltipAnchor: [16, -28],
      shadowSize: [41, 41],
    });
  }

  function fitOrWorld(map, layer) {
    var bounds = layer && layer.getBounds();
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, { padding: [8, 8] });
    } else {
      map.setView([0, 0], 2);
    }
  }

  window.CivicMaps = {
    baseMap: baseMap,
    districts: districts,
    getJSON: getJSON,
    markerIcon: markerIcon,
    fitOrWorld: fitOrWorld,
  };
})();
