/**
 * What one configuration builds: its accounts (this replica's share), tier plan, SDK clients and
 * collect job (the server's protection is the HTTP layer's: `protectionOf`). The start builds the first; each reload builds the
 * next from the re-read files, and the parts that live as long as the process (the socket, the
 * snapshot, the started runs, the scheduler) take it over.
 *
 * @module
 */

import { isDeepStrictEqual } from 'node:util';
import type { ChaosClient } from '@aaisp/chaos-client';
import { Registry } from 'prom-client';
import { createAccountClient } from '../chaos/account-client.ts';
import type { CollectorBinding } from '../collectors/index.ts';
import type { AccountConfig, ExporterConfig } from '../config/config.ts';
import type { DemoChaos } from '../demo/demo.ts';
import {
  type CollectJob,
  type CollectJobOptions,
  createCollectJob,
  type StartedRuns,
} from '../schedule/collect-job.ts';
import { planShard, type ShardPlan } from '../schedule/shard.ts';
import { planTiers, type TierPlan } from '../schedule/tiers.ts';
import { createSelfMetrics, type SelfMetrics } from '../telemetry/self-metrics.ts';
import { exporterUserAgent } from '../user-agent.ts';

/** What one configuration builds. */
export interface Generation {
  readonly config: ExporterConfig;
  /** The accounts configured (the demo's, in demo mode). */
  readonly configured: readonly AccountConfig[];
  readonly shard: ShardPlan | undefined;
  /** This replica's share of `configured`: what it collects. */
  readonly accounts: readonly AccountConfig[];
  /** From the configured list, not this shard's share: every series carries `account` then. */
  readonly multiAccount: boolean;
  readonly tiers: readonly TierPlan[];
  readonly clients: ReadonlyMap<string, ChaosClient>;
}

/** The accounts' names, in order. */
export const names = (accounts: readonly AccountConfig[]): string[] =>
  accounts.map((account) => account.name);

/** Builds what one configuration needs: its accounts (this shard's), tier plan and clients. */
export function generationOf(
  config: ExporterConfig,
  context: {
    readonly demo: DemoChaos | undefined;
    readonly bindings: readonly CollectorBinding[];
    readonly version: string;
    /** The self-metrics in force when a request is made (a reload may replace them). */
    readonly self: () => SelfMetrics;
  },
): Generation {
  const { demo } = context;
  const configured: readonly AccountConfig[] = demo?.accounts ?? config.accounts;
  // Sharded, this replica makes CHAOS calls for its own accounts only; the others are another's.
  const shard = config.shard === undefined ? undefined : planShard(names(configured), config.shard);
  const accounts =
    shard === undefined ? configured : configured.filter((account) => shard.accounts.includes(account.name));
  const baseUrl = demo?.baseUrl ?? config.api.baseUrl;
  return {
    config,
    configured,
    shard,
    accounts,
    // From the configured list, not this shard's share: the `account` label must not come and go
    // as accounts move between replicas, nor differ between them.
    multiAccount: configured.length > 1,
    tiers: planTiers(config, context.bindings, accounts),
    clients: new Map(
      accounts.map((account) => [
        account.name,
        createAccountClient(account, {
          api: config.api,
          baseUrl,
          userAgent: exporterUserAgent(context.version),
          hooks: { onResponse: (event) => context.self().recordApiRequest(event, account.name) },
        }),
      ]),
    ),
  };
}

/** The self-metrics for a generation's plan (this replica's accounts only: another shard's are its own to report). */
export function selfMetricsOf(generation: Generation, version: string): SelfMetrics {
  return createSelfMetrics(
    new Registry(),
    { version, nodeVersion: process.version },
    generation.multiAccount,
    Date.now,
    { accounts: names(generation.accounts), tiers: generation.tiers },
  );
}

/** A generation's collect job over the runs started once. */
export function collectJobOf(
  generation: Generation,
  runs: StartedRuns,
  store: CollectJobOptions['store'],
): CollectJob {
  return createCollectJob({
    accounts: generation.accounts,
    clients: generation.clients,
    runs,
    store,
    multiAccount: generation.multiAccount,
  });
}

/** Whether two generations serve the same TLS settings (certificates re-read from their files included). */
export function sameTls(a: Generation, b: Generation): boolean {
  return isDeepStrictEqual(a.config.web.tls, b.config.web.tls);
}
