/**
 * The exporter's own metrics (docs/metrics.md, "Exporter self-metrics"): build info, collector
 * duration/success/errors/last success, each collector's interval and max age, each account's
 * auth pause, CHAOS API requests through the SDK hooks, and prom-client's default process metrics,
 * all on the app's own registry (never prom-client's global one). Their names, help and labels
 * are data in `./self-metric-definitions.ts`; this module only builds and feeds them.
 *
 * @module
 */

import type { ChaosResponseEvent } from '@aaisp/chaos-client';
import type { ExpositionFormat } from '@aaisp/collectors';
import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type LabelValues,
  type Metric,
  type Registry,
} from 'prom-client';
import { nameOf } from '../collectors/index.ts';
import { jobKey } from '../model/job-key.ts';
import { type AuthPauseEvent, RUN_ERROR_KINDS, type RunEvent } from '../schedule/scheduler.ts';
import { plannedJobKeys, type TierPlan, tierJobs } from '../schedule/tiers.ts';
import { registryAsOpenMetrics } from './openmetrics.ts';
import {
  accountAuthPaused,
  accountAuthPausedUntil,
  apiRequestDuration,
  apiRequests,
  buildInfo,
  collectorDuration,
  collectorErrors,
  collectorInterval,
  collectorLastSuccess,
  collectorMaxAge,
  collectorSuccess,
  configLastReloadSuccess,
  configLastReloadSuccessful,
  DROPPED_DEFAULT_METRICS,
  exporterUp,
  type SelfMetricDefinition,
} from './self-metric-definitions.ts';

/** What the self-metrics record. */
export interface SelfMetrics {
  /** After every collector run the scheduler attempted. */
  recordRun(event: RunEvent): void;
  /**
   * When an account's auth breaker opens or closes. Opened: `aaisp_account_auth_paused` 1, the
   * pause's end, and `aaisp_collector_success` 0 for every planned collector of the account (their
   * runs are skipped, so no run would say so). Closed: 0, and no pause end; each collector's
   * success then comes from its own next run.
   */
  recordAuthPause(event: AuthPauseEvent): void;
  /** After every CHAOS HTTP attempt (an SDK `onResponse` hook). */
  recordApiRequest(event: ChaosResponseEvent, account: string): void;
  /**
   * After the configuration was loaded: at start and at every reload. `ok` false: the reload was
   * refused (the last success's time stays).
   */
  recordReload(event: ReloadEvent): void;
  /**
   * A reload changed what is collected: the series of accounts and collectors no longer planned
   * leave, and new ones start as at start (interval, max age, errors at 0, unpaused). What the
   * ones still planned have counted stays. Resolves once done (prom-client reads its values
   * asynchronously).
   */
  replan(plan: SelfMetricsPlan): Promise<void>;
  /**
   * The exposition of the self-metrics (OpenMetrics without `# EOF`), rendered again only after a
   * run or request was recorded, or once {@link SELF_METRICS_MAX_AGE_MS} has passed (the process
   * metrics read /proc): a scrape does not pay for a render the last one already made.
   */
  render(format: ExpositionFormat): Promise<string>;
}

/** A configuration load, as the reload gauges report it. */
export interface ReloadEvent {
  readonly ok: boolean;
  /** When it happened (ms since the epoch). */
  readonly atMs: number;
}

/** How old the cached process metrics (CPU, memory, handles) may be when served. */
export const SELF_METRICS_MAX_AGE_MS = 1000;

/** Build facts for `aaisp_exporter_build_info`. */
export interface BuildInfo {
  readonly version: string;
  readonly nodeVersion: string;
}

/** What the exporter collects, for the series the self-metrics hold from the start. */
export interface SelfMetricsPlan {
  /** The accounts this replica collects (its shard's, when sharded). */
  readonly accounts: readonly string[];
  /** The tier plan: each collector's tier, interval and max age. */
  readonly tiers: readonly TierPlan[];
}

/**
 * Registers the self-metrics (`SELF_METRIC_DEFINITIONS`, in that order) on `registry`. With
 * `multiAccount`, per-collector, per-account and per-request series also carry `account`, like
 * every other series. For each account and collector of `plan`, the interval and max age are set
 * and the error counters start at 0 for every error type; each account starts unpaused.
 */
