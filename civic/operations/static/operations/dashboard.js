// Draws the operations charts from the figures a page embeds (#ops-charts): the admin
// dashboard's, and the trend on the public rankings page. Charts are ECharts; the grid cells'
// map is Leaflet over the portal's own base map (reports/js/maps.js: the configured tiles, or
// the city drawn from its areas), so that cells sit on their streets. Each chart element gets
// data-points: how many values it drew.
(function () {
  "use strict";
  var source = document.getElementById("ops-charts");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var labels = document.getElementById("ops-labels").dataset;
  var charts = [];

  function bars(names, series) {
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: names, inverse: true, axisLabel: { width: 110, overflow: "truncate" } },
      series: series,
    };
  }

  var builders = {
    trend: function (d) {
      return {
        points: d.labels.length,
        option: {
          tooltip: { trigger: "axis" },
          legend: { top: 0 },
          grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
          xAxis: { type: "category", data: d.labels },
          yAxis: { type: "value", minInterval: 1 },
          series: [
            { name: labels.received, type: "line", data: d.received },
            { name: labels.resolved, type: "line", data: d.resolved },
          ],
        },
      };
    },
    breakdown: function (d) {
      return {
        points: d.labels.length,
        option: bars(d.labels, [
          { name: labels.received, type: "bar", data: d.received },
          { name: labels.open, type: "bar", data: d.open },
        ]),
      };
    },
  };

  /* Green for no overdue report, through amber, to red for the cell with the most. */
  function heat(share) {
    return share <= 0 ? "#4caf50" : share < 0.5 ? "#ffb300" : "#d32f2f";
  }

  function tip(cell) {
    var box = document.createElement("div");
    box.className = "ops-cell-tip";
    [cell.name + " (" + cell.code + ")", labels.open + ": " + cell.open,
      labels.overdue + ": " + cell.overdue].forEach(function (line) {
      var row = document.createElement("div");
      row.textContent = line;
      box.appendChild(row);
    });
    return box;
  }

  function cellMap(element, cells) {
    if (!window.CivicMaps) return;
    var map = CivicMaps.baseMap(element);
    map.createPane("ops-cells").style.zIndex = 450; // over the drawn areas, under their names
    var most = Math.max.apply(null, cells.map(function (c) { return c.overdue; }).concat([1]));
    var markers = L.featureGroup(cells.map(function (cell) {
      return L.circleMarker(map.toMap(cell.lat, cell.lon), {
        pane: "ops-cells",
        className: "ops-cell",
        radius: 6 + Math.sqrt(cell.open) * 3,
        weight: 1,
        color: "#1d2430",
        fillColor: heat(cell.overdue / most),
        fillOpacity: 0.8,
      }).bindTooltip(tip(cell));
    }));
    var cityDrawn = CivicMaps.cityLayers(map, element);
    if (cells.length) {
      CivicMaps.fitOrWorld(map, markers);
      map.setZoom(Math.min(map.getZoom(), 13)); // a lone cell: its street and the names around it
    } else {
      cityDrawn.then(function (districts) { CivicMaps.fitOrWorld(map, districts); });
    }
    markers.addTo(map);
    element.dataset.points = String(cells.length);
    return map;
  }

  document.querySelectorAll(".ops-chart[data-chart]").forEach(function (element) {
    var name = element.dataset.chart;
    if (name === "grid") {
      var map = cellMap(element, data.grid);
      if (map) charts.push({ resize: function () { map.invalidateSize(); } });
      return;
    }
    var built = name === "trend" ? builders.trend(data.trend) : builders.breakdown(data[name]);
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(built.option);
    element.dataset.points = String(built.points);
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
