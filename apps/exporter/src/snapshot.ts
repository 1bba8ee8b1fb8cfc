/**
 * The exporter's snapshot: the last good samples of each collector of each account, served by
 * `/metrics` without ever calling CHAOS. Old data is dropped, never served as if fresh, and the
 * exposition is rendered once per change rather than once per scrape.
 *
 * @module
 */

import {
  type CollectorMetrics,
  type ExpositionFormat,
  renderExposition,
  type Sample,
} from '@aaisp/collectors';

/** One collector's last good result for one account. */
export interface SnapshotEntry {
  readonly account: string;
  readonly collector: CollectorMetrics;
  readonly samples: readonly Sample[];
  /** When the data was collected (ms since the epoch). */
  readonly collectedAtMs: number;
  /** After this long the entry is dropped (default in the exporter: 3 × its tier interval). */
  readonly maxAgeMs: number;
}

/** The snapshot store. One per exporter; the owner passes the clock in. */
export interface SnapshotStore {
  /** Replaces the entry of this account and collector (a vanished line vanishes at once). */
  set(entry: SnapshotEntry): void;
  /** Forgets an account's collector (e.g. the collector was disabled). */
  delete(account: string, collector: string): void;
  /**
   * The exposition of every entry younger than its max age at `nowMs` (only `account`'s, when
   * given: `/probe`), with older entries dropped first. Rendered again only when something changed.
   */
  render(format: ExpositionFormat, nowMs: number, account?: string): string;
  /** The live entries at `nowMs`, for `/health` and the status page. */
  entries(nowMs: number): readonly SnapshotEntry[];
}

/** Creates an empty store. */
export function createSnapshotStore(): SnapshotStore {
  const entries = new Map<string, SnapshotEntry>();
  /** Rendered text by format and account (`undefined`: every account). */
  const cache = new Map<string, string>();
  const key = (account: string, collector: string): string => `${account}\u0000${collector}`;

  const expire = (nowMs: number): void => {
    for (const [name, entry] of entries) {
      if (nowMs - entry.collectedAtMs > entry.maxAgeMs) {
        entries.delete(name);
        cache.clear();
      }
    }
  };

  return {
    set(entry) {
      entries.set(key(entry.account, entry.collector.name), entry);
      cache.clear();
    },
    delete(account, collector) {
      if (entries.delete(key(account, collector))) cache.clear();
    },
    render(format, nowMs, account) {
      expire(nowMs);
      const cacheKey = account === undefined ? format : key(format, account);
      let text = cache.get(cacheKey);
      if (text === undefined) {
        const chosen = [...entries.values()].filter(
          (entry) => account === undefined || entry.account === account,
        );
        text = renderExposition(
          chosen.map((entry) => ({ collector: entry.collector, samples: entry.samples })),
          format,
        );
        cache.set(cacheKey, text);
      }
      return text;
    },
    entries(nowMs) {
      expire(nowMs);
      return [...entries.values()];
    },
  };
}
