import type { CqmData, CqmSample } from '@aaisp/chaos-client';
import { describe, expect, it } from 'vitest';
import { at, real } from '../test/cqm-samples.ts';
import { type CqmLineState, emptyCqmLineState, trackCqm } from './index.ts';

const row = real;
const rows = (from: number, to: number, change: Partial<CqmSample> = {}): CqmSample[] =>
  Array.from({ length: to - from + 1 }, (_, offset) => row(from + offset, change));
const data = (...samples: CqmSample[]): CqmData => ({
  samples,
  skipped: [],
  missingColumns: [],
  unknownColumns: [],
});

/** The state after a first fetch of samples 0..9 at the end of sample 9. */
const seen = (): CqmLineState => trackCqm(emptyCqmLineState(), data(...rows(0, 9)), at(10));

describe('trackCqm', () => {
  it('first fetch: marks the newest complete sample as seen, counts no history, ignores the sample in progress', () => {
    // Sample 10 started 50 s before the fetch: it is in progress, if A&A lists it at all [?].
    const state = trackCqm(emptyCqmLineState(), data(...rows(0, 10)), at(10) + 50_000);
    expect(state.lastSeenStartMs).toBe(at(9));
    expect(state.newest).toEqual(row(9));
    expect(state.totals).toEqual({
      pollsSent: 0,
      pollsFailed: 0,
      offlineSeconds: 0,
      unobservedSeconds: 0,
      samples: 0,
    });
  });

  it('a sample that ends exactly at the fetch is complete', () => {
    expect(trackCqm(emptyCqmLineState(), data(...rows(0, 10)), at(11)).lastSeenStartMs).toBe(at(10));
  });

  it('second fetch overlapping the first: counts only the new complete samples, once', () => {
    // The window still holds 5..9 (seen), 10..12 are new and complete, 13 is in progress.
    const second = trackCqm(seen(), data(...rows(5, 13)), at(13) + 50_000);
    expect(second.lastSeenStartMs).toBe(at(12));
    expect(second.newest).toEqual(row(12));
    expect(second.totals).toEqual({
      pollsSent: 300,
      pollsFailed: 0,
      offlineSeconds: 0,
      unobservedSeconds: 0,
      samples: 3,
    });
    // The same window a little later: 13 is complete now and is ingested, nothing else.
    const third = trackCqm(second, data(...rows(5, 13)), at(14));
    expect(third.lastSeenStartMs).toBe(at(13));
    expect(third.totals).toEqual({ ...second.totals, pollsSent: 400, samples: 4 });
  });

  it('a lossy run: 20 % of 100 echoes is 20 failed per sample', () => {
    const state = trackCqm(seen(), data(...rows(5, 9), ...rows(10, 12, { failedRatio: 0.2 })), at(13));
    expect(state.totals).toEqual({
      pollsSent: 300,
      pollsFailed: 60,
      offlineSeconds: 0,
      unobservedSeconds: 0,
      samples: 3,
    });
    expect(state.newest?.failedRatio).toBe(0.2);
  });

  it('rounds failed echoes per sample (1 of 99 sent is %Fail 1.01)', () => {
    const state = trackCqm(seen(), data(row(10, { pollsSent: 99, failedRatio: 0.0101 })), at(11));
    expect(state.totals.pollsSent).toBe(99);
    expect(state.totals.pollsFailed).toBe(1);
  });

  it('offline by %Fail 100: each sample adds its period, and all its echoes failed', () => {
    const state = trackCqm(seen(), data(...rows(9, 11, { failedRatio: 1 }), row(12)), at(13));
    // 9 was seen already (never recounted, even with new values); 10 and 11 are offline.
    expect(state.totals).toEqual({
      pollsSent: 300,
      pollsFailed: 200,
      offlineSeconds: 200,
      unobservedSeconds: 0,
      samples: 3,
    });
  });

  it('offline by Polls Sent 0, with or without a %Fail', () => {
    const state = trackCqm(
      seen(),
      data(row(10, { pollsSent: 0, failedRatio: 0 }), row(11, { pollsSent: 0, failedRatio: undefined })),
      at(12),
    );
    expect(state.totals).toEqual({
      pollsSent: 0,
      pollsFailed: 0,
      offlineSeconds: 200,
      unobservedSeconds: 0,
      samples: 2,
    });
  });

  it('offline by missing rows inside one fetch: the whole gap counts', () => {
    // 11, 12 and 13 are missing: 10 ends at 1100 s, 14 starts at 1400 s.
    const state = trackCqm(seen(), data(...rows(0, 10), ...rows(14, 15)), at(16));
    expect(state.totals).toEqual({
      pollsSent: 300,
      pollsFailed: 0,
      offlineSeconds: 300,
      unobservedSeconds: 0,
      samples: 3,
    });
  });

  it('offline by missing rows across fetches, when this fetch still holds the last seen sample', () => {
    // 10, 11 and 12 are missing between the last seen 9 (ends at 1000 s) and 13.
    const state = trackCqm(seen(), data(...rows(5, 9), row(13)), at(14));
    expect(state.totals).toEqual({
      pollsSent: 100,
      pollsFailed: 0,
      offlineSeconds: 300,
      unobservedSeconds: 0,
      samples: 1,
    });
  });

  it('a gap after the last seen sample that the window has moved past is unobserved, not offline', () => {
    // Fetches failed for a day: the window now starts at 20, long after the last seen 9.
    const state = trackCqm(seen(), data(...rows(20, 25)), at(26));
    expect(state.totals).toEqual({
      pollsSent: 600,
      pollsFailed: 0,
      offlineSeconds: 0,
      unobservedSeconds: 1000,
      samples: 6,
    });
    // The same holds when only the last seen row itself is gone from the window.
    const lost = trackCqm(seen(), data(...rows(5, 8), row(13)), at(14));
    expect(lost.totals.offlineSeconds).toBe(0);
    expect(lost.totals.unobservedSeconds).toBe(300);
  });

  it('a contiguous window that moved past the last seen sample adds nothing unobserved', () => {
    expect(trackCqm(seen(), data(...rows(10, 12)), at(13)).totals.unobservedSeconds).toBe(0);
  });

  it('less than half a period between rows is jitter, not a missing row', () => {
    const late = row(10, { start: new Date(at(10) + 49_000) });
    expect(trackCqm(seen(), data(...rows(5, 9), late), at(12)).totals.offlineSeconds).toBe(0);
    const later = row(10, { start: new Date(at(10) + 50_000) });
    expect(trackCqm(seen(), data(...rows(5, 9), later), at(12)).totals.offlineSeconds).toBe(50);
  });

  it('an empty fetch, or one with nothing new and complete, keeps the state', () => {
    const state = seen();
    expect(trackCqm(state, data(), at(20))).toBe(state);
    expect(trackCqm(state, data(...rows(0, 9)), at(20))).toBe(state);
    expect(trackCqm(state, data(...rows(0, 10)), at(10) + 50_000)).toBe(state);
    const empty = emptyCqmLineState();
    expect(trackCqm(empty, data(), at(20))).toBe(empty);
    // A first fetch of a sample still in progress sees nothing yet.
    expect(trackCqm(empty, data(row(0)), at(0) + 50_000)).toBe(empty);
  });

  it('never recounts a sample that starts at or before the last seen one, even with new values', () => {
    const before = seen();
    const changed = trackCqm(before, data(...rows(0, 9, { failedRatio: 1, pollsSent: 0 })), at(20));
    expect(changed).toBe(before);
    // With a new sample after them, the changed ones are still skipped and the gauges move on.
    const state = trackCqm(before, data(...rows(0, 9, { failedRatio: 1 }), row(10)), at(20));
    expect(state.totals).toEqual({ ...before.totals, pollsSent: 100, samples: 1 });
    expect(state.newest).toEqual(row(10));
  });

  it('takes absent values as absent: no echoes added, the previous period stands in', () => {
    const bare: CqmSample = { start: new Date(at(10)), latencySeconds: {}, trafficBitsPerSecond: {} };
    const failedOnly = row(11, { pollsSent: undefined, failedRatio: 1, periodSeconds: undefined });
    const state = trackCqm(seen(), data(bare, failedOnly), at(12));
    expect(state.totals).toEqual({
      pollsSent: 0,
      pollsFailed: 0,
      offlineSeconds: 100,
      unobservedSeconds: 0,
      samples: 2,
    });
    expect(state.periodSeconds).toBe(100);
    expect(state.newest).toEqual(failedOnly);
  });

  it('a sample of another length sets the period for the samples after it', () => {
    const long = row(10, { periodSeconds: 200 });
    // 11 would start at 1200 s; with a 200 s period 10 ends there, so no gap.
    const next = row(11, { start: new Date(at(12)), periodSeconds: undefined, pollsSent: 0 });
    const state = trackCqm(seen(), data(...rows(5, 9), long, next), at(14));
    expect(state.totals.offlineSeconds).toBe(200);
    expect(state.periodSeconds).toBe(200);
  });

  it('takes a Period of 0 as absent, so the next start is no gap', () => {
    const zero = row(10, { periodSeconds: 0, pollsSent: 0 });
    const state = trackCqm(seen(), data(...rows(5, 9), zero, row(11)), at(12));
    expect(state.totals.offlineSeconds).toBe(100);
    expect(state.periodSeconds).toBe(100);
  });

  it('totals only ever grow, and no state is changed by a later fetch (rate() friendly)', () => {
    const fetches: [CqmData, number][] = [
      [data(...rows(0, 9)), at(10)],
      [data(...rows(3, 12, { failedRatio: 0.1 })), at(13)],
      [data(), at(16)],
      [data(...rows(6, 13), ...rows(16, 18, { failedRatio: 1 })), at(19)],
      [data(...rows(40, 42, { pollsSent: 0 })), at(43)],
      [data(...rows(30, 45)), at(46)],
    ];
    let state = emptyCqmLineState();
    const history: { state: CqmLineState; snapshot: string }[] = [];
    for (const [fetched, fetchedAtMs] of fetches) {
      const next = trackCqm(state, fetched, fetchedAtMs);
      for (const key of [
        'pollsSent',
        'pollsFailed',
        'offlineSeconds',
        'unobservedSeconds',
        'samples',
      ] as const) {
        expect(next.totals[key]).toBeGreaterThanOrEqual(state.totals[key]);
      }
      history.push({ state, snapshot: JSON.stringify(state) });
      state = next;
    }
    for (const entry of history) expect(JSON.stringify(entry.state)).toBe(entry.snapshot);
    expect(Object.isFrozen(state)).toBe(true);
    expect(Object.isFrozen(state.totals)).toBe(true);
    // 10..12 (10 % lost), 13, 16..18 offline plus the gap 14..15, 40..42 unobserved after 18,
    // offline (none sent), then 43..45.
    expect(state.totals).toEqual({
      pollsSent: 100 * 3 + 100 + 100 * 3 + 0 + 100 * 3,
      pollsFailed: 10 * 3 + 100 * 3,
      offlineSeconds: 200 + 300 + 300,
      unobservedSeconds: 2100,
      samples: 3 + 1 + 3 + 3 + 3,
    });
  });
});
