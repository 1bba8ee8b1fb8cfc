/**
 * The exporter's snapshot: the last good data of each collector of each account, served by
 * `/metrics` without ever calling CHAOS. Old data is dropped, never served as if fresh; only its
 * summary stays, so the status page can name what went stale.
 *
 * Each entry is rendered once, when it is stored: its series lines as bytes (the same in both
 * formats), and whatever summary the owner asks for (the status page's line rows, which may carry
 * a short history forward from the summary they replace). The samples are not kept: at 10 000
 * lines they are ~5 MB of small objects, and the bytes are all a scrape needs. An exposition is
 * assembled from the entries' bytes once per change and format: as parts written as they are when
 * it is large, joined into one buffer when it is small.
 *
 * @module
 */

import {
  assembleExposition,
  type CollectorMetrics,
  type ExpositionFormat,
  type RenderedSeries,
  renderSeries,
  type Sample,
} from '@aaisp/collectors';
import { jobKey } from '../model/job-key.ts';

/** One collector's last good result for one account, as a collection run hands it over. */
export interface SnapshotEntry {
  readonly account: string;
  readonly collector: CollectorMetrics;
  readonly samples: readonly Sample[];
  /** When the data was collected (ms since the epoch). */
  readonly collectedAtMs: number;
  /** After this long the entry is dropped (default in the exporter: 3 × its tier interval). */
  readonly maxAgeMs: number;
}

/**
 * What the store keeps of an entry: its series rendered, not its samples, and the owner's
 * summary of the samples.
 *
 * @typeParam Summary - what the owner's `summarize` makes of an entry (`undefined` without one).
 */
export interface StoredEntry<Summary = undefined> {
  readonly account: string;
  readonly collector: CollectorMetrics;
  readonly series: RenderedSeries;
  /** The owner's summary of the samples, made when the entry was stored. */
  readonly summary: Summary;
  /** When the data was collected (ms since the epoch). */
  readonly collectedAtMs: number;
  /** After this long the entry is dropped. */
  readonly maxAgeMs: number;
}

/** What the store keeps of an entry dropped for age: no series, only what the status page reads. */
export type ExpiredEntry<Summary = undefined> = Omit<StoredEntry<Summary>, 'series'>;

/**
 * An exposition as parts to write in order. The same object (and the same `parts` array) is
 * returned until something changes, so it can key a cache (the gzip of it).
 */
export interface Exposition {
  /** In OpenMetrics the last part is always `# EOF\n`. */
  readonly parts: readonly Buffer[];
  /** The bytes of all parts: the `Content-Length` of the exposition alone. */
  readonly byteLength: number;
}

/**
 * The snapshot store. One per exporter; the owner passes the clock in.
 *
 * @typeParam Summary - what the owner keeps of each entry's samples besides its series.
 */
export interface SnapshotStore<Summary = undefined> {
  /** Replaces the entry of this account and collector (a vanished line vanishes at once). */
  set(entry: SnapshotEntry): void;
  /**
   * The exposition of every entry younger than its max age at `nowMs` (only `account`'s, when
   * given: `/probe`), with older entries dropped first. Assembled again only when something
   * changed.
   */
  exposition(format: ExpositionFormat, nowMs: number, account?: string): Exposition;
  /** The live entries at `nowMs` (the status page reads their summaries). */
  entries(nowMs: number): readonly StoredEntry<Summary>[];
  /**
   * The entries dropped for age at `nowMs`, summary only (their series are gone), until the next
   * good run of their account and collector replaces them or `retain` drops them: the status page
   * lists a line whose data went stale as stale rather than losing it.
   */
  expired(nowMs: number): readonly ExpiredEntry<Summary>[];
  /**
   * Drops every entry `keep` refuses, live or expired, by account and collector name: after a
   * reload, the series of an account (or a collector of it) no longer configured leave at once
   * rather than at their max age.
   */
  retain(keep: (account: string, collector: string) => boolean): void;
}

/**
 * Expositions up to this size are joined into one buffer (~650 KB at 1 000 lines). Writing ~90
 * parts (a header and the series of each family) rather than one raised scrape p99 by ~15 % at
 * 1 000 lines; a copy of that size costs little memory. Above it, at 10 000 lines and more, the
 * copy would double the largest thing the exporter holds (6.4 MB), and writing is bound by the
 * bytes, not the parts.
 */
