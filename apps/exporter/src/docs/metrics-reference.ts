/**
 * Renders `docs/metrics.md`, the metrics reference, from the definitions the exporter runs on: the
 * collector bindings (`../collectors/`: tier, CHAOS command, enable flag, optional policy, and each
 * `@aaisp/collectors` collector's metric definitions), the self-metric data
 * (`../telemetry/self-metric-definitions.ts`) and the migration table (`./migration.ts`), so the
 * reference cannot drift from the code. `scripts/docs-metrics.ts` writes the file and
 * `metrics-reference.test.ts` fails when it is out of date.
 *
 * @module
 */

import type { MetricDefinition } from '@aaisp/collectors';
import {
  BINDINGS,
  type CollectorBinding,
  enableSettings,
  nameOf,
  type SourceDocs,
} from '../collectors/index.ts';
import { PREFIX } from '../config/config.ts';
import { DEFAULT_REPROBE_MS } from '../schedule/reprobe.ts';
import { DROPPED_DEFAULT_METRICS, SELF_METRIC_DEFINITIONS } from '../telemetry/self-metric-definitions.ts';
import { cell, code, labelList, listOf, table } from './markdown.ts';
import { MIGRATION } from './migration.ts';

/** The command that rewrites `docs/metrics.md`, run from the repository root. */
export const REGENERATE_COMMAND = 'npx -y pnpm@12.21.0 docs:metrics';

/** Notes on labels that are not always present, keyed by label name. */
const LABEL_NOTES: Readonly<Record<string, string>> = {
  postcode: `only when the caller passes \`includePostcode: true\` (personal data, off by default; in the exporter, \`${PREFIX}COLLECTORS__INCLUDE_POSTCODE=true\`); trimmed of stray whitespace`,
};

/** What a metric table shows: a collector's definitions and the self-metrics both fit. */
type TableMetric = Pick<MetricDefinition, 'name' | 'unit' | 'labels' | 'help'> & { readonly type: string };

function metricTable(metrics: readonly TableMetric[]): string[] {
  return table(
    ['metric', 'type', 'unit', 'labels', 'help'],
    metrics.map((metric) => [
      code(metric.name),
      metric.type,
      metric.unit === '' ? '–' : code(metric.unit),
      labelList(metric.labels),
      cell(metric.help),
    ]),
  );
}

function labelNotes(metrics: readonly { readonly labels: readonly string[] }[]): string[] {
  const used = new Set(metrics.flatMap((metric) => metric.labels));
  const notes = Object.entries(LABEL_NOTES).filter(([label]) => used.has(label));
  if (notes.length === 0) return [];
  return ['', ...notes.map(([label, note]) => `- ${code(label)}: ${note}.`)];
}

/** How the docs describe `binding`'s source when it is not CHAOS; `undefined` for a CHAOS command. */
const nonChaosSource = (binding: CollectorBinding): SourceDocs | undefined => binding.source.docs;

/** The table of what the exporter runs: one row per binding. */
function collectorTable(bindings: readonly CollectorBinding[]): string[] {
  const settings = enableSettings(bindings);
  const rows = bindings.map((binding) => {
    const setting = settings.find((candidate) => candidate.flag === binding.enable.flag);
    const other = nonChaosSource(binding);
    return [
      code(nameOf(binding)),
      binding.tier,
      other?.command ?? binding.collector.commands.map(code).join(', '),
      setting === undefined ? '–' : code(`${PREFIX}${setting.variable}`),
      code(String(binding.enable.default)),
      other?.optional ?? (binding.optional ? 'yes' : 'no'),
    ];
  });
  return table(['collector', 'tier', 'CHAOS command', 'enable variable', 'default', 'optional'], rows);
}

/** The intro's sentence on the collectors that call no CHAOS command, or `''` when every one does. */
function notChaosNote(bindings: readonly CollectorBinding[]): string {
  const others = bindings.filter((binding) => nonChaosSource(binding) !== undefined);
  if (others.length === 0) return '';
  const names = listOf(others.map((binding) => code(nameOf(binding))));
  return others.length === 1
    ? ` ${names} calls no CHAOS command: its section below says where its data comes from and when it runs.`
    : ` ${names} call no CHAOS command: their sections below say where their data comes from and when they run.`;
}

