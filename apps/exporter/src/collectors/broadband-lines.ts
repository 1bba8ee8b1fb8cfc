/**
 * `broadband_lines` on the fast tier: one `broadband/info` call for every line of the account.
 *
 * @module
 */

import {
  broadbandLines as collector,
  emptySyncChangeState,
  type SyncChangeState,
  trackSyncChanges,
} from '@aaisp/collectors';
import type { CollectorBinding } from './binding.ts';
import { chaosSource } from './chaos-source.ts';

/** Line info, sync rates, quota, resync counter and line count. */
export const broadbandLines: CollectorBinding = {
  collector,
  summary:
    'line info, sync rates, adjusted rate, quota, resync counter, line count (every line from one call)',
  source: chaosSource,
  tier: 'fast',
  enable: { flag: 'broadband', default: true },
  optional: false,
  start: ({ logger, includePostcode }) => {
    // Resync memory per account, and bad lines already reported (logged once per line and reason).
    const syncStates = new Map<string, SyncChangeState>();
    const reported = new Set<string>();
    return async ({ account, accountConfig, client, signal, context }) => {
      // One bad line must not hide the good ones: skip it, keep the rest, say why once.
      const info = await client.broadband.info({ signal, onInvalidLine: 'skip' });
      for (const skipped of info.skipped) {
        const reason = skipped.issues
          .map((issue) => `${issue.path.slice(2).join('.')}: ${issue.message}`)
          .join('; ');
        const key = `${account}\u0000${skipped.id ?? `#${skipped.index}`}\u0000${reason}`;
        if (reported.has(key)) continue;
        reported.add(key);
        logger.warn(
          { account, line: skipped.id ?? `info[${skipped.index}]`, reason },
          'CHAOS sent a line with bad data; it is left out',
        );
      }
      const syncChanges = trackSyncChanges(syncStates.get(account) ?? emptySyncChangeState(), info);
      syncStates.set(account, syncChanges);
      // The names the operator gave lines win over the ones derived from their CHAOS titles.
      return collector.collect(info, {
        ...context,
        syncChanges,
        includePostcode,
        names: accountConfig.lineNames,
      });
    };
  },
};
