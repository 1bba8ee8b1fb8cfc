/**
 * Renders `docs/metrics.md`, the metrics reference, from the collectors' own metric definitions,
 * so that the reference cannot drift from the code. `scripts/docs-metrics.ts` writes the file and
 * `docs-metrics.test.ts` fails when it is out of date.
 *
 * @module
 */

import type { MetricDefinition } from './index.ts';
import { collectors } from './index.ts';

/** A metric the exporter app defines about itself; not produced by any collector. */
export interface SelfMetric {
  readonly name: string;
  readonly type: 'gauge' | 'counter' | 'histogram';
  readonly unit: string;
  readonly labels: readonly string[];
  readonly help: string;
}

/**
 * The exporter's self-metrics, as design §5 lists them. `apps/exporter` will define them; they
 * are listed here so that the reference is complete.
 */
export const EXPORTER_SELF_METRICS: readonly SelfMetric[] = [
  {
    name: 'aaisp_exporter_build_info',
    type: 'gauge',
    unit: '',
    labels: ['version', 'node_version'],
    help: 'Exporter build (always 1): its version and the Node.js version it runs on.',
  },
  {
    name: 'aaisp_exporter_up',
    type: 'gauge',
    unit: '',
    labels: [],
    help: 'Always 1 while the exporter is serving.',
  },
  {
    name: 'aaisp_collector_duration_seconds',
    type: 'histogram',
    unit: 'seconds',
    labels: ['collector', 'tier'],
    help: 'How long each collector run took, CHAOS call included.',
  },
  {
    name: 'aaisp_collector_success',
    type: 'gauge',
    unit: '',
    labels: ['collector'],
    help: '1 when the last run of the collector succeeded, 0 when it failed.',
  },
  {
    name: 'aaisp_collector_errors_total',
    type: 'counter',
    unit: '',
    labels: ['collector', 'error_type'],
    help: 'Failed collector runs, by error type (the ChaosError kind).',
  },
  {
    name: 'aaisp_collector_last_success_timestamp_seconds',
    type: 'gauge',
    unit: 'seconds',
    labels: ['collector'],
    help: 'When the collector last succeeded, as Unix seconds.',
  },
  {
    name: 'aaisp_api_requests_total',
    type: 'counter',
    unit: '',
    labels: ['subsystem', 'command', 'outcome'],
    help: 'CHAOS HTTP attempts, by command and outcome (ok or a ChaosError kind).',
  },
  {
    name: 'aaisp_api_request_duration_seconds',
    type: 'histogram',
    unit: 'seconds',
    labels: ['subsystem', 'command'],
    help: 'Duration of each CHAOS HTTP attempt.',
  },
];

/** One row of the migration table: a metric of the original (seed) design and what replaces it. */
export interface MigrationRow {
  /** The seed exporter's metric name, or a concept in parentheses where it had no metric for it. */
  readonly seed: string;
  /** Our metric, or `undefined` when CHAOS v2 does not provide the data. */
  readonly ours: string | undefined;
  /** Why, or what to know when migrating. */
  readonly note: string;
}

const NO_INFO_FIELD = 'CHAOS v2 `broadband/info` has no such field; chaos-api.md §3.2 lists every field';
const LABELS =
  'Label `service` is now `line_id`; `login` moved to `aaisp_broadband_line_info` (join on `line_id`).';

/**
 * From the seed exporter's metrics (rknightion/aaisp-exporter README, whose `AAISP_EXPORTER_…`
 * variables we keep) to ours, plus the concepts design §5 lists that CHAOS v2 cannot provide.
 */