const JOIN_UP_TO_BYTES = 1024 * 1024;

/** `parts` as one buffer, OpenMetrics' `# EOF` kept as the last part (the server writes before it). */
function joined(parts: readonly Buffer[], format: ExpositionFormat): Buffer[] {
  if (format !== 'openmetrics') return [Buffer.concat(parts)];
  // assembleExposition always ends OpenMetrics with it; the server's writes depend on that.
  const eof = parts.at(-1);
  if (eof === undefined || eof.toString('utf8') !== '# EOF\n') {
    throw new Error('an OpenMetrics exposition must end with # EOF');
  }
  return [Buffer.concat(parts.slice(0, -1)), eof];
}

/** What a store may keep of an entry's samples besides its series. */
export interface SnapshotStoreOptions<Summary> {
  /**
   * Called once per stored entry, with its samples (which are not kept) and the summary of the
   * entry it replaces, live or expired (`undefined` for the first), so a summary can carry a short
   * history forward.
   */
  readonly summarize: (entry: SnapshotEntry, previous: Summary | undefined) => Summary;
}

/**
 * Creates an empty store. With `summarize`, each entry also keeps what it returns.
 *
 * @example
 * ```ts
 * const store = createSnapshotStore({ summarize: (entry) => entry.samples.length });
 * store.set({ account: 'default', collector, samples, collectedAtMs: Date.now(), maxAgeMs: 180_000 });
 * store.entries(Date.now())[0]?.summary; // the sample count
 * ```
 */
export function createSnapshotStore(): SnapshotStore;
export function createSnapshotStore<Summary>(options: SnapshotStoreOptions<Summary>): SnapshotStore<Summary>;
export function createSnapshotStore<Summary>(
  options?: SnapshotStoreOptions<Summary>,
): SnapshotStore<Summary | undefined> {
  const summarize = options?.summarize;
  const entries = new Map<string, StoredEntry<Summary | undefined>>();
  /** Entries dropped for age, by the same key: their summaries only. */
  const expired = new Map<string, ExpiredEntry<Summary | undefined>>();
  /** Assembled expositions by format and account, emptied on every change. */
  const cache = new Map<string, Exposition>();

  const expire = (nowMs: number): void => {
    for (const [name, entry] of entries) {
      if (nowMs - entry.collectedAtMs > entry.maxAgeMs) {
        entries.delete(name);
        const { series: _dropped, ...kept } = entry;
        expired.set(name, kept);
        cache.clear();
      }
    }
  };

  const exposition = (format: ExpositionFormat, nowMs: number, account: string | undefined): Exposition => {
    expire(nowMs);
    const cacheKey = account === undefined ? format : `${format}\u0000${account}`;
    let cached = cache.get(cacheKey);
    if (cached === undefined) {
      const chosen = [...entries.values()].filter(
        (item) => account === undefined || item.account === account,
      );
      const parts = assembleExposition(
        chosen.map((item) => item.series),
        format,
      );
      let byteLength = 0;
      for (const part of parts) byteLength += part.length;
      cached = { parts: byteLength <= JOIN_UP_TO_BYTES ? joined(parts, format) : parts, byteLength };
      cache.set(cacheKey, cached);
    }
    return cached;
  };

  return {
    set(entry) {
      const { account, collector, samples, collectedAtMs, maxAgeMs } = entry;
      const name = jobKey(account, collector.name);
      const previous = entries.get(name)?.summary ?? expired.get(name)?.summary;
      entries.set(name, {
        account,
        collector,
        series: renderSeries({ collector, samples }),
        summary: summarize?.(entry, previous),
        collectedAtMs,
        maxAgeMs,
      });
      expired.delete(name);
      cache.clear();
    },
    exposition,
    entries(nowMs) {
      expire(nowMs);
      return [...entries.values()];
    },
    expired(nowMs) {
      expire(nowMs);
      return [...expired.values()];
    },
    retain(keep) {
      for (const [name, entry] of entries) {
        if (keep(entry.account, entry.collector.name)) continue;
        entries.delete(name);
        cache.clear();
      }
      for (const [name, entry] of expired) {
        if (!keep(entry.account, entry.collector.name)) expired.delete(name);
      }
    },
  };
}
