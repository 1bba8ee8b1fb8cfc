import { describe, expect, it } from 'vitest';
import {
  assertCqmQuality,
  CQM_HIGH_LATENCY_MS,
  CQM_LOSSY_FAIL_PERCENT,
  CQM_OFFLINE_HOUR_UTC,
  cqmQualityOf,
  cqmTraitOf,
} from './cqm-quality.ts';
import { generateLines } from './lines.ts';

describe('CQM line quality by line ID', () => {
  it('gives the default seven lines one of each trait, and repeats every seven IDs', () => {
    expect(generateLines(14).map((line) => cqmTraitOf(line.info.ID))).toEqual([
      'healthy',
      'lossy',
      'offline-hour',
      'high-latency',
      'healthy',
      'offline-gap',
      'healthy',
      'healthy',
      'lossy',
      'offline-hour',
      'high-latency',
      'healthy',
      'offline-gap',
      'healthy',
    ]);
    expect(cqmTraitOf('line-a')).toBe('healthy');
    // IDs below 32001 follow the same cycle backwards: 31996 is five before 32001.
    expect(cqmTraitOf('31996')).toBe('offline-hour');
  });

  it('turns traits into numbers: 20 % loss, 150 ms, an offline hour at 03:00 UTC', () => {
    expect(CQM_LOSSY_FAIL_PERCENT).toBe(20);
    expect(CQM_HIGH_LATENCY_MS).toBe(150);
    expect(CQM_OFFLINE_HOUR_UTC).toBe(3);
    expect(cqmQualityOf('32002')).toMatchObject({ failPercent: 20, offline: undefined });
    expect(cqmQualityOf('32003')).toMatchObject({ failPercent: 0, offline: 'fail' });
    expect(cqmQualityOf('32004')).toEqual({ failPercent: 0, latencyMs: 150, offline: undefined });
    expect(cqmQualityOf('32006')).toMatchObject({ failPercent: 0, offline: 'missing' });
    for (const line of generateLines(50)) {
      const { latencyMs } = cqmQualityOf(line.info.ID);
      if (cqmTraitOf(line.info.ID) === 'high-latency') continue;
      expect(latencyMs).toBeGreaterThanOrEqual(6);
      expect(latencyMs).toBeLessThan(20);
    }
  });

  it('keeps the failed polls whole for periods 10 and 100', () => {
    expect((10 * CQM_LOSSY_FAIL_PERCENT) / 100).toBe(2);
    expect((100 * CQM_LOSSY_FAIL_PERCENT) / 100).toBe(20);
  });

  it('refuses out-of-range overrides', () => {
    expect(() => assertCqmQuality({ failPercent: 101 })).toThrow(RangeError);
    expect(() => assertCqmQuality({ failPercent: 2.5 })).toThrow(RangeError);
    expect(() => assertCqmQuality({ latencyMs: 0 })).toThrow(RangeError);
    expect(() => assertCqmQuality({ latencyMs: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => assertCqmQuality({ failPercent: 100, latencyMs: 0.5, offline: 'missing' })).not.toThrow();
  });
});
