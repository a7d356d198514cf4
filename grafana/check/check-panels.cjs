// The dashboard check: every panel of every dashboard in grafana/dashboards, fed by the Prometheus responses that
// lab-runner's DashboardQueriesTest recorded from a real run, goes through the steps Grafana's frontend takes:
//   1. the responses become data frames shaped as Grafana's Prometheus data source shapes them,
//   2. the panel's transformations run through @grafana/data's own transformers (the version the compose file runs),
//   3. the frames are held against what the panel type needs to draw, stated from Grafana's panel source.
// Any warning a panel would show fails the check, naming the dashboard, the panel and the reason. Every panel's final
// field names and types are printed.
//
// With a PREVIEW_DIR it also writes one HTML page per dashboard there that draws every panel's final frames with
// uPlot (preview.cjs), for a person to look at.
//
// usage: node check-panels.cjs RESPONSES_JSON DASHBOARD_DIR [PREVIEW_DIR]
'use strict';

const fs = require('fs');
const path = require('path');

// @grafana/data is frontend code: it reads window, document and localStorage when it loads.
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { url: 'http://localhost/' });
global.window = dom.window;
global.document = dom.window.document;
global.navigator = dom.window.navigator;
global.localStorage = dom.window.localStorage;

const {
  FieldType,
  getFieldDisplayName,
  isLikelyAscendingVector,
  standardTransformers,
  standardTransformersRegistry,
  transformDataFrame,
} = require('@grafana/data');
const { firstValueFrom } = require('rxjs');
const preview = require('./preview.cjs');

// Grafana fills this registry at start-up with the standard transformers (public/app/features/transformers/
// standardTransformers.ts); transformDataFrame looks every transformation id up in it.
// (Some transformers are exported under two names, such as seriesToColumns for joinByField: registered once by id.)
standardTransformersRegistry.setInit(() =>
  [...new Map(Object.values(standardTransformers).map((t) => [t.id, t])).values()].map((t) => ({
    id: t.id,
    aliasIds: t.aliasIds,
    name: t.name,
    description: t.description,
    transformation: t,
    editor: () => null,
  }))
);

/**
 * Step 1a: the frames Grafana's Prometheus backend returns (pkg/promlib): one frame per series, a time field and a
 * number field that carries the series' labels (__name__ included) and is named after the metric.
 */
function backendFrames(refId, response) {
  const series = response.result || [];
  return series.map((s) => {
    const points = response.resultType === 'vector' ? [s.value] : s.values;
    const labels = { ...s.metric };
    return {
      refId,
      meta: { custom: { resultType: response.resultType } },
      fields: [
        { name: 'Time', type: FieldType.time, config: {}, values: points.map((p) => p[0] * 1000) },
        {
          name: labels.__name__ || 'Value',
          type: FieldType.number,
          config: {},
          labels,
          values: points.map((p) => parseSample(p[1])),
        },
      ],
      length: points.length,
    };
  });
}

function parseSample(v) {
  if (/^[+-]?inf(inity)?$/i.test(v)) {
    return v[0] === '-' ? -Infinity : Infinity;
  }
  return parseFloat(v);
}

/**
 * Step 1b: what the Prometheus data source makes of the frames of targets with format "table"
 * (packages/grafana-prometheus/src/result_transformer.ts, transformDFToTable): one frame per query, with a time
 * field, one string field per label (names sorted, in order of first appearance) and the values in a number field
 * named "Value", or "Value #<refId>" when the panel has more than one query. Other formats keep the backend frames.
 */
function tableFrames(frames) {
  if (frames.length === 0) {
    return frames;
  }
  const refIds = [...new Set(frames.map((f) => f.refId))];
  return refIds.map((refId) => {
    const mine = frames.filter((f) => f.refId === refId);
    const labelNames = [];
    for (const f of mine) {
      for (const name of Object.keys(f.fields[1].labels || {}).sort()) {
        if (!labelNames.includes(name)) {
          labelNames.push(name);
        }
      }
    }
    const time = { name: 'Time', type: FieldType.time, config: {}, values: [] };
    const value = {
      name: refIds.length > 1 ? `Value #${refId}` : 'Value',
      type: FieldType.number,
      config: {},
      values: [],
    };
    const labelFields = labelNames.map((name) => ({
      name,
      type: FieldType.string,
      config: { filterable: true },
      values: [],
    }));
    for (const f of mine) {
      const labels = f.fields[1].labels || {};
      f.fields[0].values.forEach((t) => time.values.push(t));
      f.fields[1].values.forEach((v) => {
        value.values.push(v);
        labelFields.forEach((lf) => lf.values.push(labels[lf.name] ?? ''));
      });
    }
    return { refId, fields: [time, ...labelFields, value], length: time.values.length };
  });
}

function findField(frame, name) {
  return frame.fields.findIndex((f) => f.name === name || getFieldDisplayName(f, frame) === name);
}

function numberFields(frame, except) {
  return frame.fields.filter((f, i) => i !== except && f.type === FieldType.number);
}

function hasRows(frames) {
  return frames.some((f) => (f.length ?? f.fields[0]?.values.length ?? 0) > 0);
}

