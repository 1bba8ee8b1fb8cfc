/**
 * One collector run for one account: the binding's run (its source's calls and its pure
 * collector), and the result stored in the snapshot. A failure throws and leaves the last good
 * snapshot in place (it ages out on its own).
 *
 * The runs are started once per exporter ({@link startRuns}); a reload makes a new collect job for
 * the new accounts and clients ({@link createCollectJob}) over the same runs, so what a run
 * remembers (resync memory, bad lines already logged, CQM positions) survives it.
 *
 * @module
 */

import type { ChaosClient } from '@aaisp/chaos-client';
import type { Logger } from 'pino';
import {
  type CollectorBinding,
  type CollectorRun,
  type DataSource,
  type FetchPolicy,
  nameOf,
  type TargetMemory,
} from '../collectors/index.ts';
import type { AccountConfig } from '../model/account.ts';
import type { SnapshotStore } from '../store/snapshot.ts';
import { mapLimited } from './semaphore.ts';
import type { TierPlan } from './tiers.ts';

/** What {@link startRuns} needs: everything here comes from the environment, which a reload cannot change. */
export interface StartRunsOptions {
  /** The tiers of every enabled collector (`planTiers` without accounts). */
  readonly tiers: readonly TierPlan[];
  readonly includePostcode: boolean;
  /** How sources other than CHAOS fetch (see `BindingDeps`). */
  readonly fetchPolicy: FetchPolicy;
  /** The validated source settings, by variable (see `DataSource.settings`). */
  readonly settings?: Readonly<Record<string, string>> | undefined;
  readonly logger: Logger;
  readonly now?: (() => number) | undefined;
  /** Each source's memory of its targets: the state keeper's (`sourceMemory`). */
  readonly memory: (source: DataSource) => TargetMemory;
}

/** A started binding: its run, and how long what it stores may be served. */
export interface StartedRun {
  readonly run: CollectorRun;
  readonly maxAgeMs: number;
}

/** Every enabled binding, started. */
export type StartedRuns = ReadonlyMap<CollectorBinding, StartedRun>;

/**
 * Starts each binding of `tiers` once, so what it remembers between runs lives as long as the
 * exporter, across reloads.
 */
export function startRuns(options: StartRunsOptions): StartedRuns {
  const now = options.now ?? Date.now;
  const settings = options.settings ?? {};
  const runs = new Map<CollectorBinding, StartedRun>();
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
        memory: options.memory(binding.source),
      });
      runs.set(binding, { run, maxAgeMs: tier.maxAgeSeconds * 1000 });
    }
  }
  return runs;
}

/** What a collect job needs: the accounts of one configuration, and the runs started once. */
export interface CollectJobOptions {
  /** Every account this replica collects, as configured. */
  readonly accounts: readonly AccountConfig[];
  /** One SDK client per account. */
  readonly clients: ReadonlyMap<string, ChaosClient>;
  /** Every enabled binding, started ({@link startRuns}). */
  readonly runs: StartedRuns;
  /** Where each run's result goes; the store's summaries are its owner's business. */
  readonly store: Pick<SnapshotStore<unknown>, 'set'>;
  /** Whether several accounts are configured (then every series carries `account`). */
  readonly multiAccount: boolean;
  readonly now?: (() => number) | undefined;
}

/** The function the scheduler calls: one run of `collector` for `account`. */
export type CollectJob = (account: string, collector: CollectorBinding, signal: AbortSignal) => Promise<void>;

/** Creates the function the scheduler calls for one configuration's accounts. */
export function createCollectJob(options: CollectJobOptions): CollectJob {
  const now = options.now ?? Date.now;
  const accounts = new Map(options.accounts.map((account) => [account.name, account]));
  return async (account, binding, signal) => {
    const client = options.clients.get(account);
    const accountConfig = accounts.get(account);
    if (!client || !accountConfig) throw new Error(`no client for account ${account}`);
    const started = options.runs.get(binding);
    if (!started) throw new Error(`collector ${nameOf(binding)} is not enabled`);
    const context = options.multiAccount ? { account } : {};
    const samples = await started.run({ account, accountConfig, client, signal, context });
    options.store.set({
      account,
      collector: binding.collector,
      samples,
      collectedAtMs: now(),
      maxAgeMs: started.maxAgeMs,
    });
  };
}