function hours(ms: number): string {
  const h = ms / 3_600_000;
  return `${h} ${h === 1 ? 'hour' : 'hours'}`;
}

function collectorSection(binding: CollectorBinding): string[] {
  const { collector } = binding;
  const { commands } = collector;
  const source =
    nonChaosSource(binding)?.sentence ??
    `CHAOS ${commands.length === 1 ? 'command' : 'commands'}: ${commands.map(code).join(', ')}.`;
  return [
    `### ${code(collector.name)}`,
    '',
    source,
    '',
    ...metricTable(collector.metrics),
    ...labelNotes(collector.metrics),
    '',
  ];
}

function migrationTable(): string[] {
  return table(
    ['original design', 'this package', 'reason or note'],
    MIGRATION.map((row) => [
      row.seed.startsWith('(') ? cell(row.seed) : code(row.seed),
      row.ours === undefined ? 'not available from CHAOS v2' : code(row.ours),
      cell(row.note),
    ]),
  );
}

/**
 * Builds the Markdown of `docs/metrics.md` from `bindings` (the exporter's, by default), the
 * exporter's self-metrics and the migration table. Pure: same code, same text.
 *
 * @throws {Error} when the bindings are inconsistent (see `enableSettings`).
 */
export function renderMetricsReference(bindings: readonly CollectorBinding[] = BINDINGS): string {
  const exporterWide = SELF_METRIC_DEFINITIONS.filter((metric) => !metric.perAccount).map((metric) =>
    code(metric.name),
  );
  const lines = [
    '<!-- Generated by `pnpm docs:metrics` (apps/exporter/scripts/docs-metrics.ts) from the metric definitions and the exporter’s collector bindings. Do not edit by hand. -->',
    '',
    '# Metrics reference',
    '',
    'Every metric the AAISP CHAOS toolkit exposes. The names, types, units and labels are a public contract: changing one is a major version of `@aaisp/collectors`.',
    '',
    'A series appears only when CHAOS sent the data behind it: absent input gives an absent series, never a fake zero. The one deliberate 0 is `aaisp_broadband_quota_limited` for unlimited lines and lines without a quota.',
    '',
    '## The `account` label',
    '',
    'When more than one account is configured, every series, of every metric below, also carries `account`, the account’s configured name. With one account it is left out. Collectors add it when the caller passes `account` in the collect context.',
    '',
    '## Collectors',
    '',
    `What the exporter runs, from its collector bindings (\`apps/exporter/src/collectors/\`). Each run of a CHAOS collector makes one CHAOS call per account, on its tier’s interval.${notChaosNote(bindings)} Set the enable variable to \`true\` or \`false\` to turn a collector on or off; collectors that share a variable go on and off together.`,
    '',
    ...collectorTable(bindings),
    '',
    `An optional (\`yes\`) collector’s command may be missing on an account (telephony without VoIP answers HTTP 500): for it a 500 means “not offered here”, and the command is re-probed rarely (every ${hours(DEFAULT_REPROBE_MS)} by default) instead of backed off. For the other collectors a 500 is a passing fault. An “Unknown command” answer is re-probed the same way for any collector.`,
    '',
    '## Collector metrics (`@aaisp/collectors`)',
    '',
    ...bindings.flatMap(collectorSection),
    '## Exporter self-metrics',
    '',
    `**Defined by \`apps/exporter\`** (\`src/telemetry/self-metric-definitions.ts\`). These come from the exporter, not from a collector. With several accounts, the per-account, per-collector and per-request series also carry \`account\` (all but ${listOf(exporterWide)}).`,
    '',
    ...metricTable(SELF_METRIC_DEFINITIONS),
    '',
    `prom-client’s default process metrics (\`process_*\`, \`nodejs_*\`) are served too, except ${listOf(DROPPED_DEFAULT_METRICS.map(code))}: gauges named \`_total\`, which Prometheus reserves for counters.`,
    '',
    '## Migration from the original design',
    '',
    'The original design’s metrics (the seed exporter whose `AAISP_EXPORTER_…` variables we keep), mapped to ours, followed by the concepts the original design listed that CHAOS v2 cannot provide. Where CHAOS v2 has no data, this package does not invent a metric.',
    '',
    ...migrationTable(),
    '',
  ];
  return lines.join('\n');
}
