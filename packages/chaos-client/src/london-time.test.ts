import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseLondonWallTime } from './index.ts';
import { londonOffset, londonOffsetByRule } from './london-time.ts';

const iso = (text: string): string | undefined => parseLondonWallTime(text)?.toISOString();

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const isoDay = (utcMs: number): string => new Date(utcMs).toISOString().slice(0, 10);

/**
 * The time-zone database's answer, to check the SDK against: London's offset from UTC at `utcMs`,
 * in ms, as London's hour against UTC's (through `Intl`, timeZone `Europe/London`). London's
 * offsets since 1970 are whole hours, so the hour tells; asking `Intl` for the hour alone is ~10
 * times faster than reading every part, and one formatter serves every call.
 */
function timeZoneDatabase(): (utcMs: number) => number {
  const hour = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: 'numeric',
    hourCycle: 'h23',
  });
  return (utcMs) => ((Number(hour.format(utcMs)) - new Date(utcMs).getUTCHours() + 24) % 24) * HOUR_MS;
}

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
    const fromDatabase = timeZoneDatabase();
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

  it('the rule against the database for every day of 1970–2100: noon, and either side of 01:00 UTC', () => {
    const fromDatabase = timeZoneDatabase();
    const disagreements: string[] = [];
    /** Years the rule gets wrong: the SDK must ask the database for each of them. */
    const ruleWrong = new Set<number>();
    /** Per year, the days whose noon is on another offset than the day before's: the changes. */
    const changes = new Map<number, string[]>();
    let previousNoon: number | undefined;
    for (let day = Date.UTC(1970, 0, 1); day < Date.UTC(2101, 0, 1); day += DAY_MS) {
      const year = new Date(day).getUTCFullYear();
      // 00:59:59.999 and 01:00:00.000 UTC pin the rule's instant to the millisecond; noon, the day.
      for (const at of [day + HOUR_MS - 1, day + HOUR_MS, day + 12 * HOUR_MS]) {
        if (londonOffsetByRule(at) === fromDatabase(at)) continue;
        if (year >= 1996) disagreements.push(new Date(at).toISOString());
        else ruleWrong.add(year);
      }
      const noon = fromDatabase(day + 12 * HOUR_MS);
      if (previousNoon !== undefined && noon !== previousNoon) {
        changes.set(year, [...(changes.get(year) ?? []), isoDay(day)]);
      }
      previousNoon = noon;
      // Before 1996 londonOffset builds a formatter per call (~100 µs): asked mid-month and on
      // each change day, not three times a day.
      if (year < 1996 && (new Date(day).getUTCDate() === 15 || changes.get(year)?.includes(isoDay(day)))) {
        if (londonOffset(day + 12 * HOUR_MS) !== noon) disagreements.push(new Date(day).toISOString());
      }
    }
    expect(disagreements).toEqual([]);
    // The rule holds from 1996 on, and not in 1995: where the SDK starts using it.
    expect(Math.max(...ruleWrong)).toBe(1995);
    // The database is really asked: 1970 is all BST (the 1968–71 experiment), then two changes a
    // year, on the days the UK's rules of each era say.
    expect(londonOffset(Date.UTC(1970, 0, 1, 12))).toBe(HOUR_MS);
    expect(changes.get(1970)).toBeUndefined();
    expect(changes.get(1971)).toEqual(['1971-10-31']);
    expect(changes.get(1972)).toEqual(['1972-03-19', '1972-10-29']);
    expect(changes.get(1995)).toEqual(['1995-03-26', '1995-10-22']);
    expect(changes.get(1996)).toEqual(['1996-03-31', '1996-10-27']);
    expect(changes.get(2026)).toEqual(['2026-03-29', '2026-10-25']);
    expect(changes.get(2100)).toEqual(['2100-03-28', '2100-10-31']);
    const years = [...changes.keys()].filter((year) => year >= 1972);
    expect(years).toHaveLength(2100 - 1972 + 1);
    expect(years.filter((year) => changes.get(year)?.length !== 2)).toEqual([]);
    expect(londonOffset(Date.UTC(2100, 9, 31, 1) - 1)).toBe(HOUR_MS);
    expect(londonOffset(Date.UTC(2100, 9, 31, 1))).toBe(0);
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
