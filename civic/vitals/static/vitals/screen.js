// The leadership screen: sparklines drawn with ECharts (SVG, so each line is in the page) and
// the warnings on a Leaflet map, from the data the page embeds, then refreshed from the JSON
// endpoint.
// Each drawn chart gets data-points: how many values it drew.
(function () {
  "use strict";
  var root = document.getElementById("vitals-screen");
  var embedded = document.getElementById("vitals-data");
  if (!root || !embedded || !window.echarts) return;
  var charts = [];

  function chart(element) {
    var existing = window.echarts.getInstanceByDom(element);
    if (existing) return existing;
    var made = window.echarts.init(element, null, { renderer: "svg" });
    charts.push(made);
    return made;
  }

  function sparkline(element, sign) {
    var points = sign.trend.map(function (p) { return [p[0], p[1]]; });
    chart(element).setOption({
      animation: false,
      grid: { left: 2, right: 2, top: 4, bottom: 4 },
      xAxis: { type: "time", show: false },
      yAxis: { type: "value", show: false, scale: true },
      series: [{ type: "line", data: points, showSymbol: points.length < 2, lineStyle: { color: sign.colour, width: 2 },
                 itemStyle: { color: sign.colour }, areaStyle: { color: sign.colour, opacity: 0.15 } }],
    });
    element.dataset.points = points.length;
  }

  // The warnings over the portal's own base map (reports/js/maps.js: the configured tiles, or
  // the city drawn from its areas), one circle a warning in its level's colour, I the largest.
  var warningsMap = null;
  var warningMarkers = null;

  function tip(warning) {
    var box = document.createElement("div");
    box.textContent = warning.levelLabel + " · " + warning.indicator + " · " + warning.area;
    return box;
  }

  function map(element, warnings) {
    if (!window.CivicMaps || !window.L) return;
    if (!warningsMap) {
      warningsMap = CivicMaps.baseMap(element);
      warningsMap.createPane("vitals-warnings").style.zIndex = 450;
      var drawn = CivicMaps.cityLayers(warningsMap, element);
      if (!warnings.length) drawn.then(function (areas) { CivicMaps.fitOrWorld(warningsMap, areas); });
    }
    if (warningMarkers) warningMarkers.remove();
    warningMarkers = L.featureGroup(warnings.map(function (w) {
      var marker = L.circleMarker(warningsMap.toMap(w.lat, w.lon), {
        pane: "vitals-warnings",
        className: "vitals-warning-point",
        radius: 16 - 2 * w.level,
        weight: 2,
        color: "#1d2430",
        fillColor: w.colour,
        fillOpacity: 0.85,
      }).bindTooltip(tip(w));
      marker.on("click", function () { window.location.href = w.url; });
      return marker;
    })).addTo(warningsMap);
    if (warnings.length) {
      CivicMaps.fitOrWorld(warningsMap, warningMarkers);
      warningsMap.setZoom(Math.min(warningsMap.getZoom(), 13));
    }
    element.dataset.points = warnings.length;
  }

  function draw(data) {
    var byCode = {};
    data.domains.forEach(function (d) { d.signs.forEach(function (s) { byCode[s.code] = s; }); });
    root.querySelectorAll("[data-sparkline]").forEach(function (element) {
      var sign = byCode[element.dataset.sparkline];
      if (!sign) return;
      var card = element.closest(".vitals-card");
      card.style.borderColor = sign.colour;
      card.dataset.level = sign.level || "";
      var badge = card.querySelector(".vitals-level");
      badge.style.background = sign.colour;
      badge.textContent = sign.levelLabel;
      card.querySelector("[data-value]").textContent = sign.value === null ? "—" : sign.value;
      sparkline(element, sign);
    });
    var mapElement = root.querySelector("[data-warnings-map]");
    map(mapElement, data.warnings);
    var when = root.querySelector("[data-updated]");
    when.dateTime = data.generated;
    when.textContent = new Date(data.generated).toLocaleTimeString();
  }

  draw(JSON.parse(embedded.textContent));
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  var seconds = parseInt(root.dataset.refreshSeconds, 10) || 60;
  window.setInterval(function () {
    fetch(root.dataset.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) draw(data); })
      .catch(function () {});
  }, seconds * 1000);
})();