export function createSelfMetrics(
  registry: Registry,
  build: BuildInfo,
  multiAccount: boolean,
  now: () => number = Date.now,
  plan: SelfMetricsPlan = { accounts: [], tiers: [] },
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
  const reloadSuccessful = gauge(configLastReloadSuccessful);
  const reloadSuccess = gauge(configLastReloadSuccess);
  const duration = histogram(collectorDuration);
  const success = gauge(collectorSuccess);
  const errors = counter(collectorErrors);
  const lastSuccess = gauge(collectorLastSuccess);
  const interval = gauge(collectorInterval);
  const maxAge = gauge(collectorMaxAge);
  const paused = gauge(accountAuthPaused);
  const pausedUntil = gauge(accountAuthPausedUntil);
  const requests = counter(apiRequests);
  const requestDuration = histogram(apiRequestDuration);
  collectDefaultMetrics({ register: registry });
  for (const name of DROPPED_DEFAULT_METRICS) registry.removeSingleMetric(name);

  const withAccount = (labels: Record<string, string>, name: string): Record<string, string> =>
    multiAccount ? { ...labels, account: name } : labels;

  // prom-client serves an unlabelled gauge as 0 until told otherwise; the pause end is absent
  // while nothing is paused.
  if (!multiAccount) pausedUntil.remove({});
  // The auth breaker pauses only the account's collectors whose source sends CHAOS credentials;
  // the others keep their own success.
  let planned = plan;
  const pausableOf = (account: string): string[] =>
    planned.tiers.flatMap((tier) =>
      tierJobs(tier, [account])
        .filter(({ collector }) => collector.source.pausedByChaosAuth)
        .map(({ collector }) => nameOf(collector)),
    );
  /** Sets the series a planned job (or account) has from the start; an account already planned keeps its pause. */
  const startSeries = (next: SelfMetricsPlan, known: ReadonlySet<string>): void => {
    for (const account of next.accounts) if (!known.has(account)) paused.set(withAccount({}, account), 0);
    for (const tier of next.tiers) {
      for (const { account, collector: binding } of tierJobs(tier, next.accounts)) {
        const labels = withAccount({ collector: nameOf(binding), tier: tier.name }, account);
        interval.set(labels, tier.intervalSeconds);
        maxAge.set(labels, tier.maxAgeSeconds);
        // inc by 0 creates the series at 0, or leaves what a planned job has counted.
        for (const kind of RUN_ERROR_KINDS)
          errors.inc(withAccount({ collector: nameOf(binding), error_type: kind }, account), 0);
      }
    }
  };
  startSeries(plan, new Set());
  const perAccount: readonly Metric[] = [duration, success, errors, lastSuccess, interval, maxAge];
  const perAccountOnly: readonly Metric[] = [paused, pausedUntil, requests, requestDuration];

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
      if (event.outcome === 'ok') lastSuccess.set(collector, now() / 1000);
      else errors.inc(withAccount({ collector: event.collector, error_type: event.outcome }, event.account));
    },
    recordAuthPause({ account, pause }) {
      rendered.clear();
      const labels = withAccount({}, account);
      if (pause === undefined) {
        paused.set(labels, 0);
        pausedUntil.remove(labels);
        return;
      }
      paused.set(labels, 1);
      pausedUntil.set(labels, pause.untilMs / 1000);
      for (const collector of pausableOf(account)) success.set(withAccount({ collector }, account), 0);
    },
    recordReload({ ok, atMs }) {
      rendered.clear();
      reloadSuccessful.set(ok ? 1 : 0);
      if (ok) reloadSuccess.set(atMs / 1000);
    },
    async replan(next) {
      rendered.clear();
      // With one account its series carry no `account`: whichever account that is, it is planned.
      const single = next.accounts[0] ?? '';
      const accountOf = (labels: LabelValues<string>): string =>
        multiAccount ? String(labels.account ?? '') : single;
      const jobs = plannedJobKeys(next.tiers, next.accounts);
      for (const metric of perAccount) {
        await removeWhere(
          metric,
          (labels) => !jobs.has(jobKey(accountOf(labels), String(labels.collector ?? ''))),
        );
      }
      for (const metric of perAccountOnly) {
        await removeWhere(metric, (labels) => !next.accounts.includes(accountOf(labels)));
      }
      startSeries(next, new Set(planned.accounts.filter((account) => next.accounts.includes(account))));
      planned = next;
    },
    recordApiRequest(event, name) {
      rendered.clear();
      const where = { subsystem: event.subsystem, command: event.command };
      requests.inc(withAccount({ ...where, outcome: event.outcome }, name));
      requestDuration.observe(withAccount(where, name), event.durationMs / 1000);
    },
  };
}

/** Removes each series of `metric` whose labels (a histogram's `le` aside) `stale` accepts. */
async function removeWhere(metric: Metric, stale: (labels: LabelValues<string>) => boolean): Promise<void> {
  const { values } = await metric.get();
  const seen = new Set<string>();
  for (const { labels } of values) {
    const { le: _bucket, ...series } = labels;
    const key = JSON.stringify(series);
    if (seen.has(key)) continue;
    seen.add(key);
    if (stale(series)) metric.remove(series);
  }
}
