/**
 * The memory behind the `aaisp_cqm_*_total` counters: each line's CQM totals and the newest sample
 * ingested, kept in a state value the caller owns so that the `cqm` collector stays pure. Every
 * fetch of a line's CSV repeats the last 24 hours; {@link trackCqm} counts each 100-second sample
 * once, so `rate()` and `increase()` are exact whatever the fetch interval.
 *
 * @module
 */

import type { CqmData, CqmSample } from '@aaisp/chaos-client';

/** A&A's sample length (docs/chaos-api.md §11.2), used while no sample has told us its `Period`. */
const DEFAULT_PERIOD_SECONDS = 100;

/** Running totals of one line since the caller's state began (0 after the first fetch). */
export interface CqmTotals {
  /** Echoes sent, summed over the samples that give `Polls Sent`. */
  readonly pollsSent: number;
  /** Echoes without an answer: `Math.round(Polls Sent x %Fail / 100)` per sample that gives both. */
  readonly pollsFailed: number;
  /**
   * Seconds the line was offline: whole samples with `Polls Sent` 0 or `%Fail` 100, plus gaps of
   * missing rows between two samples known to be consecutive in A&A's data.
   */
  readonly offlineSeconds: number;
  /**
   * Seconds between the last sample seen and the next one that no fetch covered, because the
   * 24-hour window moved past the last seen sample (fetches failed for about a day). Whether the
   * line was up is unknown, so they are not in {@link offlineSeconds}.
   */
  readonly unobservedSeconds: number;
  /** Samples ingested. */
  readonly samples: number;
}

/**
 * One line's CQM memory. Immutable: {@link trackCqm} returns a new state and never changes the
 * one it is given. Keep one per line (per account), start with {@link emptyCqmLineState}.
 */
export interface CqmLineState {
  /**
   * Start (Unix ms) of the newest sample ingested; samples that start at or before it are never
   * counted again. Undefined until a fetch brought a complete sample.
   */
  readonly lastSeenStartMs?: number | undefined;
  /**
   * The last `Period` a sample gave, in seconds: stands in for a sample that leaves it out (or
   * gives 0). Undefined until one did (then 100 s is assumed).
   */
  readonly periodSeconds?: number | undefined;
  readonly totals: CqmTotals;
  /** The newest sample ingested (the one that starts at {@link lastSeenStartMs}); its values are the gauges. */
  readonly newest?: CqmSample | undefined;
}

/** The state of a line before any fetch: no sample seen, every total 0. */
export function emptyCqmLineState(): CqmLineState {
  return Object.freeze({
    totals: Object.freeze({
      pollsSent: 0,
      pollsFailed: 0,
      offlineSeconds: 0,
      unobservedSeconds: 0,
      samples: 0,
    }),
  });
}

/**
 * The sample's length in seconds, when it gives a usable one. A `Period` of 0 is taken as absent:
 * whether A&A ever writes one (an offline sample?) is unknown [?], and a zero length would make
 * every following start look like a gap of missing rows.
 */
function periodOf(entry: CqmSample): number | undefined {
  const { periodSeconds } = entry;
  return periodSeconds !== undefined && periodSeconds > 0 ? periodSeconds : undefined;
}

/** Whether a sample says the line was offline throughout. How A&A shows an outage is unknown [?]. */
function wasOffline(entry: CqmSample): boolean {
  return entry.pollsSent === 0 || entry.failedRatio === 1;
}

