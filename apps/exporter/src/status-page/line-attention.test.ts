import { describe, expect, it } from 'vitest';
import {
  CQM_PUBLISH_DELAY_SECONDS,
  LATENCY_BASELINE_FACTOR,
  LATENCY_MARGIN_SECONDS,
  LOSS_RATIO_ABOVE,
  OFFLINE_SECONDS_ABOVE,
  QUOTA_HORIZON_SECONDS,
} from '../model/alert-thresholds.ts';
import { type LineCheck, lineStateOf } from './line-attention.ts';
import type { DataAge, LineFacts, LineSummary } from './line-summary.ts';
import type { QuotaReading } from './quota-trend.ts';

const NOW = 1_800_000_000_000;
const MINUTE = 60_000;
const GB = 1_000_000_000;
/** Just above or below a threshold: far above float noise, far below any rounding the page shows. */
const NUDGE = 1e-6;

const fresh = (maxAgeMs: number): DataAge => ({ collectedAtMs: NOW - 5_000, maxAgeMs, expired: false });

/** A healthy line with fresh CHAOS and CQM data: every check passes. */
function healthy(row: Partial<LineSummary> = {}, ages: Partial<LineFacts> = {}): LineFacts {
  return {
    row: {
      account: 'default',
      id: '32001',
      name: '',
      login: 'a@a.1',
      down: 80_000_000,
      up: 20_000_000,
      limited: 0,
      cqmFetchOk: 1,
      cqmSampleMs: NOW - 10 * MINUTE,
      windowLoss: 0,
      windowOfflineSeconds: 0,
      windowLatency: 0.008,
      baselineLatency: 0.008,
      ...row,
    },
    chaos: fresh(3 * MINUTE),
    cqm: fresh(15 * MINUTE),
    ...ages,
  };
}

function checkOf(line: LineFacts, topic: LineCheck['topic']): LineCheck | undefined {
  return lineStateOf(line, NOW).checks.find((found) => found.topic === topic);
}

/** Readings over two hours, falling steadily to `remaining`, `bytesPerSecond` a second. */
function readings(remaining: number, bytesPerSecond: number): QuotaReading[] {
  return Array.from({ length: 13 }, (_, index) => {
    const ago = (12 - index) * 10 * MINUTE;
    return { atMs: NOW - ago, remaining: remaining + (ago / 1000) * bytesPerSecond };
  });
}

