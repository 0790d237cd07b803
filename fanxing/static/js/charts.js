/* Charts of the bureau's pages, drawn with ECharts from data a page passes with json_script.
 *
 *   {{ chart|json_script:"trend" }}
 *   <div class="fx-chart" data-chart="trend"></div>
 *
 * The data: {type: "line" | "bar" | "pie", categories: [...], series: [{name, data, dashed}], links}.
 * For a pie, series[0].data is [{name, value}]. `links[i][j]`, when given, is where a click on series i,
 * point j leads (a figure's drill-down). */
(function () {
  "use strict";

  function option(data) {
    if (data.type === "pie") {
      return {
        tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
        legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["35%", "65%"], top: -24, data: data.series[0].data }],
      };
    }
    return {
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value" },
      series: data.series.map(function (s) {
        return {
          name: s.name,
          type: data.type,
          data: s.data,
          connectNulls: true,
          lineStyle: s.dashed ? { type: "dashed" } : undefined,
          symbol: s.dashed ? "none" : "circle",
        };
      }),
    };
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || !window.echarts || element.dataset.drawn) return;
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(element);
    chart.setOption(option(data));
    chart.on("click", function (params) {
      var row = data.links && data.links[params.seriesIndex];
      if (row && row[params.dataIndex]) window.location.href = row[params.dataIndex];
    });
    element.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll(root) {
    root.querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawAll(event.target); });
})();
