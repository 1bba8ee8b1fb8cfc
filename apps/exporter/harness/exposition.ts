/**
 * A small reader for what `/metrics` and `/probe` serve (the Prometheus text format and
 * OpenMetrics): each sample line's series and value, and its name and labels on demand. For the
 * tests, the bench and the scripts; an assertion on the literal exposition text stays a string
 * match.
 *
 * @module
 */

/** A parsed exposition: each series, `name{labels}` as written, → its value. */
export type Series = ReadonlyMap<string, number>;

/** One sample of a series: its key as written, its labels and its value. */
export interface Sample {
  readonly key: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Where a sample line's series ends: after its name, and after its `{…}` if it has labels. */
function seriesEnd(line: string): number {
  const brace = line.indexOf('{');
  const space = line.search(/\s/);
  if (brace === -1 || (space !== -1 && space < brace)) return space === -1 ? line.length : space;
  let quoted = false;
  for (let at = brace + 1; at < line.length; at++) {
    const char = line[at];
    if (quoted && char === '\\') at++;
    else if (char === '"') quoted = !quoted;
    else if (!quoted && char === '}') return at + 1;
  }
  throw new Error(`unterminated labels: ${line}`);
}

/**
 * A sample's value as the formats write it. Prometheus reads special values case-insensitively
 * (Go's ParseFloat), and prom-client's text output spells NaN `Nan`, so `NaN`, `Nan`, `+Inf`,
 * `Inf` and `-Inf` are all accepted, in any case.
 */
function sampleNumber(text: string, line: string): number {
  const special = text.toLowerCase();
  if (special === 'nan') return Number.NaN;
  if (special === '+inf' || special === 'inf') return Number.POSITIVE_INFINITY;
  if (special === '-inf') return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`not a sample line: ${line}`);
  return value;
}

/**
 * Every sample line of `text` (comments, `# TYPE`, `# HELP`, `# EOF` and blank lines skipped) as
 * series → value. A timestamp or an exemplar after the value is ignored; a series written twice
 * keeps its last value.
 *
 * @throws {Error} on a line that is not a sample.
 */
export function parseExposition(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const end = seriesEnd(line);
    const [value = ''] = line.slice(end).trim().split(/\s+/);
    series.set(line.slice(0, end), sampleNumber(value, line));
  }
  return series;
}

/** The metric name of a series key: `aaisp_collector_success{…}` → `aaisp_collector_success`. */
export function metricName(key: string): string {
  const brace = key.indexOf('{');
  return brace === -1 ? key : key.slice(0, brace);
}

/** The labels of a series key, values unescaped: `x{a="1",b="\"q\""}` → `{ a: '1', b: '"q"' }`. */
export function labelsOf(key: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const brace = key.indexOf('{');
  if (brace === -1) return labels;
  for (const match of key.slice(brace).matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
    labels[match[1] ?? ''] = (match[2] ?? '').replace(/\\(.)/g, (_, char: string) =>
      char === 'n' ? '\n' : char,
    );
  }
  return labels;
}

/** Every sample of metric `name` whose labels include all of `labels`, in exposition order. */
export function samplesOf(
  series: Series,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Sample[] {
  const samples: Sample[] = [];
  for (const [key, value] of series) {
    if (metricName(key) !== name) continue;
    const own = labelsOf(key);
    if (Object.entries(labels).every(([label, text]) => own[label] === text)) {
      samples.push({ key, labels: own, value });
    }
  }
  return samples;
}

/**
 * The sum of every sample of metric `name` whose labels include all of `labels` (so one value
 * when they pick a single series); undefined when none does.
 */
export function sampleValue(
  series: Series,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const samples = samplesOf(series, name, labels);
  return samples.length === 0 ? undefined : samples.reduce((sum, sample) => sum + sample.value, 0);
}