describe('a line’s state', () => {
  it('is OK only when every check had data and passed', () => {
    const state = lineStateOf(healthy(), NOW);
    expect(state.status).toBe('ok');
    expect(state.checks.map((found) => found.topic)).toEqual(['sync', 'quota', 'offline', 'loss', 'latency']);
  });

  it('needs attention without sync, and is unknown without a sync rate', () => {
    expect(checkOf(healthy({ down: 0 }), 'sync')).toEqual({
      topic: 'sync',
      status: 'attention',
      reason: 'no sync: download sync rate 0 bit/s',
    });
    expect(lineStateOf(healthy({ down: 0 }), NOW).status).toBe('attention');
    expect(checkOf(healthy({ down: 1 }), 'sync')?.status).toBe('ok');
    const noTxRate = healthy({ down: undefined, adjusted: 944_955_500 });
    expect(checkOf(noTxRate, 'sync')?.status).toBe('unknown');
    expect(lineStateOf(noTxRate, NOW).status).toBe('unknown');
  });

  it('is unknown, not OK, for a line without a CQM link', () => {
    const state = lineStateOf(healthy({}, { cqm: undefined }), NOW);
    expect(state.status).toBe('unknown');
    expect(state.checks.find((found) => found.topic === 'cqm')?.reason).toBe(
      'no CQM data (no CQM link configured, or none fetched yet), so loss, latency and offline time are not checked',
    );
  });

  it('flags CQM loss just above the alert’s ratio, not at or below it', () => {
    const above = checkOf(healthy({ windowLoss: LOSS_RATIO_ABOVE + NUDGE }), 'loss');
    expect(above?.status).toBe('attention');
    expect(checkOf(healthy({ windowLoss: 0.2 }), 'loss')?.reason).toBe(
      'loss 20 % of echoes in the newest 15 min of CQM samples (alert above 5 %)',
    );
    expect(checkOf(healthy({ windowLoss: LOSS_RATIO_ABOVE }), 'loss')?.status).toBe('ok');
    expect(checkOf(healthy({ windowLoss: LOSS_RATIO_ABOVE - NUDGE }), 'loss')?.status).toBe('ok');
    // No echo sent: no ratio, so not judged.
    expect(checkOf(healthy({ windowLoss: undefined }), 'loss')?.status).toBe('unknown');
  });

  it('does not judge loss while the line was offline in the window, as the alert does', () => {
    const line = healthy({ windowLoss: 0.5, windowOfflineSeconds: 100 });
    expect(checkOf(line, 'loss')?.status).toBe('unknown');
    expect(checkOf(line, 'offline')?.status).toBe('ok');
  });

  it('flags offline time just above the alert’s seconds, not at them', () => {
    const above = checkOf(healthy({ windowOfflineSeconds: OFFLINE_SECONDS_ABOVE + 1 }), 'offline');
    expect(above).toEqual({
      topic: 'offline',
      status: 'attention',
      reason: `offline ${OFFLINE_SECONDS_ABOVE + 1} s of the newest 15 min of CQM samples (alert above ${OFFLINE_SECONDS_ABOVE} s)`,
    });
    expect(checkOf(healthy({ windowOfflineSeconds: OFFLINE_SECONDS_ABOVE }), 'offline')?.status).toBe('ok');
  });

  it('flags latency only when above both twice the baseline and the baseline plus the margin', () => {
    // A 30 ms baseline: twice it (60 ms) is the higher bar.
    const slow = 0.03;
    const twice = LATENCY_BASELINE_FACTOR * slow;
    expect(checkOf(healthy({ baselineLatency: slow, windowLatency: twice + NUDGE }), 'latency')?.status).toBe(
      'attention',
    );
    expect(checkOf(healthy({ baselineLatency: slow, windowLatency: twice - NUDGE }), 'latency')?.status).toBe(
      'ok',
    );
    // A 6 ms baseline: the margin (16 ms) is the higher bar; 13 ms is twice but not 10 ms above.
    const quiet = 0.006;
    const margin = quiet + LATENCY_MARGIN_SECONDS;
    expect(
      checkOf(healthy({ baselineLatency: quiet, windowLatency: margin + NUDGE }), 'latency')?.status,
    ).toBe('attention');
    expect(
      checkOf(healthy({ baselineLatency: quiet, windowLatency: margin - NUDGE }), 'latency')?.status,
    ).toBe('ok');
    expect(checkOf(healthy({ baselineLatency: quiet, windowLatency: 0.15 }), 'latency')?.reason).toBe(
      'latency 150.0 ms (median of the newest 15 min) against 6.0 ms over 24 h (alert: above 2 × the 24 h median and 10.0 ms above it)',
    );
    expect(checkOf(healthy({ baselineLatency: undefined }), 'latency')?.status).toBe('unknown');
  });

  it('flags a limited line predicted to run out within the horizon, or with nothing left', () => {
    const rate = 100_000;
    const horizon = rate * QUOTA_HORIZON_SECONDS;
    const limited = (remaining: number, quotaReadings: QuotaReading[] | undefined) =>
      healthy({ limited: 1, total: 100 * GB, remaining, quotaReadings });
    const inside = checkOf(limited(horizon - GB, readings(horizon - GB, rate)), 'quota');
    expect(inside?.status).toBe('attention');
    expect(inside?.reason).toMatch(
      /^quota nearly used: 24\.9 GB left of 100\.0 GB runs out in about 2\.9 days/,
    );
    expect(checkOf(limited(horizon + GB, readings(horizon + GB, rate)), 'quota')?.status).toBe('ok');
    // Nothing left: used up, which the alert (remaining > 0) no longer covers.
    expect(checkOf(limited(0, undefined), 'quota')).toEqual({
      topic: 'quota',
      status: 'attention',
      reason: 'quota used up: nothing left of 100.0 GB',
    });
    // Too little history: unknown, not OK.
    expect(checkOf(limited(horizon - GB, readings(horizon - GB, rate).slice(-3)), 'quota')?.status).toBe(
      'unknown',
    );
    // Unlimited lines have nothing to run out of.
    expect(checkOf(healthy({ limited: 0, remaining: 0 }), 'quota')?.status).toBe('ok');
  });

  it('is stale when its CHAOS or CQM data is past its max age', () => {
    const chaos = { collectedAtMs: NOW - 10 * MINUTE, maxAgeMs: 3 * MINUTE, expired: true };
    const state = lineStateOf(healthy({}, { chaos }), NOW);
    expect(state.status).toBe('attention');
    expect(state.checks[0]).toEqual({
      topic: 'data',
      status: 'attention',
      reason: 'CHAOS data stale: collected 10 min ago, older than its max age of 3 min',
    });
    const cqm = { collectedAtMs: NOW - 50 * MINUTE, maxAgeMs: 15 * MINUTE, expired: true };
    expect(checkOf(healthy({}, { cqm }), 'data')?.reason).toBe(
      'CQM data stale: collected 50 min ago, older than its max age of 15 min',
    );
  });

  it('is stale when the newest CQM sample is older than the max age plus A&A’s delay', () => {
    const limitMs = 15 * MINUTE + CQM_PUBLISH_DELAY_SECONDS * 1000;
    const old = checkOf(healthy({ cqmSampleMs: NOW - limitMs - 1000 }), 'data');
    expect(old?.status).toBe('attention');
    expect(old?.reason).toBe(
      'CQM data stale: newest sample from 25 min ago, older than the max age plus 10 min (25 min)',
    );
    expect(checkOf(healthy({ cqmSampleMs: NOW - limitMs }), 'data')).toBeUndefined();
    // No sample at all: the link has not been fetched well within the max age.
    expect(checkOf(healthy({ cqmSampleMs: undefined, cqmFetchOk: 0 }), 'data')?.status).toBe('attention');
  });
});
