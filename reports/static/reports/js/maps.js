/* Shared Leaflet set-up for the portal's maps: the configured tiles (civic/core/tiles.py), in
   their datum (positions converted both ways by coords.js), and under every map the city drawn
   from its own areas (/reports/areas.geojson), coarse to fine as one zooms in, so a map shows
   where one is without any tile server. */
(function () {
  "use strict";

  /* Each level of the drawn base map: from which zoom it is drawn, between which zooms its
     names are written, and its style with and without tiles under it. */
  var LEVELS = [
    { kind: "district", from: 0, labels: [0, 12.5], weight: 2.5, color: "#0b6e4f", fill: "#dcefe4", fillOpacity: 0.55 },
    { kind: "street", from: 11.5, labels: [13, 14], weight: 1.5, color: "#3a7d5c", fill: "#eaf4ee", fillOpacity: 0.35 },
    { kind: "community", from: 13, labels: [14.5, 15.5], weight: 1.2, color: "#6c8a7a", dashArray: "5 4", fill: null },
    { kind: "grid", from: 15, labels: [16, 30], weight: 0.8, color: "#9aa7a0", dashArray: "2 3", fill: null },
  ];

  function datumOf(el) {
    return (window.CivicCoords && CivicCoords.datum[el.dataset.tileDatum]) ||
      [function (lat, lon) { return [lat, lon]; }, function (lat, lon) { return [lat, lon]; }];
  }

  function baseMap(el, options) {
    el.hidden = false;
    var map = L.map(el, Object.assign({ scrollWheelZoom: false, zoomSnap: 0.5, maxZoom: 19 }, options || {}));
    map.attributionControl.setPrefix(false);
    var datum = datumOf(el);
    /* WGS-84 [lat, lon] → a Leaflet LatLng on these tiles, and a LatLng back to WGS-84. */
    map.toMap = function (lat, lon) { return L.latLng(datum[0](lat, lon)); };
    map.fromMap = function (latlng) {
      var wgs = datum[1](latlng.lat, latlng.lng);
      return L.latLng(wgs[0], wgs[1]);
    };
    var tiles = { attribution: el.dataset.tileAttribution || "", maxZoom: parseInt(el.dataset.tileMaxZoom, 10) || 18 };
    if (el.dataset.tileSubdomains) tiles.subdomains = el.dataset.tileSubdomains;
    if (el.dataset.tileUrl) {
      el.classList.add("has-tiles");
      L.tileLayer(el.dataset.tileUrl, tiles).addTo(map);
      if (el.dataset.tileLabelsUrl) L.tileLayer(el.dataset.tileLabelsUrl, tiles).addTo(map);
    } else {
      el.classList.add("drawn-city");
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

  /* GeoJSON in WGS-84 drawn on this map's tiles. */
  function geoJSON(map, data, options) {
    return L.geoJSON(data, Object.assign({
      coordsToLatLng: function (coords) { return map.toMap(coords[1], coords[0]); },
    }, options));
  }

  function areaLevel(map, el, level) {
    var url = el.dataset.areasUrl + "?kind=" + level.kind;
    var tiled = Boolean(el.dataset.tileUrl);
    return getJSON(url).then(function (data) {
      var shapes = geoJSON(map, data, {
        interactive: false,
        style: {
          className: "area-shape area-" + level.kind,
          color: level.color,
          weight: level.weight,
          dashArray: level.dashArray || null,
          fill: Boolean(level.fill) && !tiled,
          fillColor: level.fill || undefined,
          fillOpacity: level.fillOpacity || 0,
        },
      });
      var labels = L.layerGroup(data.features.map(function (feature) {
        var at = feature.properties.label;
        return L.marker(map.toMap(at[0], at[1]), {
          interactive: false,
          keyboard: false,
          icon: L.divIcon({
            className: "area-label area-label-" + level.kind,
            html: "<span></span>",
            iconSize: null,
          }),
        }).on("add", function (event) {
          event.target.getElement().firstChild.textContent = feature.properties.name;
        });
      }));
      return { level: level, shapes: shapes, labels: labels };
    });
  }

  /* The drawn city: districts at once (their layer is returned, to fit the map to), the finer
     levels fetched the first time the map zooms close enough, names at their zooms. */
  function cityLayers(map, el) {
    var loaded = {};
    function show(entry) {
      var zoom = map.getZoom();
      var drawn = zoom >= entry.level.from;
      var named = zoom >= entry.level.labels[0] && zoom <= entry.level.labels[1];
      if (drawn) entry.shapes.addTo(map); else entry.shapes.remove();
      if (named) entry.labels.addTo(map); else entry.labels.remove();
    }
    function update() {
      var zoom = map.getZoom();
      LEVELS.forEach(function (level) {
        if (loaded[level.kind]) {
          loaded[level.kind].then(show);
        } else if (zoom >= level.from) {
          loaded[level.kind] = areaLevel(map, el, level);
          loaded[level.kind].then(show).catch(function () { delete loaded[level.kind]; });
        }
      });
    }
    loaded.district = areaLevel(map, el, LEVELS[0]);
    map.on("zoomend", update);
    return loaded.district.then(function (entry) {
      if (map._loaded) update(); else map.whenReady(update);
      return entry.shapes;
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

  /* The address search over a map: area names and recent reports' addresses; choosing one
     moves the map there and calls onChoose(wgsLatLng). */
  function placeSearch(map, box, onChoose) {
    if (!box) return;
    box.hidden = false;
    var input = box.querySelector("input");
    var list = box.querySelector(".place-results");
    var asked = 0;
    function choose(place) {
      var to = map.toMap(place.lat, place.lon);
      map.setView(to, Math.max(map.getZoom(), place.zoom || 16));
      list.replaceChildren();
      if (onChoose) onChoose(L.latLng(place.lat, place.lon));
    }
    function find() {
      var q = input.value.trim();
      if (!q) return;
      var mine = ++asked;
      getJSON(box.dataset.url + "?q=" + encodeURIComponent(q)).then(function (data) {
        if (mine !== asked) return;
        list.replaceChildren();
        if (!data.places.length) {
          var none = document.createElement("li");
          none.textContent = box.dataset.none;
          list.appendChild(none);
          return;
        }
        data.places.forEach(function (place) {
          var item = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "place-choice";
          button.textContent = place.name;
          var kind = document.createElement("span");
          kind.className = "place-kind";
          kind.textContent = place.kind_label;
          button.appendChild(kind);
          button.addEventListener("click", function () { choose(place); });
          item.appendChild(button);
          list.appendChild(item);
        });
      }).catch(function () {
        list.replaceChildren();
      });
    }
    box.querySelector("button").addEventListener("click", find);
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault(); // inside the report form, Enter must not send the report
      find();
    });
  }

  window.CivicMaps = {
    baseMap: baseMap,
    cityLayers: cityLayers,
    geoJSON: geoJSON,
    getJSON: getJSON,
    markerIcon: markerIcon,
    fitOrWorld: fitOrWorld,
    placeSearch: placeSearch,
  };
})();
