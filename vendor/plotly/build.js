// Builds readiness/static/vendor/plotly-readiness.min.js: Plotly with only the traces entry.js registers.
// Plotly's own CSS is not bundled: the few rules the charts need are in static/css/app.css (CSP: style-src 'self').
require('esbuild').build({
    entryPoints: [__dirname + '/entry.js'],
    outfile: __dirname + '/../../readiness/static/vendor/plotly-readiness.min.js',
    format: 'iife', globalName: 'Plotly', bundle: true, minify: true, legalComments: 'none', target: 'es2016',
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    alias: { stream: 'stream-browserify' },
    loader: { '.css': 'empty' },
    banner: { js: '/* plotly.js 3.7.0 (MIT), partial bundle for Readiness: bar, box, heatmap, scatter, scatterpolar */' },
    logLevel: 'info',
}).catch(() => process.exit(1));
