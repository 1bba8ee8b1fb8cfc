/**
 * The exporter's own metrics (docs/metrics.md, "Exporter self-metrics"): build info, collector
 * duration/success/errors/last success, CHAOS API requests through the SDK hooks, and
 * prom-client's default process metrics,
 * all on the app's own registry (never prom-client's global one). Their names, help and labels
 * are data in `./self-metric-definitions.ts`; this module only builds and feeds them.
 *
 * @module
 */

import type { ChaosResponseEvent } from '@aaisp/chaos-client';
import type { ExpositionFormat } from '@aaisp/collectors';
import { Counter, collectDefaultMetrics, Gauge, Histogram, type Registry } from 'prom-client';
import type { RunEvent } from '../schedule/scheduler.ts';
import { registryAsOpenMetrics } from './openmetrics.ts';
import {
  apiRequestDuration,
  apiRequests,
  buildInfo,
  collectorDuration,
  collectorErrors,
  collectorLastSuccess,
  collectorSuccess,
  DROPPED_DEFAULT_METRICS,
  exporterUp,
  type SelfMetricDefinition,
} from './self-metric-definitions.ts';

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

/**
 * Registers the self-metrics (`SELF_METRIC_DEFINITIONS`, in that order) on `registry`. With
 * `multiAccount`, per-collector and per-request series also carry `account`, like every other
 * series.
 */
export function createSelfMetrics(
  registry: Registry,
  build: BuildInfo,
  multiAccount: boolean,
  now: () => number = Date.now,
): SelfMetrics {
  const registers = [registry];
  /** The prom-client configuration every kind shares, from the definition. */
  const common = (definition: SelfMetricDefinition, type: SelfMetricDefinition['type']) => {
    if (definition.type !== type)
      throw new Error(`${definition.name} is a ${definition.type}, not a ${type}`);
    const account = multiAccount && definition.perAccount ? ['account'] : [];
    return {
      name: definition.name,
      help: definition.help,
      labelNames: [...definition.labels, ...account],
      registers,
    };
  };
  const gauge = (definition: SelfMetricDefinition) => new Gauge(common(definition, 'gauge'));
  const counter = (definition: SelfMetricDefinition) => new Counter(common(definition, 'counter'));
  const histogram = (definition: SelfMetricDefinition) =>
    new Histogram({
      ...common(definition, 'histogram'),
      ...(definition.buckets === undefined ? {} : { buckets: [...definition.buckets] }),
    });

  gauge(buildInfo).set({ version: build.version, node_version: build.nodeVersion }, 1);
  gauge(exporterUp).set(1);
  const duration = histogram(collectorDuration);
  const success = gauge(collectorSuccess);
  const errors = counter(collectorErrors);
  const lastSuccess = gauge(collectorLastSuccess);
  const requests = counter(apiRequests);
  const requestDuration = histogram(apiRequestDuration);
  collectDefaultMetrics({ register: registry });
  for (const name of DROPPED_DEFAULT_METRICS) registry.removeSingleMetric(name);

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
