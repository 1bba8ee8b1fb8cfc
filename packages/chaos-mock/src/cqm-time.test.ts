import { describe, expect, it } from 'vitest';
import { createLondonClock } from './cqm-time.ts';

const seconds = (iso: string): number => Date.parse(iso) / 1000;

/** The time-zone database's answer, in the same `YYYY-MM-DD HH:MM:SS` form. */
function fromIntl(format: Intl.DateTimeFormat, epochSeconds: number): string {
  const parts = Object.fromEntries(format.formatToParts(epochSeconds * 1000).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

describe('the London clock: the CQM Time column is Europe/London wall time', () => {
  const clock = createLondonClock();

  it('is GMT in winter and BST in summer', () => {
    expect(clock.wallTime(seconds('2026-01-15T12:00:00Z'))).toBe('2026-01-15 12:00:00');
    expect(clock.wallTime(seconds('2026-07-14T16:00:00Z'))).toBe('2026-07-14 17:00:00');
    expect(clock.wallTime(seconds('2017-09-12T07:00:00Z'))).toBe('2017-09-12 08:00:00');
  });

  it('skips 01:00–01:59 when the clocks go forward on 29 March 2026', () => {
    expect(clock.wallTime(seconds('2026-03-29T00:58:20Z'))).toBe('2026-03-29 00:58:20');
    expect(clock.wallTime(seconds('2026-03-29T00:59:59Z'))).toBe('2026-03-29 00:59:59');
    expect(clock.wallTime(seconds('2026-03-29T01:00:00Z'))).toBe('2026-03-29 02:00:00');
  });

  it('shows 01:00–01:59 twice when the clocks go back on 25 October 2026', () => {
    expect(clock.wallTime(seconds('2026-10-25T00:00:00Z'))).toBe('2026-10-25 01:00:00');
    expect(clock.wallTime(seconds('2026-10-25T00:59:59Z'))).toBe('2026-10-25 01:59:59');
    expect(clock.wallTime(seconds('2026-10-25T01:00:00Z'))).toBe('2026-10-25 01:00:00');
    expect(clock.wallTime(seconds('2026-10-25T02:00:00Z'))).toBe('2026-10-25 02:00:00');
  });

  it('knows the offset on the boundaries of 2027 too (last Sundays: 28 March, 31 October)', () => {
    expect(clock.offsetMs(Date.parse('2027-03-28T00:59:59Z'))).toBe(0);
    expect(clock.offsetMs(Date.parse('2027-03-28T01:00:00Z'))).toBe(3_600_000);
    expect(clock.offsetMs(Date.parse('2027-10-31T00:59:59Z'))).toBe(3_600_000);
    expect(clock.offsetMs(Date.parse('2027-10-31T01:00:00Z'))).toBe(0);
  });

  it('takes older years from the time-zone database, not from the rule of 1996', () => {
    // British Standard Time (UTC+1 all year, 1968–1971) and double summer time (1941).
    expect(clock.wallTime(seconds('1970-01-01T00:00:00Z'))).toBe('1970-01-01 01:00:00');
    expect(clock.wallTime(seconds('1941-06-01T12:00:00Z'))).toBe('1941-06-01 14:00:00');
    // Local mean time (−0:01:15) until 1847-12-01 00:00 LMT, inside a UTC hour: never remembered.
    expect(clock.wallTime(seconds('1847-12-01T00:01:14Z'))).toBe('1847-11-30 23:59:59');
    expect(clock.wallTime(seconds('1847-12-01T00:01:15Z'))).toBe('1847-12-01 00:01:15');
    expect(clock.wallTime(seconds('1847-12-01T00:00:00Z'))).toBe('1847-11-30 23:58:45');
  });

  it('agrees with the time-zone database every hour of 2024–2028 and around each change', () => {
    const format = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    const mismatches: string[] = [];
    const check = (at: number): void => {
      const ours = clock.wallTime(at);
      const theirs = fromIntl(format, at);
      if (ours !== theirs) mismatches.push(`${new Date(at * 1000).toISOString()}: ${ours} ≠ ${theirs}`);
    };
    const end = seconds('2029-01-01T00:00:00Z');
    for (let at = seconds('2024-01-01T00:00:00Z'); at < end; at += 3600) {
      check(at);
      check(at - 1);
    }
    expect(mismatches).toEqual([]);
  });
});
