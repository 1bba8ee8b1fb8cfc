/**
 * Renders snapshots of samples straight to the Prometheus text format or OpenMetrics, without
 * prom-client: a fast path for exporters that serve a cached buffer, and for tools that push
 * elsewhere.
 *
 * @module
 */

import type { MetricDefinition, Sample } from './metric.ts';
import type { CollectorMetrics } from './prom.ts';

/** The two exposition formats Prometheus scrapes. */
export type ExpositionFormat = 'text' | 'openmetrics';

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

const NEEDS_ESCAPE = /[\\\n"]/;

function escapeLabelValue(value: string): string {
  // Most values need no escaping; testing first skips three replaces on 100 000+ labels.
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(text: string, format: ExpositionFormat): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return format === 'openmetrics' ? escaped.replace(/"/g, '\\"') : escaped;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  let text = '';
  for (const name in labels) {
    const value = labels[name];
    if (value === undefined) continue;
    text += `${text === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`;
  }
  return text === '' ? '' : `{${text}}`;
}

/**
 * Appends one family's lines to `out`; pieces are joined once at the end. `labelText` caches the
 * rendered label set per labels object: collectors share one object across a line's series.
 */
function family(
  out: string[],
  definition: MetricDefinition,
  samples: readonly Sample[],
  format: ExpositionFormat,
  labelText: Map<object, string>,
): void {
  const isCounter = definition.type === 'counter';
  // OpenMetrics names a counter family without `_total`; its samples keep the suffix.
  const familyName =
    format === 'openmetrics' && isCounter ? definition.name.slice(0, -'_total'.length) : definition.name;
  const help = `# HELP ${familyName} ${escapeHelp(definition.help, format)}\n`;
  const type = `# TYPE ${familyName} ${definition.type}\n`;
  if (format === 'openmetrics') {
    out.push(type, definition.unit === '' ? '' : `# UNIT ${familyName} ${definition.unit}\n`, help);
  } else {
    out.push(help, type);
  }
  for (const entry of samples) {
    let labels = labelText.get(entry.labels);
    if (labels === undefined) {
      labels = formatLabels(entry.labels);
      labelText.set(entry.labels, labels);
    }
    out.push(`${definition.name}${labels} ${formatValue(entry.value)}\n`);
  }
}

/**
 * Renders snapshots as one exposition. Families appear in the order the collectors define them,
 * series in sample order; a defined metric without samples still gets its `HELP` and `TYPE`.
 * Snapshots of the same collector (one per account) are merged into one family each.
 * The text format matches what prom-client 15 writes for the same samples, byte for byte.
 * Samples are trusted as the collectors made them: one of a metric the collector does not define
 * is left out, and nothing else is checked (use `createPromAdapter().apply` to validate).
 *
 * @example
 * ```ts
 * const body = renderExposition([{ collector: broadbandLines, samples }], 'text');
 * response.writeHead(200, { 'content-type': CONTENT_TYPES.text }).end(body);
 * ```
 */
export function renderExposition(snapshots: readonly Snapshot[], format: ExpositionFormat): string {
  // Families are merged across snapshots, so one snapshot per account still gives one HELP/TYPE.
  const families = new Map<string, { definition: MetricDefinition; samples: Sample[] }>();
  for (const { collector, samples } of snapshots) {
    const own = new Map<string, Sample[]>();
    for (const definition of collector.metrics) {
      let entry = families.get(definition.name);
      if (!entry) {
        entry = { definition, samples: [] };
        families.set(definition.name, entry);
      }
      own.set(definition.name, entry.samples);
    }
    for (const entry of samples) own.get(entry.metric)?.push(entry);
  }
  const out: string[] = [];
  const labelText = new Map<object, string>();
  for (const { definition, samples } of families.values()) {
    // Prometheus text separates families with a blank line, as prom-client does.
    if (format === 'text' && out.length > 0) out.push('\n');
    family(out, definition, samples, format, labelText);
  }
  if (format === 'openmetrics') out.push('# EOF\n');
  return out.join('');
}
