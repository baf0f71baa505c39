/* Headquarters charts: each chart reads its data from a <script type="application/json"> block
   named by the container's data-chart attribute (no inline script under our CSP). */
(function () {
  "use strict";

  var FONT = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif", size: 13, color: "#1b1f24" };
  // No toolbar: its buttons crowd phones and the same figures are in the tables.
  var CONFIG = { displaylogo: false, responsive: true, displayModeBar: false };
  // Colour-blind-safe order (Okabe–Ito), overall line in black.
  var PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"];

  function layout(extra) {
    var base = { font: FONT, margin: { l: 50, r: 20, t: 10, b: 50 }, paper_bgcolor: "#fff", plot_bgcolor: "#fff" };
    return Object.assign(base, extra || {});
  }

  // Long dimension names wrap onto short lines instead of being tilted.
  function wrap(label, width) {
    var lines = [], line = "";
    label.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    lines.push(line);
    return lines.join("<br>");
  }

  function heatmap(el, d) {
    var go = d.thresholds.go;
    // Below the go threshold: oranges; at or above: blues. Fixed 0-100 so colours mean the same everywhere.
    var scale = [[0, "#b35806"], [go / 200, "#f1a340"], [go / 100 - 0.001, "#fee0b6"],
                 [go / 100, "#d1e5f0"], [(go / 100 + 1) / 2, "#67a9cf"], [1, "#08306b"]];
    var rows = d.rows.length;
    var longest = d.rows.reduce(function (m, r) { return Math.max(m, r.length); }, 0);
    var left = Math.min(260, 20 + longest * 7);
    el.style.height = Math.max(320, rows * 24 + 110) + "px";
    Plotly.newPlot(el, [{
      type: "heatmap", z: d.z, x: d.columns.map(function (c) { return wrap(c, 16); }), y: d.rows, zmin: 0, zmax: 100, colorscale: scale, xgap: 2, ygap: 2,
      hoverongaps: false, colorbar: { title: { text: d.labels.score }, thickness: 12, len: Math.min(1, 400 / (rows * 24 + 130)), y: 1, yanchor: "top" },
      hovertemplate: "%{y}<br>%{x}: %{z:.0f}<extra></extra>",
      text: d.z.map(function (r) { return r.map(function (v) { return v === null ? "" : Math.round(v); }); }),
      texttemplate: "%{text}", textfont: { size: 11 }
    }], layout({
      margin: { l: left, r: 10, t: 80, b: 10 },
      xaxis: { side: "top", tickangle: 0, fixedrange: true, automargin: true, tickfont: { size: 12 } },
      yaxis: { autorange: "reversed", fixedrange: true, tickfont: { size: 12 }, dtick: 1 }
    }), CONFIG).then(done(el));
  }

  function boxes(el, d) {
    el.style.height = Math.max(360, d.series.length * 70 + 80) + "px";
    var traces = d.series.map(function (s, i) {
      return { type: "box", x: s.values, name: s.name, text: s.text, boxpoints: "all", jitter: 0.4, pointpos: 0,
               marker: { color: PALETTE[i % PALETTE.length], size: 5, opacity: 0.6 }, line: { width: 2 },
               hovertemplate: "%{text}: %{x:.0f}<extra>" + s.name + "</extra>", orientation: "h" };
    });
    Plotly.newPlot(el, traces, layout({
      showlegend: false, margin: { l: 10, r: 20, t: 10, b: 50 },
      xaxis: { range: [0, 100], title: { text: d.labels.score }, fixedrange: true },
      yaxis: { autorange: "reversed", automargin: true, fixedrange: true }
    }), CONFIG).then(done(el));
  }

  function peers(el, d) {
    el.style.height = Math.max(360, d.dimensions.length * 70 + 90) + "px";
    var traces = d.dimensions.map(function (name, i) {
      return { type: "box", x: d.peers[i], y: d.peers[i].map(function () { return name; }), name: d.labels.peers,
               legendgroup: "peers", showlegend: i === 0, boxpoints: false, orientation: "h",
               marker: { color: "#8a97a6" }, fillcolor: "rgba(138,151,166,0.25)" };
    });
    traces.push({ type: "scatter", mode: "markers", x: d.own, y: d.dimensions, name: d.labels.own,
                  marker: { color: "#D55E00", size: 14, symbol: "diamond", line: { color: "#1b1f24", width: 1 } } });
    Plotly.newPlot(el, traces, layout({
      margin: { l: 10, r: 20, t: 10, b: 50 }, legend: { orientation: "h", y: -0.2 },
      xaxis: { range: [0, 100], title: { text: d.labels.score }, fixedrange: true },
      yaxis: { autorange: "reversed", automargin: true, fixedrange: true, type: "category" }
    }), CONFIG).then(done(el));
  }

  function trend(el, d) {
    el.style.height = "420px";
    var traces = d.series.map(function (s, i) {
      return { type: "scatter", mode: "lines+markers", x: d.x, y: s.values, name: s.name, connectgaps: false,
               line: { width: s.bold ? 4 : 2, color: s.bold ? "#1b1f24" : PALETTE[(i - 1) % PALETTE.length] },
               marker: { size: s.bold ? 8 : 6 } };
    });
    Plotly.newPlot(el, traces, layout({
      margin: { l: 50, r: 10, t: 10, b: 40 }, legend: { orientation: "h", y: -0.15 },
      yaxis: { range: [0, 100], title: { text: d.labels.score }, fixedrange: true },
      xaxis: { type: "date" }
    }), CONFIG).then(done(el));
  }

  function done(el) {
    return function () { el.dataset.plotted = "yes"; };
  }

  var DRAW = { heatmap: heatmap, boxes: boxes, peers: peers, trend: trend };

  function init() {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      if (DRAW[data.kind]) { DRAW[data.kind](el, data); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
