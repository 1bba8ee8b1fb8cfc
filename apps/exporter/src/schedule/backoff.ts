/**
 * Back-off of one failing job (one collector of one account): the first failure retries on the
 * next tick, then 2, 4 and at most 8 intervals apart, so a CHAOS outage costs few calls. A
 * `Retry-After` from CHAOS is honoured when it asks for longer.
 *
 * @module
 */

/** A failing job waits at most this many intervals. */
export const MAX_BACKOFF_FACTOR: number = 8;

/** What the back-off of a job knows. Owned by the scheduler, one per job. */
export interface BackoffState {
  /** Failures in a row. */
  failures: number;
  /** Skip runs before this time (ms since the epoch). */
  notBeforeMs: number;
}

/** A job that has not failed. */
export const freshBackoff = (): BackoffState => ({ failures: 0, notBeforeMs: 0 });

/** Whether the job should sit this tick out. */
export const isBackingOff = (state: BackoffState, nowMs: number): boolean => nowMs < state.notBeforeMs;

/** After a success: the next tick runs. */
export function recordSuccess(state: BackoffState): void {
  state.failures = 0;
  state.notBeforeMs = 0;
}

/** What a failure needs to know to place the next attempt. */
export interface FailureTiming {
  readonly intervalMs: number;
  /** When the tier run that failed started. */
  readonly runStartedMs: number;
  readonly nowMs: number;
  /** CHAOS' `Retry-After`, in seconds, when it sent one. */
  readonly retryAfterSeconds?: number | undefined;
}

/** After a failure: counts it and sets when the job may run again. */
export function recordFailure(state: BackoffState, timing: FailureTiming): void {
  state.failures++;
  const backoffMs = timing.intervalMs * Math.min(2 ** (state.failures - 1), MAX_BACKOFF_FACTOR);
  const retryAfterMs = (timing.retryAfterSeconds ?? 0) * 1000;
  // Counted from the run's start, not from the failure: a slow failing call must not make the job
  // miss the very next tick (hence the 1 ms).
  state.notBeforeMs = Math.max(timing.runStartedMs + backoffMs - 1, timing.nowMs + retryAfterMs);
}
