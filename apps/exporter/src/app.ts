/**
 * Composes the exporter: one SDK client per account, the collect job, the scheduler, the snapshot,
 * the self-metrics and the HTTP server. In demo mode a `@aaisp/chaos-mock` server on loopback
 * stands in for CHAOS.
 *
 * What one configuration builds (its accounts, clients, tier plan and collect job) is a
 * {@link Generation}; a reload builds the next one from the re-read files and
 * hands it to the parts that live as long as the process: the socket, the snapshot, the started
 * collector runs, the scheduler's timetables and breakers, and the state keeper.
 *
 * @module
 */

import type { Server } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { BINDINGS, type CollectorBinding } from './collectors/index.ts';
import type { ConfigResult, ExporterConfig } from './config/config.ts';
import type { DemoChaos } from './demo/demo.ts';
import { addressText } from './http/address.ts';
import { protectionOf } from './http/protect/gate.ts';
import { createExporterServer, reloadCertificates, type ServerDeps } from './http/server.ts';
import { jobKey } from './model/job-key.ts';
import { accountChanges } from './reload/account-changes.ts';
import {
  collectJobOf,
  type Generation,
  generationOf,
  names,
  sameTls,
  selfMetricsOf,
} from './reload/generation.ts';
import { logReloaded, logStarted } from './reload/lifecycle-log.ts';
import { reloadProblems } from './reload/reload-problems.ts';
import { createReloadLog, type ReloadOutcome, type ReloadTrigger } from './reload/reload-status.ts';
import { startRuns } from './schedule/collect-job.ts';
import {
  type AuthPauseEvent,
  createScheduler,
  pausedAccountsOf,
  type Scheduler,
  type SchedulerOptions,
} from './schedule/scheduler.ts';
import { plannedJobKeys, planTiers } from './schedule/tiers.ts';
import { rememberPause, restoredPauses, retainState } from './state/account-state.ts';
import { createStateKeeper, sourceMemory } from './state/state-keeper.ts';
import { lineRowsOf } from './status-page/line-summary.ts';
import { createSnapshotStore } from './store/snapshot.ts';
import type { SelfMetrics } from './telemetry/self-metrics.ts';
import { exporterUserAgent } from './user-agent.ts';

/** A running exporter. */
export interface App {
  /** The address it listens on, e.g. `http://0.0.0.0:9099` (`https://` with TLS). */
  readonly url: string;
  readonly scheduler: Scheduler;
  /**
   * Loads the configuration again (`AppOptions.reloadConfig`) and applies it without a restart,
   * or keeps the whole configuration in force when the new one does not validate. Logs the
   * outcome, reports it in `/health` and the reload gauges, and never rejects. Calls are
   * serialised: a second waits for the first, then loads again.
   */
  reload(trigger: Exclude<ReloadTrigger, 'start'>): Promise<ReloadOutcome>;
  /** Stops timers, aborts requests in flight, writes the state, closes the server (and the demo mock). */
  stop(): Promise<void>;
}

/** What {@link startApp} needs besides the config. */
export interface AppOptions {
  readonly logger: Logger;
  readonly version: string;
  /** Serve data from a built-in mock instead of A&A. */
  readonly demo: boolean;
  /**
   * Scheduler pauses (stagger, auth breaker, re-probe). Only tests and the soak script shorten
   * them; the defaults are the design's.
   */
  readonly timing?: Pick<SchedulerOptions, 'staggerMs' | 'authBackoffMs' | 'reprobeMs'> | undefined;
  /** The collectors to run; default: all of `src/collectors/`. Tests add a throwaway one. */
  readonly bindings?: readonly CollectorBinding[] | undefined;
  /**
   * Loads the configuration as at start (the same environment), re-reading every file it names:
   * what a reload applies. Default: the start's configuration again (nothing to re-read).
   */
  readonly reloadConfig?: (() => ConfigResult) | undefined;
}

/** Starts the exporter: the server listens at once; the first fast-tier run follows. */
export async function startApp(config: ExporterConfig, options: AppOptions): Promise<App> {
  // Loaded only for --demo: a real exporter has no use for the mock's code and line sets.
  const demo = options.demo ? await (await import('./demo/demo.ts')).startDemoChaos() : undefined;
  try {
    return await compose(config, options, demo);
  } catch (error) {
    // E.g. the port is taken: the demo CHAOS must not outlive a start that failed.
    await demo?.mock.close();
    throw error;
  }
}