/** Step 3: what each panel type needs, from Grafana's panel source; returns the warning the panel would show. */
const panelRules = {
  // public/app/plugins/panel/barchart/utils.ts (prepareBarChartDisplayValues): the x axis is the field the xField
  // option names, else the first string field, else the first time field; then at least one number field.
  barchart(frames, options) {
    if (!hasRows(frames)) {
      return 'No data in response';
    }
    const frame = frames[0];
    let x = options.xField ? findField(frame, options.xField) : -1;
    if (x < 0) {
      x = frame.fields.findIndex((f) => f.type === FieldType.string);
    }
    if (x < 0) {
      x = frame.fields.findIndex((f) => f.type === FieldType.time);
    }
    if (x < 0) {
      return 'Bar charts requires a string or time field';
    }
    return numberFields(frame, x).length ? null : 'No numeric fields found';
  },
  // public/app/plugins/panel/trend/TrendPanel.tsx: one frame; the x field the xField option names (else the first
  // number field) must exist, be numeric and ascending; then prepareGraphableFields needs a number field besides x.
  trend(frames, options) {
    if (!hasRows(frames)) {
      return 'No data';
    }
    if (frames.length > 1) {
      return 'Only one frame is supported, consider adding a join transformation';
    }
    const frame = frames[0];
    let x;
    if (options.xField) {
      x = findField(frame, options.xField);
      if (x < 0) {
        return 'Unable to find field: ' + options.xField;
      }
    } else {
      x = frame.fields.findIndex((f) => f.type === FieldType.number);
      if (x < 0) {
        return 'No numeric fields found for X axis';
      }
    }
    const field = frame.fields[x];
    if (field.type !== FieldType.number) {
      return `X field ${field.name} is ${field.type}, not a number`;
    }
    if (!isLikelyAscendingVector(field.values)) {
      return 'Values must be in ascending order';
    }
    return numberFields(frame, x).length ? null : 'No numeric fields found';
  },
  // public/app/plugins/panel/xychart: a numeric x field and at least one numeric y field.
  xychart(frames) {
    if (!hasRows(frames)) {
      return 'No data';
    }
    return frames.some((f) => numberFields(f).length >= 2) ? null : 'No numeric fields found';
  },
  // public/app/plugins/panel/timeseries/utils.ts (prepareGraphableFields): some frame with a time field and a value.
  timeseries(frames) {
    if (!hasRows(frames)) {
      return 'No data';
    }
    const drawable = frames.some((f) => f.fields.some((x) => x.type === FieldType.time) && numberFields(f).length);
    return drawable ? null : 'Data does not have a time field';
  },
  // public/app/plugins/panel/bargauge: one gauge per number field (getFieldDisplayValues).
  bargauge(frames) {
    if (!hasRows(frames)) {
      return 'No data';
    }
    return frames.some((f) => numberFields(f).length) ? null : 'No numeric fields found';
  },
  // public/app/plugins/panel/table: draws any frame; with none it says "No data".
  table(frames) {
    return hasRows(frames) ? null : 'No data';
  },
};

function describe(frames) {
  return frames
    .map((f) => f.fields.map((x) => `${getFieldDisplayName(x, f, frames)}:${x.type}`).join(', '))
    .join(' | ');
}

async function main() {
  const [responsesFile, dashboardDir, previewDir] = process.argv.slice(2);
  if (!responsesFile || !dashboardDir) {
    console.error('usage: node check-panels.cjs RESPONSES_JSON DASHBOARD_DIR');
    process.exit(2);
  }
  const recorded = JSON.parse(fs.readFileSync(responsesFile, 'utf8'));
  const failures = [];
  let panels = 0;
  for (const file of fs.readdirSync(dashboardDir).filter((f) => f.endsWith('.json')).sort()) {
    const dashboard = JSON.parse(fs.readFileSync(path.join(dashboardDir, file), 'utf8'));
    const previews = [];
    for (const panel of dashboard.panels || []) {
      panels++;
      const where = `${file} / ${panel.title} [${panel.type}]`;
      const rule = panelRules[panel.type];
      if (!rule) {
        failures.push(`${where}: no rule for panel type ${panel.type}`);
        continue;
      }
      let frames = [];
      let missing = false;
      for (const target of panel.targets || []) {
        const response = recorded[`${file}|${panel.title}|${target.refId}`];
        if (!response) {
          failures.push(`${where}: no recorded response for query ${target.refId}`);
          missing = true;
          continue;
        }
        frames.push(...backendFrames(target.refId, response));
      }
      if (missing) {
        continue;
      }
      const table = (panel.targets || []).some((t) => t.format === 'table');
      if (table) {
        frames = tableFrames(frames);
      }
      const transformations = (panel.transformations || []).filter((t) => !t.disabled);
      let out;
      try {
        out = transformations.length ? await firstValueFrom(transformDataFrame(transformations, frames)) : frames;
      } catch (e) {
        failures.push(`${where}: a transformation failed: ${e.message}`);
        continue;
      }
      const warning = rule(out, panel.options || {});
      console.log(`${warning ? 'FAIL' : 'ok  '} ${where}: ${describe(out)}${warning ? '  <- ' + warning : ''}`);
      if (warning) {
        failures.push(`${where}: ${warning}`);
      }
      let plot = { kind: 'empty' };
      try {
        plot = warning ? plot : preview.plotOf(panel.type, out, getFieldDisplayName);
      } catch (e) {
        // a preview is a courtesy: the check's verdict stands without it
      }
      previews.push({ title: `${panel.title} [${panel.type}]`, plot });
    }
    if (previewDir) {
      fs.mkdirSync(previewDir, { recursive: true });
      preview.write(path.join(previewDir, file.replace(/\.json$/, '.html')), dashboard.title || file, previews);
    }
  }
  console.log(`${panels} panels checked, ${failures.length} would not draw`);
  if (failures.length) {
    failures.forEach((f) => console.error('  ' + f));
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
