/**
 * The metric catalog the deploy tests check names against: what the exporter really exposes.
 * Collector metrics come from the exporter's collector bindings (`@aaisp/collectors`' definitions,
 * plus the exporter's own per-line `aaisp_cqm_fetch_success`); the exporter's self-metrics
 * from its data module, `src/telemetry/self-metric-definitions.ts`. Also a
 * reader for the catalog tables in `docs/metrics.md` (not its migration table, whose left column
 * holds the original exporter's names), so the tests can check both sources agree.
 */

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import * as z from 'zod';
import { REPO_ROOT, readRepoFile } from '../../harness/repo.ts';
import { BINDINGS } from '../../src/collectors/index.ts';
import { SELF_METRIC_DEFINITIONS } from '../../src/telemetry/self-metric-definitions.ts';

/** Prometheus metric types the catalog holds. */
export type CatalogType = 'gauge' | 'counter' | 'histogram';

/** One metric family: its name, type and labels (`account` aside, which any series may carry). */
export interface CatalogMetric {
  readonly name: string;
  readonly type: CatalogType;
  readonly labels: readonly string[];
}

const METRICS_DOC = new URL('docs/metrics.md', REPO_ROOT);

/** The exporter's self-metrics, from their definitions (`src/telemetry/self-metric-definitions.ts`). */
export function selfMetrics(): CatalogMetric[] {
  return SELF_METRIC_DEFINITIONS.map(({ name, type, labels }) => ({ name, type, labels }));
}

/** Every metric the exporter exposes (apart from prom-client's process_* and nodejs_*), by name. */
export function metricCatalog(): Map<string, CatalogMetric> {
  const all: CatalogMetric[] = [
    ...BINDINGS.flatMap(({ collector }) =>
      collector.metrics.map((metric) => ({ name: metric.name, type: metric.type, labels: metric.labels })),
    ),
    ...selfMetrics(),
  ];
  return new Map(all.map((metric) => [metric.name, metric]));
}

/**
 * The metrics `docs/metrics.md` documents: the rows of its catalog tables (`| \`name\` | type |`),
 * stopping at the "Migration from the original design" section.
 */
export function documentedMetrics(): Map<string, CatalogMetric> {
  const doc = readFileSync(METRICS_DOC, 'utf8');
  const migration = doc.indexOf('\n## Migration');
  if (migration < 0) throw new Error('docs/metrics.md has no "## Migration" section to stop at');
  // | `name` | type | unit | `label`, `label` (or –) | help |
  const rows = doc
    .slice(0, migration)
    .matchAll(/^\| `(aaisp_[a-z0-9_]+)` \| (gauge|counter|histogram) \| [^|]* \| ([^|]*) \|/gm);
  return new Map(
    [...rows].map(([, name, type, labels]) => [
      name ?? '',
      {
        name: name ?? '',
        type: type as CatalogType,
        labels: [...(labels ?? '').matchAll(/`([a-z_]+)`/g)].map(([, label]) => label ?? ''),
      },
    ]),
  );
}

/** Suffixes of a histogram's series. */
const HISTOGRAM_SERIES = ['_bucket', '_sum', '_count'] as const;

/**
 * Whether `name` is a series name the catalog allows: a metric as named, or a histogram's
 * `_bucket`, `_sum` or `_count` series.
 */
export function isCatalogSeries(catalog: ReadonlyMap<string, CatalogMetric>, name: string): boolean {
  if (catalog.has(name)) return catalog.get(name)?.type !== 'histogram';
  return HISTOGRAM_SERIES.some(
    (suffix) => name.endsWith(suffix) && catalog.get(name.slice(0, -suffix.length))?.type === 'histogram',
  );
}

/** The names a PromQL expression (or any text) uses. */
export interface UsedNames {
  /** Recording-rule names (`aaisp:…`). */
  readonly records: string[];
  /** Metric names (`aaisp_…`), recording-rule names excluded. */
  readonly metrics: string[];
}

/** Finds `aaisp:…` recording-rule names and `aaisp_…` metric names in `text`. */
export function usedNames(text: string): UsedNames {
  const records = [...text.matchAll(/\baaisp:[a-zA-Z0-9_:]*[a-zA-Z0-9_]/g)].map(([name]) => name);
  const rest = text.replace(/\baaisp:[a-zA-Z0-9_:]*/g, ' ');
  const metrics = [...rest.matchAll(/\baaisp_[a-z0-9_]+/g)].map(([name]) => name);
  return { records: [...new Set(records)], metrics: [...new Set(metrics)] };
}

/** One rule of a Prometheus rule file (recording or alerting). */
export interface Rule {
  readonly record?: string | undefined;
  readonly alert?: string | undefined;
  readonly expr: string;
  readonly for?: string | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
  readonly annotations?: Readonly<Record<string, string>> | undefined;
}

/** One group of a Prometheus rule file. */
export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly Rule[];
}

const RuleFile = z.object({
  groups: z.array(
    z.object({
      name: z.string(),
      rules: z.array(
        z.strictObject({
          record: z.string().optional(),
          alert: z.string().optional(),
          expr: z.string(),
          for: z.string().optional(),
          labels: z.record(z.string(), z.string()).optional(),
          annotations: z.record(z.string(), z.string()).optional(),
        }),
      ),
    }),
  ),
});

/** Parses a rule file of deploy/prometheus (a path from the repository root). */
export function ruleGroups(path: string): RuleGroup[] {
  return RuleFile.parse(parse(readRepoFile(path))).groups;
}

/** The recording-rule names of deploy/prometheus/rules.yml. */
export function recordNames(): Set<string> {
  return new Set(
    ruleGroups('deploy/prometheus/rules.yml').flatMap((group) =>
      group.rules.flatMap((rule) => (rule.record === undefined ? [] : [rule.record])),
    ),
  );
}
