/**
 * Composes the exporter: one SDK client per account, the collect job, the scheduler, the snapshot,
 * the self-metrics and the HTTP server. In demo mode a `@aaisp/chaos-mock` server on loopback
 * stands in for CHAOS.
 *
 * @module
 */

import type { Server } from 'node:http';
import type { ChaosClient } from '@aaisp/chaos-client';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { createAccountClient } from './chaos/account-client.ts';
import type { CollectorBinding } from './collectors/index.ts';
import type { AccountConfig, ExporterConfig } from './config/config.ts';
import type { DemoChaos } from './demo/demo.ts';
import { createBasicAuth } from './http/protect/basic-auth.ts';
import { createExporterServer, type ServerProtection } from './http/server.ts';
import { createCollectJob } from './schedule/collect-job.ts';
import { createScheduler, type Scheduler, type SchedulerOptions } from './schedule/scheduler.ts';
import { planShard, type ShardPlan } from './schedule/shard.ts';
import { planTiers, type TierPlan } from './schedule/tiers.ts';
import { lineRowsOf } from './status-page/line-summary.ts';
import { createSnapshotStore } from './store/snapshot.ts';
import { createSelfMetrics, type SelfMetrics } from './telemetry/self-metrics.ts';
import { exporterUserAgent } from './user-agent.ts';

/** A running exporter. */
export interface App {
  /** The address it listens on, e.g. `http://0.0.0.0:9099` (`https://` with TLS). */
  readonly url: string;
  readonly scheduler: Scheduler;
  /** Stops timers, aborts CHAOS requests in flight, closes the server (and the demo mock). */
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
}

const names = (accounts: readonly AccountConfig[]): string[] => accounts.map((account) => account.name);

/** The server's protection from the web-config part of the configuration. */
function protection(web: ExporterConfig['web']): ServerProtection {
  return {
    tls: web.tls,
    auth: web.basicAuthUsers === undefined ? undefined : createBasicAuth({ users: web.basicAuthUsers }),
    headers: web.headers,
    healthOpen: web.healthOpen,
  };
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
  if (demo) {
    logger.warn(
      { mock: demo.baseUrl, lines: demo.mock.lines().length },
      'demo mode: serving fake data from a built-in CHAOS mock, not from A&A',
    );
  }
  const { configured, shard, accounts } = ownAccounts(config, demo);
  // From the configured list, not this shard's share: the `account` label must not come and go
  // as accounts move between replicas, nor differ between them.
  const multiAccount = configured.length > 1;
  const tiers = planTiers(config, options.bindings, accounts);
  const selfMetrics = createSelfMetrics(
    new Registry(),
    { version: options.version, nodeVersion: process.version },
    multiAccount,
    Date.now,
    // This replica's accounts only: another shard's collectors are its own to report.
    { accounts: names(accounts), tiers },
  );
  const store = createSnapshotStore({ summarize: lineRowsOf });
  const scheduler = createScheduler({
    ...options.timing,
    accounts: names(accounts),
    tiers,
    concurrencyLimit: config.api.concurrencyLimit,
    logger,
    onRun: (event) => selfMetrics.recordRun(event),
    onAuthPause: (event) => selfMetrics.recordAuthPause(event),
    collect: createCollectJob({
      accounts,
      clients: clientsOf(accounts, config, demo?.baseUrl ?? config.api.baseUrl, options.version, selfMetrics),
      store,
      tiers,
      multiAccount,
      includePostcode: config.collectors.includePostcode,
      fetchPolicy: {
        timeoutMs: config.api.timeoutSeconds * 1000,
        retries: config.api.maxRetries,
        userAgent: exporterUserAgent(options.version),
      },
      settings: config.collectors.sourceSettings,
      logger: logger.child({ component: 'collect' }),
    }),
  });
  const server: Server = createExporterServer({
    store,
    self: selfMetrics,
    tiers: () => scheduler.status(),
    version: options.version,
    demo: options.demo,
    accounts: names(accounts),
    shard,
    web: protection(config.web),
  });
  const url = await listen(server, config);
  scheduler.start();
  logStarted(logger, { url, configured, accounts, shard, tiers, web: config.web });

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    await scheduler.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await demo?.mock.close();
  };
  return {
    url,
    scheduler,
    // A second call (a second signal, a test's afterAll) waits for the first instead of failing.
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}

/** The accounts configured (the demo's, in demo mode), this replica's shard, and its share of them. */
function ownAccounts(
  config: ExporterConfig,
  demo: DemoChaos | undefined,
): {
  readonly configured: readonly AccountConfig[];
  readonly shard: ShardPlan | undefined;
  readonly accounts: readonly AccountConfig[];
} {
  const configured: readonly AccountConfig[] = demo?.accounts ?? config.accounts;
  // Sharded, this replica makes CHAOS calls for its own accounts only; the others are another's.
  const shard = config.shard === undefined ? undefined : planShard(names(configured), config.shard);
  const accounts =
    shard === undefined ? configured : configured.filter((account) => shard.accounts.includes(account.name));
  return { configured, shard, accounts };
}

/** The start-up log: where the exporter listens and what it collects, never a secret. */
function logStarted(
  logger: Logger,
  started: {
    readonly url: string;
    readonly configured: readonly AccountConfig[];
    readonly accounts: readonly AccountConfig[];
    readonly shard: ShardPlan | undefined;
    readonly tiers: readonly TierPlan[];
    readonly web: ExporterConfig['web'];
  },
): void {
  const { url, configured, accounts, shard, tiers, web } = started;
  if (shard !== undefined && shard.accounts.length === 0) {
    logger.warn(
      { shard: { index: shard.index, count: shard.count }, configuredAccounts: configured.length },
      'this shard owns none of the configured accounts: it collects and serves nothing (more shards than accounts?)',
    );
  }
  logger.info(
    {
      url,
      // Sharded: the accounts this replica owns, which are all it collects.
      accounts: names(accounts),
      shard: shard === undefined ? null : { index: shard.index, count: shard.count },
      tiers: tiers.map((tier) => tier.name),
      // How many targets (e.g. lines with a link) each source has: the links themselves are secrets.
      targets: targetCounts(tiers, accounts),
      // Counts and policy only: no user names, hashes or key material.
      web: {
        tls: web.tls === undefined ? false : { clientAuth: web.tls.clientAuth },
        basicAuthUsers: web.basicAuthUsers?.size ?? 0,
        healthOpen: web.healthOpen,
      },
    },
    'exporter listening',
  );
}

/** One SDK client per account, each reporting its requests to the self-metrics. */
function clientsOf(
  accounts: readonly AccountConfig[],
  config: ExporterConfig,
  baseUrl: string,
  version: string,
  selfMetrics: SelfMetrics,
): Map<string, ChaosClient> {
  return new Map(
    accounts.map((account) => [
      account.name,
      createAccountClient(account, {
        api: config.api,
        baseUrl,
        userAgent: exporterUserAgent(version),
        hooks: { onResponse: (event) => selfMetrics.recordApiRequest(event, account.name) },
      }),
    ]),
  );
}

/** Per planned source that needs targets (lines with a link, say), how many its accounts configure, by source name. */
function targetCounts(
  tiers: readonly TierPlan[],
  accounts: readonly AccountConfig[],
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const binding of tiers.flatMap((tier) => tier.collectors)) {
    const { name, targetsOf } = binding.source;
    if (targetsOf === undefined || name in counts) continue;
    counts[name] = accounts.reduce((sum, account) => sum + targetsOf(account), 0);
  }
  return counts;
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
  const { host } = config.server;
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