/**
 * Returns the state after one fetch of the line's CQM CSV, made at `fetchedAtMs` (Unix ms).
 *
 * - **Complete samples only.** A sample counts once `start + period <= fetchedAtMs`. Whether A&A
 *   lists the sample in progress is unknown [?]: if it does, that sample and any after it are
 *   left for a later fetch, which ingests them then.
 * - **First fetch** (no {@link CqmLineState.lastSeenStartMs}): the window's 24 hours of history
 *   are not counted, or a restarted exporter's counters would jump by a day's worth, which
 *   `rate()` and `increase()` would read as real. The newest complete sample becomes the one
 *   seen (the gauges show it) and the totals stay 0. So a restart that starts from an empty state
 *   loses the samples between the old process' last fetch and the new one's first (a counter
 *   reset, which `rate()` and `increase()` handle), and no sample is ever counted twice. A caller
 *   that keeps the state across restarts (the exporter's `STATE__DIR`) loses none: the first
 *   fetch after the restart is a later fetch of the kept state.
 * - **Later fetches** ingest every complete sample that starts after the last seen one, oldest
 *   first, once each: `samples` + 1, `pollsSent` + `Polls Sent`, `pollsFailed` +
 *   `round(Polls Sent x %Fail)` (each when the fields are there), and a sample with `Polls Sent`
 *   0 or `%Fail` 100 adds its period to `offlineSeconds`. A sample without a `Period` (or with 0)
 *   is taken to last as long as the one before it, 100 s if none did.
 * - **Missing rows.** A gap from one sample's end to the next one's start of at least half a
 *   period is offline time when the two are known to be consecutive: both are in this fetch, or
 *   the earlier is the last seen sample and this fetch still holds it. When the window has moved
 *   past the last seen sample (fetches failed for a day), the gap is added to `unobservedSeconds`
 *   instead: nobody knows whether the line was up. Time after the newest sample is not counted
 *   until a later sample arrives (A&A publishes late, and `aaisp_cqm_sample_timestamp_seconds`
 *   shows the delay).
 * - Samples that start at or before the last seen one are never counted again, even when their
 *   values changed, and the gauges keep the values first ingested. Samples are taken in
 *   `data.samples`' order (oldest first, as `parseCqmCsv` gives them); one out of order is
 *   skipped, never counted twice. A fetch with no new complete sample returns `previous`.
 *
 * Totals only ever grow, so the counters made of them suit `rate()` and `increase()`.
 *
 * @example
 * ```ts
 * let state = emptyCqmLineState();
 * state = trackCqm(state, await fetchCqm(url), Date.now());
 * const samples = cqmLines.collect([{ lineId: '32891', state }], {});
 * ```
 */
export function trackCqm(
  previous: CqmLineState,
  data: Pick<CqmData, 'samples'>,
  fetchedAtMs: number,
): CqmLineState {
  if (previous.lastSeenStartMs === undefined) return firstFetch(previous, data, fetchedAtMs);
  const seenMs = previous.lastSeenStartMs;
  let period = previous.periodSeconds ?? DEFAULT_PERIOD_SECONDS;
  let cursorMs = seenMs;
  let cursorEndMs = seenMs + period * 1000;
  // Until a sample of this fetch is ingested, the gap after the last seen sample is known to be
  // missing rows only if this fetch still holds that sample.
  let consecutive = false;
  let { pollsSent, pollsFailed, offlineSeconds, unobservedSeconds, samples } = previous.totals;
  let newest: CqmSample | undefined;
  for (const entry of data.samples) {
    const startMs = entry.start.getTime();
    if (startMs <= cursorMs) {
      if (startMs === seenMs) consecutive = true;
      continue;
    }
    const entryPeriod = periodOf(entry) ?? period;
    if (startMs + entryPeriod * 1000 > fetchedAtMs) break;
    const gapSeconds = (startMs - cursorEndMs) / 1000;
    // Less than half a period is clock jitter between rows, not a missing row.
    if (gapSeconds >= period / 2) {
      if (consecutive) offlineSeconds += gapSeconds;
      else unobservedSeconds += gapSeconds;
    }
    samples += 1;
    if (entry.pollsSent !== undefined) {
      pollsSent += entry.pollsSent;
      if (entry.failedRatio !== undefined) pollsFailed += Math.round(entry.pollsSent * entry.failedRatio);
    }
    if (wasOffline(entry)) offlineSeconds += entryPeriod;
    period = entryPeriod;
    cursorMs = startMs;
    cursorEndMs = startMs + entryPeriod * 1000;
    consecutive = true;
    newest = entry;
  }
  if (newest === undefined) return previous;
  return Object.freeze({
    lastSeenStartMs: cursorMs,
    periodSeconds: period,
    totals: Object.freeze({ pollsSent, pollsFailed, offlineSeconds, unobservedSeconds, samples }),
    newest,
  });
}

/** The first fetch: remembers the newest complete sample, counts nothing. */
function firstFetch(
  previous: CqmLineState,
  data: Pick<CqmData, 'samples'>,
  fetchedAtMs: number,
): CqmLineState {
  let period = previous.periodSeconds ?? DEFAULT_PERIOD_SECONDS;
  let newest: CqmSample | undefined;
  for (const entry of data.samples) {
    if (newest !== undefined && entry.start.getTime() <= newest.start.getTime()) continue;
    const entryPeriod = periodOf(entry) ?? period;
    if (entry.start.getTime() + entryPeriod * 1000 > fetchedAtMs) break;
    period = entryPeriod;
    newest = entry;
  }
  if (newest === undefined) return previous;
  return Object.freeze({
    lastSeenStartMs: newest.start.getTime(),
    periodSeconds: period,
    totals: previous.totals,
    newest,
  });
}
