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
   * given: `/probe`), as UTF-8 bytes, with older entries dropped first. Encoded again only when
   * something changed: a 1 000-line exposition is ~650 KB, and rendering or encoding it for every
   * scrape was most of a scrape's CPU.
   */
  renderBytes(format: ExpositionFormat, nowMs: number, account?: string): Buffer;
  /**
   * {@link renderBytes} decoded, for tests and tools. Not cached: only the bytes are kept, because
   * the text of a 10 000-line exposition is a 12 MB string (its HELP texts are not all ASCII, so V8
   * stores it two bytes a character) that the server never needs.
   */
  render(format: ExpositionFormat, nowMs: number, account?: string): string;
  /** The live entries at `nowMs`, for `/health` and the status page. */
  entries(nowMs: number): readonly SnapshotEntry[];
}

/** Creates an empty store. */
export function createSnapshotStore(): SnapshotStore {
  const entries = new Map<string, SnapshotEntry>();
  /** Encoded expositions by format and account, emptied on every change. */
  const cache = new Map<string, Buffer>();
  const key = (account: string, collector: string): string => `${account}\u0000${collector}`;

  const expire = (nowMs: number): void => {
    for (const [name, entry] of entries) {
      if (nowMs - entry.collectedAtMs > entry.maxAgeMs) {
        entries.delete(name);
        cache.clear();
      }
    }
  };

  const renderBytes = (format: ExpositionFormat, nowMs: number, account: string | undefined): Buffer => {
    expire(nowMs);
    const cacheKey = account === undefined ? format : key(format, account);
    let bytes = cache.get(cacheKey);
    if (bytes === undefined) {
      const chosen = [...entries.values()].filter(
        (item) => account === undefined || item.account === account,
      );
      const text = renderExposition(
        chosen.map((item) => ({ collector: item.collector, samples: item.samples })),
        format,
      );
      bytes = Buffer.from(text, 'utf8');
      cache.set(cacheKey, bytes);
    }
    return bytes;
  };

  return {
    set(entry) {
      entries.set(key(entry.account, entry.collector.name), entry);
      cache.clear();
    },
    delete(account, collector) {
      if (entries.delete(key(account, collector))) cache.clear();
    },
    renderBytes,
    render(format, nowMs, account) {
      return renderBytes(format, nowMs, account).toString('utf8');
    },
    entries(nowMs) {
      expire(nowMs);
      return [...entries.values()];
    },
  };
}
