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
  /** The seed design's concept, e.g. "SNR". */
  readonly concept: string;
  /** A seed-style metric name, reconstructed from the concept (the seed's exact names are lost). */
  readonly seedName: string;
  /** Our metric, or `undefined` when CHAOS v2 does not provide the data. */
  readonly ours: string | undefined;
  /** Why, or what to know when migrating. */
  readonly note: string;
}

const NO_INFO_FIELD = 'CHAOS v2 `broadband/info` has no such field; chaos-api.md §3.2 lists every field';

/** From the seed design's metrics to ours: design §5, "what the seed design listed". */
export const MIGRATION: readonly MigrationRow[] = [
  {
    concept: 'download sync rate',
    seedName: 'aaisp_line_sync_rate_down_bps',
    ours: 'aaisp_broadband_sync_download_bits_per_second',
    note: 'From `tx_rate` (what A&A transmits is the customer’s download). Same unit, bits per second.',
  },
  {
    concept: 'upload sync rate',
    seedName: 'aaisp_line_sync_rate_up_bps',
    ours: 'aaisp_broadband_sync_upload_bits_per_second',
    note: 'From `rx_rate`.',
  },
  {
    concept: 'monthly quota',
    seedName: 'aaisp_quota_monthly_bytes',
    ours: 'aaisp_broadband_quota_total_bytes',
    note: 'Limited lines only; an unlimited line has `aaisp_broadband_quota_limited 0` instead of a 0 total.',
  },
  {
    concept: 'quota remaining',
    seedName: 'aaisp_quota_remaining_bytes',
    ours: 'aaisp_broadband_quota_remaining_bytes',
    note: 'May exceed the monthly total (rollover bonus, top-ups).',
  },
  {
    concept: 'quota used',
    seedName: 'aaisp_quota_used_bytes',
    ours: 'aaisp_broadband_quota_used_bytes',
    note: 'Total minus remaining; negative when rollover exceeds use. Also as a fraction: `aaisp_broadband_quota_used_ratio`.',
  },
  {
    concept: 'throughput',
    seedName: 'aaisp_line_traffic_bytes_total',
    ours: undefined,
    note: `${NO_INFO_FIELD}. \`broadband/usage\` exists, but no source shows its answer (chaos-api.md §3.4, §10). The nearest is \`aaisp_broadband_quota_used_bytes\`, updated when CHAOS recomputes the quota.`,
  },
  {
    concept: 'service up/down',
    seedName: 'aaisp_line_up',
    ours: undefined,
    note: 'Line up/down: v2 exposes no session state (v1 had `login-time`/`logout-time`). A down line may report a sync rate of 0, its last rate or none; nobody knows which (chaos-api.md §3.2, §10).',
  },
  {
    concept: 'line state',
    seedName: 'aaisp_line_state',
    ours: undefined,
    note: `${NO_INFO_FIELD}: no state, status or session field.`,
  },
  {
    concept: 'SNR',
    seedName: 'aaisp_line_snr_margin_db',
    ours: undefined,
    note: `${NO_INFO_FIELD}.`,
  },
  {
    concept: 'attenuation',
    seedName: 'aaisp_line_attenuation_db',
    ours: undefined,
    note: `${NO_INFO_FIELD}.`,
  },
  {
    concept: 'FEC errors',
    seedName: 'aaisp_line_fec_errors_total',
    ours: undefined,
    note: `${NO_INFO_FIELD}: no error counters.`,
  },
  {
    concept: 'CRC errors',
    seedName: 'aaisp_line_crc_errors_total',
    ours: undefined,
    note: `${NO_INFO_FIELD}: no error counters.`,
  },
  {
    concept: 'latency',
    seedName: 'aaisp_line_latency_seconds',
    ours: undefined,
    note: 'No CHAOS v2 command returns it (chaos-api.md §1 lists the commands). A&A’s CQM data (latency, loss, traffic) is a CSV on control.aa.net.uk, not part of CHAOS (chaos-api.md §8).',
  },
  {
    concept: 'jitter',
    seedName: 'aaisp_line_jitter_seconds',
    ours: undefined,
    note: 'No CHAOS v2 command returns it (chaos-api.md §1 lists the commands).',
  },
  {
    concept: 'packet loss',
    seedName: 'aaisp_line_packet_loss_ratio',
    ours: undefined,
    note: 'No CHAOS v2 command returns it (chaos-api.md §1); the CQM CSV’s loss figures are not part of CHAOS (§8).',
  },
  {
    concept: 'telephony call count',
    seedName: 'aaisp_telephony_calls_total',
    ours: undefined,
    note: 'v2 telephony has `ratecard`, `services` and `info`, and no call records (chaos-api.md §5); v1’s VoIP usage records did not carry over (§6).',
  },
  {
    concept: 'telephony call cost',
    seedName: 'aaisp_telephony_call_cost_pence_total',
    ours: undefined,
    note: 'No call records in v2 (chaos-api.md §5). What calls would cost is available: `aaisp_telephony_rate_pence_per_minute`, `aaisp_telephony_rate_min_charge_pence`.',
  },
  {
    concept: 'domain data',
    seedName: 'aaisp_domains',
    ours: undefined,
    note: 'The `domain` subsystem is “TBA” in A&A’s documentation and answers “Unknown command” (chaos-api.md §6).',
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
      `| ${cell(row.concept)}: ${code(row.seedName)} | ${row.ours === undefined ? 'not available from CHAOS v2' : code(row.ours)} | ${cell(row.note)} |`,
  );
  return ['| original design (concept: metric) | this package | reason or note |', '|---|---|---|', ...rows];
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
    'A metric appears only when CHAOS sent the data behind it: absent input gives an absent series, never a fake zero.',
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
    '**Defined by `apps/exporter` (not yet implemented).** These come from the exporter, not from a collector, and are listed here from the design so that the reference is complete.',
    '',
    ...metricTable(EXPORTER_SELF_METRICS),
    '',
    '## Migration from the original design',
    '',
    'The original (seed) design’s metrics, mapped to ours. Its exact metric names are not preserved: the names in the first column are reconstructed from the original design’s concept list (sync rates, quota, throughput, service up/down, line state, SNR, attenuation, FEC/CRC errors, latency/jitter/loss, telephony call counts and costs, domain data), so match them to your dashboards by concept. Where CHAOS v2 has no data for a concept, this package does not invent a metric.',
    '',
    ...migrationTable(),
    '',
  ];
  return lines.join('\n');
}
