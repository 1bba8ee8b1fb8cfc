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
  /**
   * {@link render}'s text as UTF-8 bytes, encoded once per change too: a 1 000-line exposition is
   * ~650 KB, and encoding it again for every scrape was a third of a scrape's CPU.
   */
  renderBytes(format: ExpositionFormat, nowMs: number, account?: string): Buffer;
  /** The live entries at `nowMs`, for `/health` and the status page. */
  entries(nowMs: number): readonly SnapshotEntry[];
}

/** Creates an empty store. */
export function createSnapshotStore(): SnapshotStore {
  const entries = new Map<string, SnapshotEntry>();
  /** Rendered text (and its bytes, once asked for) by format and account. */
  const cache = new Map<string, { readonly text: string; bytes?: Buffer }>();
  const key = (account: string, collector: string): string => `${account}\u0000${collector}`;

  const expire = (nowMs: number): void => {
    for (const [name, entry] of entries) {
      if (nowMs - entry.collectedAtMs > entry.maxAgeMs) {
        entries.delete(name);
        cache.clear();
      }
    }
  };

  const rendered = (
    format: ExpositionFormat,
    nowMs: number,
    account: string | undefined,
  ): { readonly text: string; bytes?: Buffer } => {
    expire(nowMs);
    const cacheKey = account === undefined ? format : key(format, account);
    let entry = cache.get(cacheKey);
    if (entry === undefined) {
      const chosen = [...entries.values()].filter(
        (item) => account === undefined || item.account === account,
      );
      entry = {
        text: renderExposition(
          chosen.map((item) => ({ collector: item.collector, samples: item.samples })),
          format,
        ),
      };
      cache.set(cacheKey, entry);
    }
    return entry;
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
      return rendered(format, nowMs, account).text;
    },
    renderBytes(format, nowMs, account) {
      const entry = rendered(format, nowMs, account);
      entry.bytes ??= Buffer.from(entry.text, 'utf8');
      return entry.bytes;
    },
    entries(nowMs) {
      expire(nowMs);
      return [...entries.values()];
    },
  };
}