async function compose(
  config: ExporterConfig,
  options: AppOptions,
  demo: DemoChaos | undefined,
): Promise<App> {
  const { logger } = options;
  const bindings = options.bindings ?? BINDINGS;
  if (demo) {
    logger.warn(
      { mock: demo.baseUrl, lines: demo.mock.lines().length },
      'demo mode: serving fake data from a built-in CHAOS mock, not from A&A',
    );
  }
  const state = createStateKeeper({ dir: config.state.dir, logger: logger.child({ component: 'state' }) });
  // The self-metrics are made again only when a reload adds or drops the `account` label.
  let self: SelfMetrics;
  const build = (next: ExporterConfig): Generation =>
    generationOf(next, { demo, bindings, version: options.version, self: () => self });
  let current = build(config);
  self = selfMetricsOf(current, options.version);
  const reloads = createReloadLog(Date.now());
  self.recordReload({ ok: true, atMs: reloads.status().lastSuccessMs });
  const store = createSnapshotStore({ summarize: lineRowsOf });
  // Started once, for every enabled collector: what they remember outlives every reload.
  const runs = startRuns({
    tiers: planTiers(config, bindings),
    includePostcode: config.collectors.includePostcode,
    fetchPolicy: {
      timeoutMs: config.api.timeoutSeconds * 1000,
      retries: config.api.maxRetries,
      userAgent: exporterUserAgent(options.version),
    },
    settings: config.collectors.sourceSettings,
    logger: logger.child({ component: 'collect' }),
    memory: (source) => sourceMemory(state, source.name),
  });
  retainState(state, current.accounts, current.tiers);
  const restored = restoredPauses(state, current.accounts, logger);
  for (const [account, pause] of restored) self.recordAuthPause({ account, pause });
  const onAuthPause = (event: AuthPauseEvent): void => {
    self.recordAuthPause(event);
    rememberPause(state, current.accounts, event);
  };
  const scheduler = createScheduler({
    ...options.timing,
    accounts: names(current.accounts),
    tiers: current.tiers,
    collect: collectJobOf(current, runs, store),
    concurrencyLimit: config.api.concurrencyLimit,
    logger,
    onRun: (event) => self.recordRun(event),
    onAuthPause,
    restoredPauses: restored,
  });
  let web = protectionOf(config.web);
  /** What the endpoints serve from the generation in force; made again by each reload, not per request. */
  const serverDeps = (): ServerDeps => ({
    store,
    self,
    tiers: () => scheduler.status(),
    version: options.version,
    demo: options.demo,
    accounts: names(current.accounts),
    shard: current.shard,
    web,
    reload: current.config.server.enableLifecycle ? (trigger) => reload(trigger) : undefined,
    reloadStatus: () => reloads.status(),
  });
  let deps = serverDeps();
  const server: Server = createExporterServer(() => deps);
  const url = await listen(server, config);
  scheduler.start();
  logStarted(logger, { url, generation: current, persistent: state.persistent });

  /** Says how a load went where it is read: `/health` and the reload gauges. */
  const record = (outcome: ReloadOutcome): void => {
    reloads.record(outcome);
    self.recordReload(outcome);
  };

  /** One reload, start to end; {@link reload} makes sure only one runs at a time. */
  const reloadOnce = async (trigger: Exclude<ReloadTrigger, 'start'>): Promise<ReloadOutcome> => {
    const loaded = (options.reloadConfig ?? (() => ({ ok: true, config })))();
    const problems = loaded.ok ? reloadProblems(current.config, loaded.config) : loaded.problems;
    if (!loaded.ok || problems.length > 0) {
      const refused: ReloadOutcome = { ok: false, trigger, atMs: Date.now(), problems };
      record(refused);
      logger.error(
        { trigger, problems },
        'configuration reload refused: the configuration in force stays, unchanged',
      );
      return refused;
    }
    const next = build(loaded.config);
    const relabelled = next.multiAccount !== current.multiAccount;
    const changes = accountChanges(current.accounts, next.accounts);
    const fresh = relabelled
      ? names(next.accounts)
      : [...changes.added, ...changes.credentials, ...changes.changed];
    await scheduler.reconfigure({
      accounts: names(next.accounts),
      tiers: next.tiers,
      collect: collectJobOf(next, runs, store),
      fresh,
      forget: [...changes.removed, ...changes.credentials],
    });
    const previous = current;
    current = next;
    // Every series carries `account` now, or none does: what was rendered the other way goes, and
    // every account is collected at once (above).
    const planned = plannedJobKeys(next.tiers, names(next.accounts));
    store.retain((account, collector) => !relabelled && planned.has(jobKey(account, collector)));
    if (relabelled) {
      self = selfMetricsOf(next, options.version);
      // The breakers outlive the metrics: a paused account is still paused.
      for (const { account, untilMs, refusals } of pausedAccountsOf(scheduler.status())) {
        self.recordAuthPause({ account, pause: { untilMs, refusals } });
      }
    } else {
      await self.replan({ accounts: names(next.accounts), tiers: next.tiers });
    }
    retainState(state, next.accounts, next.tiers);
    // Unchanged, the protection is kept: a new one would start with an empty basic-auth cache, and
    // every user's next scrape would pay a bcrypt check again after each SIGHUP.
    if (!isDeepStrictEqual(previous.config.web, next.config.web)) web = protectionOf(next.config.web);
    if (next.config.web.tls !== undefined && !sameTls(previous, next)) {
      reloadCertificates(server, next.config.web.tls);
    }
    deps = serverDeps();
    const applied: ReloadOutcome = { ok: true, trigger, atMs: Date.now() };
    record(applied);
    logReloaded(logger, trigger, next, changes, relabelled);
    return applied;
  };

  let reloading: Promise<unknown> = Promise.resolve();
  const reload = (trigger: Exclude<ReloadTrigger, 'start'>): Promise<ReloadOutcome> => {
    const outcome = reloading.then(() => reloadOnce(trigger));
    reloading = outcome.catch(() => undefined);
    return outcome.catch((error: unknown) => {
      // A bug, not a bad file: said as such, and the reload counts as refused.
      logger.error({ err: error, trigger }, 'configuration reload failed unexpectedly');
      const failed: ReloadOutcome = {
        ok: false,
        trigger,
        atMs: Date.now(),
        problems: [{ variable: 'reload', message: 'internal error (see the log)' }],
      };
      record(failed);
      return failed;
    });
  };

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    await scheduler.stop();
    // A reload under way ends at once with the scheduler stopped; what it keeps is then written.
    await reloading;
    await state.flush();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await demo?.mock.close();
  };
  return {
    url,
    scheduler,
    reload,
    // A second call (a second signal, a test's afterAll) waits for the first instead of failing.
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}

/** Listens as configured; resolves with the address, e.g. `http://0.0.0.0:9099` (`https://` with TLS). */
async function listen(server: Server, config: ExporterConfig): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? address.port : config.server.port;
  const scheme = config.web.tls === undefined ? 'http' : 'https';
  return `${scheme}://${addressText(config.server.host, port)}`;
}
