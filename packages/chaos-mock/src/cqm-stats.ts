/**
 * Counting of CQM requests, apart from the CHAOS counters of `stats()`, so an exporter test can
 * assert how often each line's CQM URL was fetched without touching the CHAOS figures.
 *
 * @module
 */

/** What the fake CQM has seen since the mock started (or since `resetStats()`). */
export interface CqmStats {
  /**
   * Every GET to a `cqmdirect.cgi/…` path, whatever was answered: CSVs, fault scenarios and 404s
   * for a wrong secret or name. Other methods (405) are not counted.
   */
  readonly requests: number;
  /** GETs per line ID whose secret and name were right, e.g. `{ "32001": 2 }`, faults included. */
  readonly byLine: Readonly<Record<string, number>>;
  /** GETs whose secret or name matched no line (answered 404 unless a fault came first). */
  readonly notFound: number;
}

/** A mutable counter behind {@link CqmStats}; one per mock. @internal */
export interface CqmStatsCounter {
  /** Counts one GET, for `lineId`, or as not found when `undefined`. */
  count(lineId: string | undefined): void;
  snapshot(): CqmStats;
  reset(): void;
}

/** Creates an empty counter. @internal */
export function createCqmStatsCounter(): CqmStatsCounter {
  let requests = 0;
  let notFound = 0;
  let byLine = new Map<string, number>();
  return {
    count(lineId) {
      requests++;
      if (lineId === undefined) notFound++;
      else byLine.set(lineId, (byLine.get(lineId) ?? 0) + 1);
    },
    snapshot() {
      return { requests, byLine: Object.fromEntries(byLine), notFound };
    },
    reset() {
      requests = 0;
      notFound = 0;
      byLine = new Map();
    },
  };
}
