/**
 * One collector run for one account: the single CHAOS call the collector needs, the pure
 * collector, and the result stored in the snapshot. A failure throws and leaves the last good
 * snapshot in place (it ages out on its own).
 *
 * @module
 */

import type { ChaosClient } from '@aaisp/chaos-client';
import {
  broadbandLines,
  broadbandServices,
  type CollectorMetrics,
  emptySyncChangeState,
  loginServices,
  type Sample,
  type SyncChangeState,
  telephonyRatecard,
  trackSyncChanges,
} from '@aaisp/collectors';
import type { Logger } from 'pino';
import type { SnapshotStore } from '../store/snapshot.ts';
import type { CollectorName, TierPlan } from './tiers.ts';

/** What a collect job needs. */
export interface CollectJobOptions {
  /** One SDK client per configured account. */
  readonly clients: ReadonlyMap<string, ChaosClient>;
  readonly store: SnapshotStore;
  readonly tiers: readonly TierPlan[];
  /** Whether several accounts are configured (then every series carries `account`). */
  readonly multiAccount: boolean;
  readonly includePostcode: boolean;
  readonly logger: Logger;
  readonly now?: (() => number) | undefined;
}

/**
 * Creates the function the scheduler calls. Resync memory is kept per account here, and lines the
 * SDK had to skip (a broken field) are logged once per line and reason, not on every run.
 */
export function createCollectJob(
  options: CollectJobOptions,
): (account: string, collector: CollectorName, signal: AbortSignal) => Promise<void> {
  const now = options.now ?? Date.now;
  const syncStates = new Map<string, SyncChangeState>();
  const reported = new Set<string>();
  const maxAgeMs = new Map<CollectorName, number>();
  for (const tier of options.tiers) {
    for (const collector of tier.collectors) maxAgeMs.set(collector, tier.maxAgeSeconds * 1000);
  }

  return async (account, collector, signal) => {
    const client = options.clients.get(account);
    if (!client) throw new Error(`no client for account ${account}`);
    const context = options.multiAccount ? { account } : {};
    const call = { signal };
    let metrics: CollectorMetrics;
    let samples: Sample[];
    switch (collector) {
      case 'broadband_lines': {
        // One bad line must not hide the good ones: skip it, keep the rest, say why once.
        const info = await client.broadband.info({ ...call, onInvalidLine: 'skip' });
        for (const skipped of info.skipped) {
          const reason = skipped.issues
            .map((issue) => `${issue.path.slice(2).join('.')}: ${issue.message}`)
            .join('; ');
          const key = `${account}\u0000${skipped.id ?? `#${skipped.index}`}\u0000${reason}`;
          if (reported.has(key)) continue;
          reported.add(key);
          options.logger.warn(
            { account, line: skipped.id ?? `info[${skipped.index}]`, reason },
            'CHAOS sent a line with bad data; it is left out',
          );
        }
        const syncChanges = trackSyncChanges(syncStates.get(account) ?? emptySyncChangeState(), info);
        syncStates.set(account, syncChanges);
        metrics = broadbandLines;
        samples = broadbandLines.collect(info, {
          ...context,
          syncChanges,
          includePostcode: options.includePostcode,
        });
        break;
      }
      case 'broadband_services':
        metrics = broadbandServices;
        samples = broadbandServices.collect(await client.broadband.services(call), context);
        break;
      case 'login_services':
        metrics = loginServices;
        samples = loginServices.collect(await client.login.services(call), context);
        break;
      case 'telephony_ratecard':
        metrics = telephonyRatecard;
        samples = telephonyRatecard.collect(await client.telephony.ratecard(call), context);
        break;
    }
    options.store.set({
      account,
      collector: metrics,
      samples,
      collectedAtMs: now(),
      maxAgeMs: maxAgeMs.get(collector) ?? Number.POSITIVE_INFINITY,
    });
  };
}
