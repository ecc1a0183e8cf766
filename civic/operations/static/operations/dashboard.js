// Draws the operations dashboard's charts with ECharts from the figures the page embeds
// (#ops-charts). Each chart element gets data-points: how many values it drew.
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
    grid: function (cells) {
      var most = Math.max.apply(null, cells.map(function (c) { return c.overdue; }).concat([1]));
      return {
        points: cells.length,
        option: {
          tooltip: {
            formatter: function (p) {
              var c = p.data.cell;
              return c.name + " (" + c.code + ")<br>" + labels.open + ": " + c.open +
                "<br>" + labels.overdue + ": " + c.overdue;
            },
          },
          grid: { left: 8, right: 24, bottom: 44, top: 16, containLabel: true },
          xAxis: { type: "value", scale: true, name: "lon" },
          yAxis: { type: "value", scale: true, name: "lat" },
          visualMap: { min: 0, max: most, dimension: 3, orient: "horizontal", left: "center", bottom: 0, text: [labels.overdue, ""], calculable: false, inRange: { color: ["#4caf50", "#ffb300", "#d32f2f"] } },
          series: [{
            type: "scatter",
            data: cells.map(function (c) {
              return { value: [c.lon, c.lat, c.open, c.overdue], cell: c };
            }),
            symbolSize: function (v) { return 8 + Math.sqrt(v[2]) * 6; },
          }],
        },
      };
    },
  };

  document.querySelectorAll(".ops-chart[data-chart]").forEach(function (element) {
    var name = element.dataset.chart;
    var built = name === "trend" ? builders.trend(data.trend)
      : name === "grid" ? builders.grid(data.grid)
      : builders.breakdown(data[name]);
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(built.option);
    element.dataset.points = String(built.points);
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
