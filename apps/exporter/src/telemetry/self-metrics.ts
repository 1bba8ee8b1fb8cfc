/**
 * The exporter's own metrics (design §5): build info, collector duration/success/errors/last
 * success, CHAOS API requests through the SDK hooks, and prom-client's default process metrics,
 * all on the app's own registry (never prom-client's global one).
 *
 * @module
 */

import type { ChaosResponseEvent } from '@aaisp/chaos-client';
import type { ExpositionFormat } from '@aaisp/collectors';
import { Counter, collectDefaultMetrics, Gauge, Histogram, type Registry } from 'prom-client';
import type { RunEvent } from '../schedule/scheduler.ts';
import { registryAsOpenMetrics } from './openmetrics.ts';

/** What the self-metrics record. */
export interface SelfMetrics {
  /** After every collector run the scheduler attempted. */
  recordRun(event: RunEvent): void;
  /** After every CHAOS HTTP attempt (an SDK `onResponse` hook). */
  recordApiRequest(event: ChaosResponseEvent, account: string): void;
  /**
   * The exposition of the self-metrics (OpenMetrics without `# EOF`), rendered again only after a
   * run or request was recorded, or once {@link SELF_METRICS_MAX_AGE_MS} has passed (the process
   * metrics read /proc): a scrape does not pay for a render the last one already made.
   */
  render(format: ExpositionFormat): Promise<string>;
}

/** How old the cached process metrics (CPU, memory, handles) may be when served. */
export const SELF_METRICS_MAX_AGE_MS = 1000;

/** Build facts for `aaisp_exporter_build_info`. */
export interface BuildInfo {
  readonly version: string;
  readonly nodeVersion: string;
}

/** Buckets from 50 ms to 2 min: CHAOS answers in well under a second, or times out at 30 s. */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/**
 * Registers the self-metrics on `registry`. With `multiAccount`, per-collector and per-request
 * series also carry `account`, like every other series.
 */
export function createSelfMetrics(
  registry: Registry,
  build: BuildInfo,
  multiAccount: boolean,
  now: () => number = Date.now,
): SelfMetrics {
  const registers = [registry];
  const account = multiAccount ? ['account'] : [];
  new Gauge({
    name: 'aaisp_exporter_build_info',
    help: 'Exporter build information (always 1).',
    labelNames: ['version', 'node_version'],
    registers,
  }).set({ version: build.version, node_version: build.nodeVersion }, 1);
  new Gauge({ name: 'aaisp_exporter_up', help: 'The exporter is running (always 1).', registers }).set(1);
  const duration = new Histogram({
    name: 'aaisp_collector_duration_seconds',
    help: 'Duration of each collector run, CHAOS call included, in seconds.',
    labelNames: ['collector', 'tier', ...account],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const success = new Gauge({
    name: 'aaisp_collector_success',
    help: 'Whether the last run of the collector succeeded (1) or failed (0).',
    labelNames: ['collector', ...account],
    registers,
  });
  const errors = new Counter({
    name: 'aaisp_collector_errors_total',
    help: 'Failed collector runs, by error type (the SDK error kind, or internal).',
    labelNames: ['collector', 'error_type', ...account],
    registers,
  });
  const lastSuccess = new Gauge({
    name: 'aaisp_collector_last_success_timestamp_seconds',
    help: 'When the collector last succeeded, as Unix seconds.',
    labelNames: ['collector', ...account],
    registers,
  });
  const requests = new Counter({
    name: 'aaisp_api_requests_total',
    help: 'CHAOS HTTP attempts, by outcome (ok or the SDK error kind).',
    labelNames: ['subsystem', 'command', 'outcome', ...account],
    registers,
  });
  const requestDuration = new Histogram({
    name: 'aaisp_api_request_duration_seconds',
    help: 'Duration of each CHAOS HTTP attempt, in seconds.',
    labelNames: ['subsystem', 'command', ...account],
    buckets: DURATION_BUCKETS,
    registers,
  });
  collectDefaultMetrics({ register: registry });
  // prom-client names these gauges `…_total`, which Prometheus reserves for counters (promtool
  // rejects them).
  for (const name of [
    'nodejs_active_handles_total',
    'nodejs_active_requests_total',
    'nodejs_active_resources_total',
  ]) {
    registry.removeSingleMetric(name);
  }

  const withAccount = (labels: Record<string, string>, name: string): Record<string, string> =>
    multiAccount ? { ...labels, account: name } : labels;

  // A promise per format, so concurrent scrapes share one render.
  const rendered = new Map<ExpositionFormat, { readonly atMs: number; readonly text: Promise<string> }>();

  return {
    render(format) {
      const cached = rendered.get(format);
      if (cached !== undefined && now() - cached.atMs < SELF_METRICS_MAX_AGE_MS) return cached.text;
      const text = format === 'openmetrics' ? registryAsOpenMetrics(registry) : registry.metrics();
      rendered.set(format, { atMs: now(), text });
      // A failed render must not be served again.
      text.catch(() => rendered.delete(format));
      return text;
    },
    recordRun(event) {
      rendered.clear();
      const collector = withAccount({ collector: event.collector }, event.account);
      duration.observe(
        withAccount({ collector: event.collector, tier: event.tier }, event.account),
        event.durationMs / 1000,
      );
      success.set(collector, event.outcome === 'ok' ? 1 : 0);
      if (event.outcome === 'ok') lastSuccess.set(collector, Date.now() / 1000);
      else errors.inc(withAccount({ collector: event.collector, error_type: event.outcome }, event.account));
    },
    recordApiRequest(event, name) {
      rendered.clear();
      const where = { subsystem: event.subsystem, command: event.command };
      requests.inc(withAccount({ ...where, outcome: event.outcome }, name));
      requestDuration.observe(withAccount(where, name), event.durationMs / 1000);
    },
  };
}