export const MIGRATION: readonly MigrationRow[] = [
  {
    seed: 'aaisp_broadband_quota_total_bytes',
    ours: 'aaisp_broadband_quota_total_bytes',
    note: `Same name; limited lines only (unlimited lines have \`aaisp_broadband_quota_limited 0\`). ${LABELS}`,
  },
  {
    seed: 'aaisp_broadband_quota_used_bytes',
    ours: 'aaisp_broadband_quota_used_bytes',
    note: `Same name; negative when rollover exceeds use. ${LABELS}`,
  },
  {
    seed: 'aaisp_broadband_quota_remaining_bytes',
    ours: 'aaisp_broadband_quota_remaining_bytes',
    note: `Same name; may exceed the monthly total. ${LABELS}`,
  },
  {
    seed: 'aaisp_broadband_quota_percentage',
    ours: 'aaisp_broadband_quota_used_ratio',
    note: 'A ratio (0.42) instead of a percentage (42): multiply by 100 in queries.',
  },
  {
    seed: 'aaisp_broadband_line_sync_download_bps',
    ours: 'aaisp_broadband_sync_download_bits_per_second',
    note: `From \`tx_rate\` (A&A transmits: the customer’s download). Same unit. ${LABELS}`,
  },
  {
    seed: 'aaisp_broadband_line_sync_upload_bps',
    ours: 'aaisp_broadband_sync_upload_bits_per_second',
    note: `From \`rx_rate\`. Same unit. ${LABELS}`,
  },
  {
    seed: 'aaisp_broadband_throughput_download_bps',
    ours: undefined,
    note: `${NO_INFO_FIELD}. \`broadband/usage\` exists but no source shows its answer (§3.4).`,
  },
  { seed: 'aaisp_broadband_throughput_upload_bps', ours: undefined, note: `${NO_INFO_FIELD}.` },
  {
    seed: 'aaisp_broadband_service_up',
    ours: undefined,
    note: 'v2 exposes no session state (v1 had login-time/logout-time); a down line may report 0, its last rate or nothing (chaos-api.md §3.2, §10).',
  },
  {
    seed: 'aaisp_broadband_service_info',
    ours: 'aaisp_broadband_line_info',
    note: 'Labels `line_id`, `login`, `name` (and `postcode` when enabled); `line_type` and `package` are not in CHAOS v2 `info`.',
  },
  { seed: 'aaisp_exporter_up', ours: 'aaisp_exporter_up', note: 'Same name and meaning.' },
  {
    seed: 'aaisp_exporter_build_info',
    ours: 'aaisp_exporter_build_info',
    note: 'Labels `version`, `node_version`.',
  },
  {
    seed: 'aaisp_collector_duration_seconds',
    ours: 'aaisp_collector_duration_seconds',
    note: 'Labels `collector`, `tier`.',
  },
  {
    seed: 'aaisp_collector_errors_total',
    ours: 'aaisp_collector_errors_total',
    note: 'Label `error_type` is the SDK error kind (`auth`, `timeout`, …).',
  },
  {
    seed: 'aaisp_collector_last_successful_collection_timestamp',
    ours: 'aaisp_collector_last_success_timestamp_seconds',
    note: 'Renamed to carry its unit.',
  },
  { seed: '(line state)', ours: undefined, note: `${NO_INFO_FIELD}: no state, status or session field.` },
  { seed: '(SNR margin, attenuation)', ours: undefined, note: `${NO_INFO_FIELD}.` },
  { seed: '(FEC/CRC error counters)', ours: undefined, note: `${NO_INFO_FIELD}: no error counters.` },
  {
    seed: '(latency, jitter, packet loss)',
    ours: undefined,
    note: 'No CHAOS v2 command returns them (chaos-api.md §1); A&A’s CQM graphs are a CSV on control.aa.net.uk, not CHAOS (§8).',
  },
  {
    seed: '(telephony call counts and costs)',
    ours: undefined,
    note: 'v2 telephony has `ratecard`, `services` and `info` and no call records (chaos-api.md §5, §6). Rates are available: `aaisp_telephony_rate_pence_per_minute`.',
  },
  {
    seed: '(domain data)',
    ours: undefined,
    note: 'The `domain` subsystem is “TBA” in A&A’s manual and answers “Unknown command” (chaos-api.md §6).',
  },
];

/** Notes on labels that are not always present, keyed by label name. */
const LABEL_NOTES: Readonly<Record<string, string>> = {
  postcode:
    'only when the caller passes `includePostcode: true` (personal data, off by default); trimmed of stray whitespace',
};

/** Escapes a table cell: pipes would end it, newlines would end the row. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll(/\r?\n/g, ' ');
}

function code(text: string): string {
  return `\`${text}\``;
}

function labelList(labels: readonly string[]): string {
  return labels.length === 0 ? '–' : labels.map(code).join(', ');
}

/** What a metric table shows: a collector's definitions and the self-metrics both fit. */
type TableMetric = Pick<MetricDefinition, 'name' | 'unit' | 'labels' | 'help'> & { readonly type: string };

function metricTable(metrics: readonly TableMetric[]): string[] {
  const rows = metrics.map(
    (metric) =>
      `| ${code(metric.name)} | ${metric.type} | ${metric.unit === '' ? '–' : code(metric.unit)} | ${labelList(metric.labels)} | ${cell(metric.help)} |`,
  );
  return ['| metric | type | unit | labels | help |', '|---|---|---|---|---|', ...rows];
}

function labelNotes(metrics: readonly { readonly labels: readonly string[] }[]): string[] {
  const used = new Set(metrics.flatMap((metric) => metric.labels));
  const notes = Object.entries(LABEL_NOTES).filter(([label]) => used.has(label));
  if (notes.length === 0) return [];
  return ['', ...notes.map(([label, note]) => `- ${code(label)}: ${note}.`)];
}

function collectorSection(collector: (typeof collectors)[number]): string[] {
  const { commands } = collector;
  return [
    `### ${code(collector.name)}`,
    '',
    `CHAOS ${commands.length === 1 ? 'command' : 'commands'}: ${commands.map(code).join(', ')}.`,
    '',
    ...metricTable(collector.metrics),
    ...labelNotes(collector.metrics),
    '',
  ];
}

function migrationTable(): string[] {
  const rows = MIGRATION.map(
    (row) =>
      `| ${row.seed.startsWith('(') ? cell(row.seed) : code(row.seed)} | ${row.ours === undefined ? 'not available from CHAOS v2' : code(row.ours)} | ${cell(row.note)} |`,
  );
  return ['| original design | this package | reason or note |', '|---|---|---|', ...rows];
}

/**
 * Builds the Markdown of `docs/metrics.md` from the {@link collectors} registry, the exporter's
 * self-metrics and the migration table. Pure: same code, same text.
 */
export function renderMetricsDoc(): string {
  const lines = [
    '<!-- Generated by `pnpm docs:metrics` (packages/collectors/scripts/docs-metrics.ts) from the metric definitions. Do not edit by hand. -->',
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
    '## Collectors (`@aaisp/collectors`)',
    '',
    ...collectors.flatMap(collectorSection),
    '## Exporter self-metrics',
    '',
    '**Defined by `apps/exporter`.** These come from the exporter, not from a collector. With several accounts, the per-collector and per-request series also carry `account`.',
    '',
    ...metricTable(EXPORTER_SELF_METRICS),
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
