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

/**
 * `aaisp_exporter_config_last_reload_successful`: Prometheus' own name for it. The start counts as
 * the first reload; a reload (SIGHUP, `POST /-/reload`) whose files do not validate sets it to 0
 * and leaves the previous configuration in force.
 */
export const configLastReloadSuccessful: SelfMetricDefinition = {
  name: 'aaisp_exporter_config_last_reload_successful',
  type: 'gauge',
  help: 'Whether the last configuration reload succeeded (1) or was refused and the previous configuration kept (0); the start counts as one.',
  unit: '',
  labels: [],
  perAccount: false,
};

/** `aaisp_exporter_config_last_reload_success_timestamp_seconds`: Prometheus' own name for it. */
export const configLastReloadSuccess: SelfMetricDefinition = {
  name: 'aaisp_exporter_config_last_reload_success_timestamp_seconds',
  type: 'gauge',
  help: 'When the configuration was last loaded successfully (at start or by a reload), as Unix seconds.',
  unit: 'seconds',
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

/**
 * `aaisp_collector_success`: 1 or 0, from the last run; 0 for every collector of an account from
 * the moment its auth breaker opens (its runs are skipped then) until each collector's next
 * successful run.
 */
export const collectorSuccess: SelfMetricDefinition = {
  name: 'aaisp_collector_success',
  type: 'gauge',
  help: '1 when the last run of the collector succeeded, 0 when it failed or its account is paused after an auth refusal.',
  unit: '',
  labels: ['collector'],
  perAccount: true,
};

/**
 * `aaisp_collector_errors_total`, by the run's outcome. Created at 0 at start for every planned
 * collector, account and error type (every SDK error kind, and `internal`), so `increase()` sees
 * the first error too.
 */
export const collectorErrors: SelfMetricDefinition = {
  name: 'aaisp_collector_errors_total',
  type: 'counter',
  help: 'Failed collector runs, by error type (the SDK error kind, or internal); 0 from the start for every type.',
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

/**
 * `aaisp_collector_interval_seconds`: the configured interval of the collector's tier
 * (`AAISP_EXPORTER_INTERVALS__*`), set once at start for every planned collector (and account),
 * so rules need not assume the defaults.
 */
export const collectorInterval: SelfMetricDefinition = {
  name: 'aaisp_collector_interval_seconds',
  type: 'gauge',
  help: "How often the collector runs: its tier's configured interval, in seconds.",
  unit: 'seconds',
  labels: ['collector', 'tier'],
  perAccount: true,
};

/**
 * `aaisp_collector_max_age_seconds`: how old the collector's data may get before it is dropped
 * from `/metrics` (3 × the tier's interval), set once at start like the interval.
 * `time() - aaisp_collector_last_success_timestamp_seconds` above it means the data is gone.
 */
export const collectorMaxAge: SelfMetricDefinition = {
  name: 'aaisp_collector_max_age_seconds',
  type: 'gauge',
  help: "How old the collector's data may get before it is no longer served (3 x its tier's interval), in seconds.",
  unit: 'seconds',
  labels: ['collector', 'tier'],
  perAccount: true,
};

/**
 * `aaisp_account_auth_paused`: 1 from CHAOS' refusal of the account's credentials until a run of
 * that account succeeds (no call is made for it meanwhile), else 0; present at 0 from the start
 * for every account this replica collects. Like every per-account series it carries `account`
 * only when several accounts are configured: with one, the unlabelled series is that account's.
 */
export const accountAuthPaused: SelfMetricDefinition = {
  name: 'aaisp_account_auth_paused',
  type: 'gauge',
  help: "1 while the account's auth breaker pauses its calls (CHAOS refused the credentials and no run has succeeded since), else 0.",
  unit: '',
  labels: [],
  perAccount: true,
};

/**
 * `aaisp_account_auth_paused_until_timestamp_seconds`: while the account is paused, when its
 * pause ends (the first tier run after it tries CHAOS again). Absent, not 0, when the account is
 * not paused; in the past once the pause has ended and that run has not yet happened.
 */
export const accountAuthPausedUntil: SelfMetricDefinition = {
  name: 'aaisp_account_auth_paused_until_timestamp_seconds',
  type: 'gauge',
  help: 'While the account is paused after an auth refusal: when the pause ends and calls may resume, as Unix seconds. Absent otherwise.',
  unit: 'seconds',
  labels: [],
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
  configLastReloadSuccessful,
  configLastReloadSuccess,
  collectorDuration,
  collectorSuccess,
  collectorErrors,
  collectorLastSuccess,
  collectorInterval,
  collectorMaxAge,
  accountAuthPaused,
  accountAuthPausedUntil,
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
