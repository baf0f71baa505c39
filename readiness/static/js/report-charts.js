/* Draw the report's charts with Plotly from the JSON block the page carries.
   The tables under the charts hold the same figures, so the page works without JavaScript. */
(function () {
  "use strict";

  function readData() {
    var block = document.getElementById("report-chart-data");
    if (!block) { return null; }
    try { return JSON.parse(block.textContent); } catch (e) { return null; }
  }

  var ROLE_COLOURS = ["#b35c00", "#6a3d9a", "#1b7f79", "#8c564b", "#c2185b", "#5d6d00"];
  // No toolbar: its buttons crowd phones and the same figures are in the tables.
  var CONFIG = { displaylogo: false, responsive: true, displayModeBar: false };

  // Long dimension names wrap onto several lines so they fit a phone's width.
  function wrap(label, width) {
    var lines = [], line = "";
    label.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    lines.push(line);
    return lines.join("<br>");
  }

  function closeLoop(values) {
    return values.concat(values.slice(0, 1));
  }

  // Right-to-left pages read the charts from the right: bars grow leftwards, the radar turns the other way.
  function isRtl() { return document.documentElement.dir === "rtl"; }

  function radar(node, data) {
    var narrow = node.clientWidth < 520;  // phones: shorter lines and more room for the labels
    var theta = closeLoop(data.dimensions.map(function (d) { return wrap(d, narrow ? 12 : 18); }));
    var traces = [{
      type: "scatterpolar", name: data.labels.overall, r: closeLoop(data.scores), theta: theta,
      fill: "toself", line: { color: "#0b5cad", width: 3 }
    }, {
      type: "scatterpolar", name: data.labels.go, r: closeLoop(data.go), theta: theta,
      line: { color: "#a61b1b", dash: "dash", width: 1.5 }, hoverinfo: "skip"
    }];
    data.roles.forEach(function (role, index) {
      traces.push({
        type: "scatterpolar", name: role.label, r: closeLoop(role.scores), theta: theta,
        line: { color: ROLE_COLOURS[index % ROLE_COLOURS.length], width: 1.5 }, visible: "legendonly"
      });
    });
    Plotly.newPlot(node, traces, {
      polar: { radialaxis: { range: [0, 100], tickvals: [0, 25, 50, 75, 100] }, angularaxis: { tickfont: { size: narrow ? 9 : 11 }, rotation: 90, direction: isRtl() ? "counterclockwise" : "clockwise" } },
      legend: { orientation: "h", y: -0.15 }, height: narrow ? 420 : 460,
      margin: narrow ? { t: 40, b: 30, l: 75, r: 75 } : { t: 30, b: 30, l: 60, r: 60 }
    }, CONFIG);
  }

  function bars(node, data) {
    var labels = data.dimensions.map(function (d) { return wrap(d, 24); });
    var colours = data.scores.map(function (score, i) {
      if (score === null) { return "#4f5863"; }
      return score < data.floor[i] ? "#a61b1b" : score < data.go[i] ? "#8a5a00" : "#1e6b34";
    });
    Plotly.newPlot(node, [{
      type: "bar", orientation: "h", name: data.labels.score, y: labels,
      x: data.scores.map(function (s) { return s === null ? 0 : s; }), marker: { color: colours },
      text: data.scores.map(function (s) { return s === null ? "–" : Math.round(s); }), textposition: "outside"
    }, {
      type: "scatter", mode: "markers", name: data.labels.go, y: labels, x: data.go,
      marker: { symbol: "line-ns-open", size: 24, color: "#1b1f24", line: { width: 3 } }
    }], {
      xaxis: { range: isRtl() ? [105, 0] : [0, 105], title: { text: data.labels.score } },
      yaxis: { autorange: "reversed", automargin: true, side: isRtl() ? "right" : "left" },
      showlegend: true, legend: { orientation: "h", y: -0.25 },
      margin: { t: 20, b: 40, l: 10, r: 20 }, height: 380
    }, CONFIG);
  }

  function draw() {
    var data = readData();
    if (!data || typeof Plotly === "undefined") { return; }
    var radarNode = document.getElementById("radar-chart");
    var barNode = document.getElementById("bar-chart");
    if (radarNode) { radar(radarNode, data); }
    if (barNode) { bars(barNode, data); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
