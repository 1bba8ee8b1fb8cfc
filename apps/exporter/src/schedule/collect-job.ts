/**
 * One collector run for one account: the binding's run (its source's calls and its pure
 * collector), and the result stored in the snapshot. A failure throws and leaves the last good
 * snapshot in place (it ages out on its own).
 *
 * @module
 */

import type { ChaosClient } from '@aaisp/chaos-client';
import type { Logger } from 'pino';
import { type CollectorBinding, type CollectorRun, type FetchPolicy, nameOf } from '../collectors/index.ts';
import type { AccountConfig } from '../model/account.ts';
import type { SnapshotStore } from '../store/snapshot.ts';
import { mapLimited } from './semaphore.ts';
import type { TierPlan } from './tiers.ts';

/** What a collect job needs. */
export interface CollectJobOptions {
  /** Every account this replica collects, as configured. */
  readonly accounts: readonly AccountConfig[];
  /** One SDK client per account. */
  readonly clients: ReadonlyMap<string, ChaosClient>;
  /** Where each run's result goes; the store's summaries are its owner's business. */
  readonly store: Pick<SnapshotStore<unknown>, 'set'>;
  readonly tiers: readonly TierPlan[];
  /** Whether several accounts are configured (then every series carries `account`). */
  readonly multiAccount: boolean;
  readonly includePostcode: boolean;
  /** How sources other than CHAOS fetch (see `BindingDeps`). */
  readonly fetchPolicy: FetchPolicy;
  /** The validated source settings, by variable (see `DataSource.settings`). */
  readonly settings?: Readonly<Record<string, string>> | undefined;
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
  const settings = options.settings ?? {};
  const accounts = new Map(options.accounts.map((account) => [account.name, account]));
  const runs = new Map<CollectorBinding, { run: CollectorRun; maxAgeMs: number }>();
  for (const tier of options.tiers) {
    for (const binding of tier.collectors) {
      const { targetsAtOnce } = binding.source;
      const run = binding.start({
        logger: options.logger.child({ collector: nameOf(binding) }),
        includePostcode: options.includePostcode,
        maxAgeMs: tier.maxAgeSeconds * 1000,
        fetchPolicy: options.fetchPolicy,
        now,
        eachTarget: (targets, task, signal) => mapLimited(targets, targetsAtOnce, task, signal),
        // A source reads its own settings only, so two sources cannot lean on each other's.
        setting: (variable) =>
          binding.source.settings?.some((declared) => declared.variable === variable)
            ? settings[variable]
            : undefined,
      });
      runs.set(binding, { run, maxAgeMs: tier.maxAgeSeconds * 1000 });
    }
  }

  return async (account, binding, signal) => {
    const client = options.clients.get(account);
    const accountConfig = accounts.get(account);
    if (!client || !accountConfig) throw new Error(`no client for account ${account}`);
    const planned = runs.get(binding);
    if (!planned) throw new Error(`collector ${nameOf(binding)} is not in the tier plan`);
    const context = options.multiAccount ? { account } : {};
    const samples = await planned.run({ account, accountConfig, client, signal, context });
    options.store.set({
      account,
      collector: binding.collector,
      samples,
      collectedAtMs: now(),
      maxAgeMs: planned.maxAgeMs,
    });
  };
}
