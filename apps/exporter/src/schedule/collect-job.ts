/**
 * One collector run for one account: the collector binding's single CHAOS call and pure
 * collector, and the result stored in the snapshot. A failure throws and leaves the last good
 * snapshot in place (it ages out on its own).
 *
 * @module
 */

import type { ChaosClient } from '@aaisp/chaos-client';
import type { Logger } from 'pino';
import { type BindingDeps, type CollectorBinding, type CollectorRun, nameOf } from '../collectors/index.ts';
import type { CqmLineConfig } from '../config/config.ts';
import type { SnapshotStore } from '../store/snapshot.ts';
import type { TierPlan } from './tiers.ts';

/** What a collect job needs. */
export interface CollectJobOptions {
  /** One SDK client per configured account. */
  readonly clients: ReadonlyMap<string, ChaosClient>;
  /** Where each run's result goes; the store's summaries are its owner's business. */
  readonly store: Pick<SnapshotStore<unknown>, 'set'>;
  readonly tiers: readonly TierPlan[];
  /** Whether several accounts are configured (then every series carries `account`). */
  readonly multiAccount: boolean;
  readonly includePostcode: boolean;
  /** Each account's lines with a CQM link (accounts without any may be left out). */
  readonly cqmLines: ReadonlyMap<string, readonly CqmLineConfig[]>;
  /** How CQM CSVs are fetched (see `BindingDeps`). */
  readonly cqmFetch: BindingDeps['cqmFetch'];
  readonly logger: Logger;
  readonly now?: (() => number) | undefined;
}

/** The function the scheduler calls: one run of `collector` for `account`. */
export type CollectJob = (account: string, collector: CollectorBinding, signal: AbortSignal) => Promise<void>;

/**
 * Creates the function the scheduler calls. Each planned binding is started once here, so what it
 * remembers between runs (resync memory, bad lines already logged) lives as long as the exporter.
 */
export function createCollectJob(options: CollectJobOptions): CollectJob {
  const now = options.now ?? Date.now;
  const runs = new Map<CollectorBinding, { run: CollectorRun; maxAgeMs: number }>();
  for (const tier of options.tiers) {
    for (const binding of tier.collectors) {
      const run = binding.start({
        logger: options.logger.child({ collector: nameOf(binding) }),
        includePostcode: options.includePostcode,
        maxAgeMs: tier.maxAgeSeconds * 1000,
        cqmFetch: options.cqmFetch,
      });
      runs.set(binding, { run, maxAgeMs: tier.maxAgeSeconds * 1000 });
    }
  }

  return async (account, binding, signal) => {
    const client = options.clients.get(account);
    if (!client) throw new Error(`no client for account ${account}`);
    const planned = runs.get(binding);
    if (!planned) throw new Error(`collector ${nameOf(binding)} is not in the tier plan`);
    const context = options.multiAccount ? { account } : {};
    const cqmLines = options.cqmLines.get(account) ?? [];
    const samples = await planned.run({ account, client, signal, context, cqmLines });
    options.store.set({
      account,
      collector: binding.collector,
      samples,
      collectedAtMs: now(),
      maxAgeMs: planned.maxAgeMs,
    });
  };
}
