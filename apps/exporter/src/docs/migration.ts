/**
 * The migration table of `docs/metrics.md`: from the original design's (the seed exporter's)
 * metric names to ours (line quality from A&A's CQM), and the concepts it listed that neither CHAOS
 * v2 nor CQM can provide. Data only;
 * `./metrics-reference.ts` renders it.
 *
 * @module
 */

/** One row of the migration table: a metric of the original (seed) design and what replaces it. */
export interface MigrationRow {
  /** The seed exporter's metric name, or a concept in parentheses where it had no metric for it. */
  readonly seed: string;
  /** Our metric, or `undefined` when CHAOS v2 does not provide the data. */
  readonly ours: string | undefined;
  /** Why, or what to know when migrating. */
  readonly note: string;
}

/** docs/chaos-api.md, linked from docs/metrics.md beside it. */
const API = '[chaos-api.md](chaos-api.md)';
const NO_INFO_FIELD = `CHAOS v2 \`broadband/info\` has no such field; ${API} §3.2 lists every field`;
/** The CQM rows: not CHAOS, and only for lines whose CQM link is configured. */
const NO_CHAOS = `Not in CHAOS; from A&A's CQM CSV (${API} §11.2), for lines whose CQM link is configured.`;
const LABELS =
  'Label `service` is now `line_id`; `login` moved to `aaisp_broadband_line_info` (join on `line_id`).';

/**
 * From the seed exporter's metrics (rknightion/aaisp-exporter README, whose `AAISP_EXPORTER_…`
 * variables we keep) to ours, plus the concepts the original design listed that CHAOS v2 cannot provide.
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
    ours: 'aaisp_cqm_traffic_bits_per_second',
    note: `${NO_CHAOS} \`direction="down"\` is the CSV's Tx (A&A transmits), the average over the newest 100 s sample [I].`,
  },
  {
    seed: 'aaisp_broadband_throughput_upload_bps',
    ours: 'aaisp_cqm_traffic_bits_per_second',
    note: `${NO_CHAOS} \`direction="up"\` is the CSV's Rx [I].`,
  },
  {
    seed: 'aaisp_broadband_service_up',
    ours: 'aaisp_cqm_offline_seconds_total',
    note: `CHAOS v2 exposes no session state (${API} §3.2, §10). From CQM: \`increase(aaisp_cqm_offline_seconds_total[15m]) > 0\` while the line was down (every echo lost, none sent, or no rows).`,
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
  {
    seed: '(line state)',
    ours: 'aaisp_cqm_offline_seconds_total',
    note: `${NO_INFO_FIELD}: no state field. CQM shows down time after the fact, per 100 s sample; see \`aaisp_broadband_service_up\` above.`,
  },
  { seed: '(SNR margin, attenuation)', ours: undefined, note: `${NO_INFO_FIELD}.` },
  { seed: '(FEC/CRC error counters)', ours: undefined, note: `${NO_INFO_FIELD}: no error counters.` },
  {
    seed: '(latency, jitter)',
    ours: 'aaisp_cqm_latency_seconds',
    note: `${NO_CHAOS} \`stat="min|avg|max"\` of the newest 100 s sample; the max − min spread is the nearest thing to jitter CQM gives (no jitter column).`,
  },
  {
    seed: '(packet loss)',
    ours: 'aaisp_cqm_polls_failed_total',
    note: `${NO_CHAOS} Loss ratio: \`increase(aaisp_cqm_polls_failed_total[15m]) / (increase(aaisp_cqm_polls_sent_total[15m]) > 0)\` (the recording rule \`aaisp:cqm_polls_failed_total:ratio_rate15m\` of deploy/prometheus/rules.yml; the counters step once per fetch, so a 5-minute window often holds no step); the newest sample's share is \`aaisp_cqm_loss_ratio\`.`,
  },
  {
    seed: '(telephony call counts and costs)',
    ours: undefined,
    note: `No source shows call records from v2 telephony (\`ratecard\`, \`services\`, \`info\`; \`usage\` exists but its answer is unknown: ${API} §5, §6). Rates are available: \`aaisp_telephony_rate_pence_per_minute\`.`,
  },
  {
    seed: '(domain data)',
    ours: undefined,
    note: `The \`domain\` subsystem is “TBA” in A&A’s manual and answers “Unknown command” (${API} §6).`,
  },
];
