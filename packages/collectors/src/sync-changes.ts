/**
 * Resync detection for `aaisp_broadband_sync_changes_total`: the memory of each line's last sync
 * rates, kept in a state value the caller owns so that collectors stay pure.
 *
 * @module
 */

import type { BroadbandInfo } from '@aaisp/chaos-client';

/** What is remembered of one line. */
export interface LineSyncMemory {
  /** The last known download sync rate, bit/s. */
  readonly downBps: number | undefined;
  /** The last known upload sync rate, bit/s. */
  readonly upBps: number | undefined;
  /** How many times `tx_rate` or `rx_rate` was seen to change. */
  readonly changes: number;
}

/** The memory of every line seen in the last `broadband/info`, by line ID. Keep one per account. */
export interface SyncChangeState {
  readonly lines: ReadonlyMap<string, LineSyncMemory>;
}

/** The state before any `broadband/info` was seen. */
export function emptySyncChangeState(): SyncChangeState {
  return { lines: new Map() };
}

/**
 * Returns the state after seeing `info`: a line's count goes up by one when its download or
 * upload sync rate differs from the last time it was seen (both known). New lines start at 0;
 * lines missing from `info` are forgotten, so their counter series vanishes with them.
 *
 * @example
 * ```ts
 * let syncState = emptySyncChangeState();
 * const info = await client.broadband.info();
 * syncState = trackSyncChanges(syncState, info);
 * const samples = broadbandLines.collect(info, { syncChanges: syncState });
 * ```
 */
export function trackSyncChanges(previous: SyncChangeState, info: BroadbandInfo): SyncChangeState {
  const lines = new Map<string, LineSyncMemory>();
  for (const line of info.lines) {
    const before = previous.lines.get(line.id);
    const changed = (a: number | undefined, b: number | undefined): boolean =>
      a !== undefined && b !== undefined && a !== b;
    const resynced =
      before !== undefined &&
      (changed(before.downBps, line.syncDownBps) || changed(before.upBps, line.syncUpBps));
    lines.set(line.id, {
      // A rate CHAOS left out keeps the last known one, so a gap is not counted as a resync.
      downBps: line.syncDownBps ?? before?.downBps,
      upBps: line.syncUpBps ?? before?.upBps,
      changes: (before?.changes ?? 0) + (resynced ? 1 : 0),
    });
  }
  return { lines };
}
