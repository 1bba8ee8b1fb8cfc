import { describe, expect, it } from 'vitest';
import {
  QUOTA_HOLD_SECONDS,
  QUOTA_HORIZON_SECONDS,
  QUOTA_TREND_WINDOW_SECONDS,
} from '../model/alert-thresholds.ts';
import { addQuotaReading, QUOTA_READING_SPACING_MS, type QuotaReading, quotaTrendOf } from './quota-trend.ts';

const NOW = 1_800_000_000_000;
const MINUTE = 60_000;
const GB = 1_000_000_000;

/** Readings every minute over `minutes`, ending at NOW, falling at `bytesPerSecond` to `endRemaining`. */
function falling(minutes: number, bytesPerSecond: number, endRemaining: number): QuotaReading[] {
  let readings: QuotaReading[] = [];
  for (let minute = minutes; minute >= 0; minute--) {
    readings = addQuotaReading(readings, {
      atMs: NOW - minute * MINUTE,
      remaining: endRemaining + minute * 60 * bytesPerSecond,
    });
  }
  return readings;
}

describe('the quota readings', () => {
  it('keep one reading per spacing plus the newest, over the trend window only', () => {
    const readings = falling(8 * 60, 1000, 50 * GB);
    const gaps = readings.slice(1, -1).map((reading, index) => reading.atMs - (readings[index]?.atMs ?? 0));
    expect(gaps.every((gap) => gap >= QUOTA_READING_SPACING_MS)).toBe(true);
    expect(readings.at(-1)).toEqual({ atMs: NOW, remaining: 50 * GB });
    expect(NOW - (readings[0]?.atMs ?? 0)).toBeLessThanOrEqual(QUOTA_TREND_WINDOW_SECONDS * 1000);
    expect(readings.length).toBeLessThanOrEqual(
      QUOTA_TREND_WINDOW_SECONDS / (QUOTA_READING_SPACING_MS / 1000) + 2,
    );
  });
});

describe('the quota trend', () => {
  it('makes no prediction before its readings span the alert’s hold time', () => {
    const minutes = QUOTA_HOLD_SECONDS / 60 - 1;
    expect(quotaTrendOf(falling(minutes, 1_000_000, GB), NOW)).toEqual({
      kind: 'too-short',
      spanSeconds: minutes * 60,
    });
    expect(quotaTrendOf([], NOW)).toEqual({ kind: 'too-short', spanSeconds: 0 });
  });

  it('predicts exhaustion just inside the horizon, and none just outside it', () => {
    const rate = 100_000;
    const horizon = rate * QUOTA_HORIZON_SECONDS;
    const inside = quotaTrendOf(falling(120, rate, horizon - GB), NOW);
    expect(inside.kind).toBe('runs-out');
    if (inside.kind === 'runs-out') expect(inside.daysLeft).toBeCloseTo((horizon - GB) / rate / 86_400, 6);
    expect(quotaTrendOf(falling(120, rate, horizon + GB), NOW)).toEqual({ kind: 'lasts' });
  });

  it('counts the days left on the fitted line, so they never contradict the verdict', () => {
    const rate = 100_000;
    let predicted = 0;
    // Usage comes in steps, so the newest reading may sit above the line: taken alone it could
    // give more than 3 days beside a "runs out within 3 days" verdict.
    for (const marginGb of [1, 5, 10]) {
      for (const bumpGb of [0.1, 0.5, 1, 2]) {
        const readings = falling(360, rate, rate * QUOTA_HORIZON_SECONDS - marginGb * GB);
        const newest = readings.at(-1);
        if (newest === undefined) throw new Error('no readings');
        const bumped = [...readings.slice(0, -1), { ...newest, remaining: newest.remaining + bumpGb * GB }];
        const trend = quotaTrendOf(bumped, NOW);
        if (trend.kind !== 'runs-out') continue;
        predicted++;
        expect(trend.daysLeft, `${marginGb} GB, bump ${bumpGb} GB`).toBeLessThanOrEqual(
          QUOTA_HORIZON_SECONDS / 86_400,
        );
      }
    }
    expect(predicted).toBeGreaterThan(8);
  });

  it('sees a rising figure (a new quota period) as lasting', () => {
    expect(quotaTrendOf(falling(120, -1_000_000, GB), NOW)).toEqual({ kind: 'lasts' });
  });
});
