import { describe, expect, it } from 'vitest';
import { freshBackoff, isBackingOff, recordFailure, recordSuccess } from './backoff.ts';

const MINUTE = 60_000;

describe('the back-off of a failing job', () => {
  it('retries on the next tick, then 2, 4 and at most 8 intervals apart, counted from the run start', () => {
    const state = freshBackoff();
    const waits: number[] = [];
    let start = 0;
    for (let failure = 0; failure < 6; failure++) {
      // Each failing call took 10 s; the wait is still counted from the run's start.
      recordFailure(state, { intervalMs: MINUTE, runStartedMs: start, nowMs: start + 10_000 });
      waits.push((state.notBeforeMs + 1 - start) / MINUTE);
      start = state.notBeforeMs + 1;
    }
    expect(waits).toEqual([1, 2, 4, 8, 8, 8]);
    expect(state.failures).toBe(6);
  });

  it('sits out the ticks before its time, and runs on the tick that is due', () => {
    const state = freshBackoff();
    recordFailure(state, { intervalMs: MINUTE, runStartedMs: 0, nowMs: 500 });
    recordFailure(state, { intervalMs: MINUTE, runStartedMs: MINUTE, nowMs: MINUTE + 500 });
    expect(isBackingOff(state, 2 * MINUTE)).toBe(true);
    expect(isBackingOff(state, 3 * MINUTE)).toBe(false);
  });

  it('honours a Retry-After longer than its own wait', () => {
    const state = freshBackoff();
    recordFailure(state, { intervalMs: MINUTE, runStartedMs: 0, nowMs: 1000, retryAfterSeconds: 600 });
    expect(state.notBeforeMs).toBe(601_000);
    recordSuccess(state);
    expect(state).toEqual({ failures: 0, notBeforeMs: 0 });
  });
});
