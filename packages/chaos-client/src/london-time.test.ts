import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseLondonWallTime } from './index.ts';
import { londonOffset, londonOffsetFromTimeZoneDatabase } from './london-time.ts';

const iso = (text: string): string | undefined => parseLondonWallTime(text)?.toISOString();

describe('parseLondonWallTime: CHAOS quota timestamps are Europe/London wall time', () => {
  it('reads winter times as GMT and summer times as BST', () => {
    expect(iso('2026-01-20 08:00:00')).toBe('2026-01-20T08:00:00.000Z');
    expect(iso('2026-07-14 17:00:00')).toBe('2026-07-14T16:00:00.000Z');
  });

  it('is right on both sides of the spring change (29 March 2026, 01:00 GMT → 02:00 BST)', () => {
    expect(iso('2026-03-29 00:00:00')).toBe('2026-03-29T00:00:00.000Z');
    expect(iso('2026-03-29 00:59:59')).toBe('2026-03-29T00:59:59.000Z');
    expect(iso('2026-03-29 02:00:00')).toBe('2026-03-29T01:00:00.000Z');
    expect(iso('2026-03-29 03:00:00')).toBe('2026-03-29T02:00:00.000Z');
  });

  it('reads a time in the skipped spring hour as GMT rather than failing', () => {
    expect(iso('2026-03-29 01:30:00')).toBe('2026-03-29T01:30:00.000Z');
  });

  it('is right on both sides of the autumn change (25 October 2026, 02:00 BST → 01:00 GMT)', () => {
    expect(iso('2026-10-25 00:00:00')).toBe('2026-10-24T23:00:00.000Z');
    expect(iso('2026-10-25 02:00:00')).toBe('2026-10-25T02:00:00.000Z');
    expect(iso('2026-10-26 12:00:00')).toBe('2026-10-26T12:00:00.000Z');
  });

  it('reads the repeated autumn hour as its first, BST, occurrence', () => {
    expect(iso('2026-10-25 01:00:00')).toBe('2026-10-25T00:00:00.000Z');
    expect(iso('2026-10-25 01:59:59')).toBe('2026-10-25T00:59:59.000Z');
  });

  it('refuses anything that is not a real wall time', () => {
    for (const text of [
      '',
      '2026-07-14',
      '2026-07-14T17:00:00',
      '2026-02-30 10:00:00',
      '2026-07-14 24:00:00',
      ' 2026-07-14 17:00:00',
    ]) {
      expect(parseLondonWallTime(text)).toBeUndefined();
    }
  });
});

describe('londonOffset: the computed UK rule agrees with the time-zone database', () => {
  it('hour by hour from 2020 to 2032, and around every change from 1996 to 2040', () => {
    const disagreements: string[] = [];
    const fromDatabase = londonOffsetFromTimeZoneDatabase();
    const check = (ms: number): void => {
      if (londonOffset(ms) !== fromDatabase(ms)) disagreements.push(new Date(ms).toISOString());
    };
    for (let ms = Date.UTC(2020, 0, 1); ms < Date.UTC(2033, 0, 1); ms += 3_600_000) check(ms);
    for (let year = 1996; year <= 2040; year++) {
      for (const month of [2, 9]) {
        for (let day = 24; day <= 31; day++) {
          for (const minute of [59, 60, 61]) check(Date.UTC(year, month, day, 0, minute) - 1000);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('asks the time-zone database before 1996, when the UK rule was different', () => {
    // 1995: BST ended on 22 October, not on the last Sunday (29 October).
    expect(londonOffset(Date.UTC(1995, 9, 25, 12))).toBe(0);
    expect(londonOffset(Date.UTC(1995, 6, 1, 12))).toBe(3_600_000);
  });
});

describe('london-time: the ICU formatter is built only when needed', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('is not built on import nor for a date since 1996 (it pages in ~8 MB of ICU data)', async () => {
    vi.resetModules();
    const built = vi.spyOn(Intl, 'DateTimeFormat');
    const fresh = await import('./london-time.ts');
    expect(built).not.toHaveBeenCalled();
    expect(fresh.parseLondonWallTime('2026-07-14 17:00:00')?.toISOString()).toBe('2026-07-14T16:00:00.000Z');
    expect(built).not.toHaveBeenCalled();
    expect(fresh.londonOffset(Date.UTC(1995, 6, 1, 12))).toBe(3_600_000);
    expect(fresh.londonOffset(Date.UTC(1990, 0, 1, 12))).toBe(0);
    expect(built).toHaveBeenCalledTimes(2);
  });
});
