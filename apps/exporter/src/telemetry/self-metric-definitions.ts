/**
 * The exporter's own metrics, declared once as data: `self-metrics.ts` builds its prom-client
 * metrics from these, `docs/metrics.md` (the metric catalog) is rendered from them
 * (`src/docs/metrics-reference.ts`), and the deploy tests check rules and dashboards against them.
 * Their names, types and labels are a public contract, like the collectors' metrics.
 *
 * @module
 */

/** Prometheus metric types the self-metrics use. */
export type SelfMetricType = 'gauge' | 'counter' | 'histogram';

/** One self-metric family. */
export interface SelfMetricDefinition {
  /** Full name, e.g. `aaisp_collector_duration_seconds`. Only counters end in `_total`. */
  readonly name: string;
  readonly type: SelfMetricType;
  /** One line for `# HELP`, served on `/metrics` and printed in `docs/metrics.md` alike. */
  readonly help: string;
  /** Base unit the name ends in (`seconds`), or `""`. */
  readonly unit: string;
  /** Label names, in order, `account` aside (see {@link SelfMetricDefinition.perAccount}). */
  readonly labels: readonly string[];
  /**
   * Whether the series are per account: with several accounts configured they also carry
   * `account`, as the last label. The exporter-wide ones (build info, up) never do.
   */
  readonly perAccount: boolean;
  /** Histogram bucket upper bounds, in the metric's unit; histograms only. */
  readonly buckets?: readonly number[];
}

/** Buckets from 50 ms to 2 min: CHAOS answers in well under a second, or times out at 30 s. */
export const DURATION_BUCKETS: readonly number[] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** `aaisp_exporter_build_info`: always 1. */
export const buildInfo: SelfMetricDefinition = {
  name: 'aaisp_exporter_build_info',
  type: 'gauge',
  help: 'Exporter build (always 1): its version and the Node.js version it runs on.',
  unit: '',
  labels: ['version', 'node_version'],
  perAccount: false,
};

/** `aaisp_exporter_up`: always 1. */
export const exporterUp: SelfMetricDefinition = {
  name: 'aaisp_exporter_up',
  type: 'gauge',
  help: 'Always 1 while the exporter is serving.',
  unit: '',
  labels: [],
  perAccount: false,
};

/** `aaisp_collector_duration_seconds`, observed after every collector run. */
export const collectorDuration: SelfMetricDefinition = {
  name: 'aaisp_collector_duration_seconds',
  type: 'histogram',
  help: 'Duration of each collector run, CHAOS call included, in seconds.',
  unit: 'seconds',
  labels: ['collector', 'tier'],
  perAccount: true,
  buckets: DURATION_BUCKETS,
};

/** `aaisp_collector_success`: 1 or 0, from the last run. */
export const collectorSuccess: SelfMetricDefinition = {
  name: 'aaisp_collector_success',
  type: 'gauge',
  help: '1 when the last run of the collector succeeded, 0 when it failed.',
  unit: '',
  labels: ['collector'],
  perAccount: true,
};

/** `aaisp_collector_errors_total`, by the run's outcome. */
export const collectorErrors: SelfMetricDefinition = {
  name: 'aaisp_collector_errors_total',
  type: 'counter',
  help: 'Failed collector runs, by error type (the SDK error kind, or internal).',
  unit: '',
  labels: ['collector', 'error_type'],
  perAccount: true,
};

/** `aaisp_collector_last_success_timestamp_seconds`. */
export const collectorLastSuccess: SelfMetricDefinition = {
  name: 'aaisp_collector_last_success_timestamp_seconds',
  type: 'gauge',
  help: 'When the collector last succeeded, as Unix seconds.',
  unit: 'seconds',
  labels: ['collector'],
  perAccount: true,
};

/** `aaisp_api_requests_total`, after every CHAOS HTTP attempt. */
export const apiRequests: SelfMetricDefinition = {
  name: 'aaisp_api_requests_total',
  type: 'counter',
  help: 'CHAOS HTTP attempts, by command and outcome (ok or the SDK error kind).',
  unit: '',
  labels: ['subsystem', 'command', 'outcome'],
  perAccount: true,
};

/** `aaisp_api_request_duration_seconds`, after every CHAOS HTTP attempt. */
export const apiRequestDuration: SelfMetricDefinition = {
  name: 'aaisp_api_request_duration_seconds',
  type: 'histogram',
  help: 'Duration of each CHAOS HTTP attempt, in seconds.',
  unit: 'seconds',
  labels: ['subsystem', 'command'],
  perAccount: true,
  buckets: DURATION_BUCKETS,
};

/** Every self-metric, in the order `/metrics` serves them. */
export const SELF_METRIC_DEFINITIONS: readonly SelfMetricDefinition[] = [
  buildInfo,
  exporterUp,
  collectorDuration,
  collectorSuccess,
  collectorErrors,
  collectorLastSuccess,
  apiRequests,
  apiRequestDuration,
];

/**
 * prom-client's default process metrics (`process_*`, `nodejs_*`) are served too, except these:
 * prom-client names them `…_total` though they are gauges, a suffix Prometheus reserves for
 * counters (promtool rejects them).
 */
export const DROPPED_DEFAULT_METRICS: readonly string[] = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];
