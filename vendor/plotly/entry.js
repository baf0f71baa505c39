'use strict';
// Plotly with only the traces Readiness draws: report (scatterpolar, bar, scatter), HQ (heatmap, box, scatter).
var Plotly = require('plotly.js/lib/core');
Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/box'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/scatterpolar'),
]);
module.exports = Plotly;
