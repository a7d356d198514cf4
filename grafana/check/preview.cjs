// Previews of what the dashboard check handed each panel: one HTML page per dashboard that draws every panel's final
// frames with uPlot, the plotting library Grafana's panels use (the copy @grafana/data depends on). A look at the data
// a panel gets, not Grafana's rendering: no theme, units, overrides or legends as Grafana draws them.
'use strict';

const fs = require('fs');
const path = require('path');

const uplotDir = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));

/** A panel as the page draws it: its kind, x values (numbers, or category labels for bars) and named y series. */
function plotOf(type, frames, getName) {
  const frame = frames[0];
  if (!frame) {
    return { kind: 'empty' };
  }
  const numbers = (f) => f.fields.filter((x) => x.type === 'number');
  if (type === 'trend') {
    const [x, ...ys] = numbers(frame);
    return { kind: 'lines', x: x.values, xName: getName(x, frame), series: ys.map((y) => [getName(y, frame), y.values]) };
  }
  if (type === 'barchart') {
    const x = frame.fields.find((f) => f.type === 'string') || frame.fields.find((f) => f.type === 'time');
    return { kind: 'bars', labels: x.values.map(String), xName: getName(x, frame),
      series: numbers(frame).map((y) => [getName(y, frame), y.values]) };
  }
  if (type === 'timeseries') {
    // every frame's series on one time axis, as Grafana aligns them (outer join on time)
    const times = [...new Set(frames.flatMap((f) => f.fields.find((x) => x.type === 'time').values))].sort((a, b) => a - b);
    const series = [];
    for (const f of frames) {
      const t = f.fields.find((x) => x.type === 'time').values;
      for (const y of numbers(f)) {
        const at = new Map(t.map((v, i) => [v, y.values[i]]));
        series.push([getName(y, f, frames), times.map((v) => at.get(v) ?? null)]);
      }
    }
    return { kind: 'lines', x: times.map((v) => v / 1000), time: true, xName: 'time', series };
  }
  // tables and bar gauges: their rows, as a table
  return { kind: 'table', columns: frame.fields.map((f) => getName(f, frame)),
    rows: Array.from({ length: Math.min(frame.length ?? frame.fields[0].values.length, 40) },
      (_, i) => frame.fields.map((f) => f.values[i])) };
}

function write(file, title, panels) {
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<style>${fs.readFileSync(path.join(uplotDir, 'uPlot.min.css'), 'utf8')}
body{font-family:sans-serif;margin:16px;background:#fff} .panel{display:inline-block;vertical-align:top;margin:8px;
padding:8px;border:1px solid #ccc;width:560px;min-height:330px} h2{font-size:14px;margin:0 0 6px}
h1{font-size:18px} table{font-size:11px;border-collapse:collapse} td,th{border:1px solid #ddd;padding:2px 4px}</style>
<script>${fs.readFileSync(path.join(uplotDir, 'uPlot.iife.min.js'), 'utf8')}</script></head><body>
<h1>${title}: what each panel receives after its transformations (preview with uPlot, not Grafana)</h1>
<div id="panels"></div>
<script>
const panels = ${JSON.stringify(panels)};
const colors = ['#7EB26D', '#EAB839', '#6ED0E0', '#EF843C', '#E24D42', '#1F78C1', '#BA43A9', '#705DA0'];
for (const p of panels) {
  const div = document.createElement('div');
  div.className = 'panel';
  div.innerHTML = '<h2>' + p.title + '</h2>';
  document.getElementById('panels').appendChild(div);
  const plot = p.plot;
  if (plot.kind === 'lines' || plot.kind === 'bars') {
    const bars = plot.kind === 'bars';
    const x = bars ? plot.labels.map((_, i) => i) : plot.x;
    const opts = { width: 540, height: 280, scales: { x: { time: !!plot.time } },
      axes: [{ label: plot.xName, values: bars ? (u, splits) => splits.map((i) => plot.labels[i] ?? '') : undefined },
             {}],
      series: [{ label: plot.xName }].concat(plot.series.map(([name], i) => bars
        ? { label: name, stroke: colors[i % 8], fill: colors[i % 8] + '99',
            paths: uPlot.paths.bars({ size: [0.8 / plot.series.length, 60], align: 0 }), points: { show: false } }
        : { label: name, stroke: colors[i % 8], width: 2, spanGaps: true, points: { show: true, size: 6 } })) };
    new uPlot(opts, [x].concat(plot.series.map(([, v]) => v)), div);
  } else if (plot.kind === 'table') {
    div.innerHTML += '<table><tr>' + plot.columns.map((c) => '<th>' + c + '</th>').join('') + '</tr>' +
      plot.rows.map((r) => '<tr>' + r.map((v) => '<td>' + v + '</td>').join('') + '</tr>').join('') + '</table>';
  } else {
    div.innerHTML += '<p>no data</p>';
  }
}
</script></body></html>`;
  fs.writeFileSync(file, page);
}

module.exports = { plotOf, write };
