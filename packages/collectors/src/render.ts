/**
 * Renders snapshots of samples straight to the Prometheus text format or OpenMetrics, without
 * prom-client: a fast path for exporters that serve a cached buffer, and for tools that push
 * elsewhere.
 *
 * @module
 */

import { type ExpositionFormat, escapeHelp, escapeLabelValue, formatSampleValue } from './exposition-text.ts';
import type { CollectorMetrics, MetricDefinition, Sample } from './types.ts';

export type { ExpositionFormat } from './exposition-text.ts';

/** One collector's latest samples. */
export interface Snapshot {
  readonly collector: CollectorMetrics;
  readonly samples: readonly Sample[];
}

/** The `Content-Type` of each format. */
export const CONTENT_TYPES: Readonly<Record<ExpositionFormat, string>> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

function formatLabels(labels: Readonly<Record<string, string>>): string {
  let text = '';
  for (const name in labels) {
    const value = labels[name];
    if (value === undefined) continue;
    text += `${text === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`;
  }
  return text === '' ? '' : `{${text}}`;
}

/** A family's `HELP`/`TYPE` (and OpenMetrics `UNIT`) lines in `format`. */
function familyHeader(definition: MetricDefinition, format: ExpositionFormat): string {
  const isCounter = definition.type === 'counter';
  // OpenMetrics names a counter family without `_total`; its samples keep the suffix.
  const familyName =
    format === 'openmetrics' && isCounter ? definition.name.slice(0, -'_total'.length) : definition.name;
  const help = `# HELP ${familyName} ${escapeHelp(definition.help, format)}\n`;
  const type = `# TYPE ${familyName} ${definition.type}\n`;
  if (format === 'openmetrics') {
    return `${type}${definition.unit === '' ? '' : `# UNIT ${familyName} ${definition.unit}\n`}${help}`;
  }
  return `${help}${type}`;
}

/**
 * One snapshot's series, rendered once: each family's series lines as UTF-8. A series line is the
 * same in both formats, so one rendering serves text and OpenMetrics alike.
 */
export interface RenderedSeries {
  /** The collector whose families these are: it gives their order, headers and empty families. */
  readonly collector: CollectorMetrics;
  /** Family name → its series lines in sample order. Families without samples are absent. */
  readonly lines: ReadonlyMap<string, Buffer>;
  /** The bytes of all `lines`, for accounting. */
  readonly byteLength: number;
}

/**
 * Renders one snapshot's samples to series lines, to be joined by {@link assembleExposition}.
 * An exporter that keeps these instead of the samples holds the bytes it serves and nothing else,
 * and re-renders only the snapshot that changed. A sample of a metric the collector does not
 * define is left out.
 *
 * @example
 * ```ts
 * const series = renderSeries({ collector: broadbandLines, samples });
 * const parts = assembleExposition([series], 'openmetrics'); // write them in order
 * ```
 */
export function renderSeries(snapshot: Snapshot): RenderedSeries {
  const text = new Map<string, string[]>();
  for (const definition of snapshot.collector.metrics) text.set(definition.name, []);
  // Collectors share one labels object across a line's series: render each set once.
  const labelText = new Map<object, string>();
  for (const entry of snapshot.samples) {
    const out = text.get(entry.metric);
    if (out === undefined) continue;
    let labels = labelText.get(entry.labels);
    if (labels === undefined) {
      labels = formatLabels(entry.labels);
      labelText.set(entry.labels, labels);
    }
    out.push(`${entry.metric}${labels} ${formatSampleValue(entry.value)}\n`);
  }
  const lines = new Map<string, Buffer>();
  let byteLength = 0;
  for (const [name, out] of text) {
    if (out.length === 0) continue;
    const bytes = Buffer.from(out.join(''), 'utf8');
    lines.set(name, bytes);
    byteLength += bytes.length;
  }
  return { collector: snapshot.collector, lines, byteLength };
}

/**
 * Joins rendered series into one exposition, as parts to write in order (never copied into one
 * buffer): each family's header in `format`, then its lines from each snapshot in turn. Families
 * appear in the order the collectors define them, and snapshots of the same collector (one per
 * account) are merged into one family each; a defined metric without samples still gets its
 * header. OpenMetrics ends with `# EOF`.
 */
export function assembleExposition(series: readonly RenderedSeries[], format: ExpositionFormat): Buffer[] {
  // Families are merged across snapshots, so one snapshot per account still gives one HELP/TYPE.
  const families = new Map<string, { definition: MetricDefinition; lines: Buffer[] }>();
  for (const { collector, lines } of series) {
    // A collector that lists a metric twice still gets its series once.
    const seen = new Set<string>();
    for (const definition of collector.metrics) {
      let family = families.get(definition.name);
      if (!family) {
        family = { definition, lines: [] };
        families.set(definition.name, family);
      }
      const own = lines.get(definition.name);
      if (own !== undefined && !seen.has(definition.name)) family.lines.push(own);
      seen.add(definition.name);
    }
  }
  // Fresh buffers per call: the parts are handed out, and a shared one written to by a caller would
  // corrupt every later exposition.
  const blankLine = Buffer.from('\n');
  const parts: Buffer[] = [];
  for (const { definition, lines } of families.values()) {
    // Prometheus text separates families with a blank line, as prom-client does.
    if (format === 'text' && parts.length > 0) parts.push(blankLine);
    parts.push(Buffer.from(familyHeader(definition, format), 'utf8'), ...lines);
  }
  if (format === 'openmetrics') parts.push(Buffer.from('# EOF\n'));
  return parts;
}

/**
 * Renders snapshots as one exposition: {@link renderSeries} and {@link assembleExposition} in one
 * step, as text. Families appear in the order the collectors define them, series in sample order;
 * a defined metric without samples still gets its `HELP` and `TYPE`. Snapshots of the same
 * collector (one per account) are merged into one family each. The text format matches what
 * prom-client 15 writes for the same samples, byte for byte. Samples are trusted as the
 * collectors made them: one of a metric the collector does not define is left out, and nothing
 * else is checked (to validate, apply them with `createPromAdapter` from
 * `@aaisp/collectors/prom-client`).
 *
 * @example
 * ```ts
 * const body = renderExposition([{ collector: broadbandLines, samples }], 'text');
 * response.writeHead(200, { 'content-type': CONTENT_TYPES.text }).end(body);
 * ```
 */
export function renderExposition(snapshots: readonly Snapshot[], format: ExpositionFormat): string {
  return Buffer.concat(assembleExposition(snapshots.map(renderSeries), format)).toString('utf8');
}
