/**
 * Europe/London wall time for the CQM CSV's `Time` column (docs/chaos-api.md §11.2: UK wall time
 * with no zone, like `quota_timestamp`).
 *
 * @module
 */

const HOUR_MS = 3_600_000;

/** The day of the month of the last Sunday of `month` (0-based) in `year`. */
function lastSunday(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return lastDay.getUTCDate() - lastDay.getUTCDay();
}

/**
 * London's offset from UTC, in ms, at the instant `utcMs`: BST (+1 h) from 01:00 UTC on the last
 * Sunday of March to 01:00 UTC on the last Sunday of October, GMT otherwise. That is the UK rule
 * since 1996; it is computed rather than asked of `Intl` so the mock's bytes never depend on the
 * ICU data of the Node binary. A mock clock set before 1996 gets the same rule (wrong for those
 * years, and harmless for a fake).
 */
export function londonOffsetMs(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  const start = Date.UTC(year, 2, lastSunday(year, 2), 1);
  const end = Date.UTC(year, 9, lastSunday(year, 9), 1);
  return utcMs >= start && utcMs < end ? HOUR_MS : 0;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/**
 * The Europe/London wall time of an instant as `YYYY-MM-DD HH:MM:SS`, with no zone, as CQM and
 * CHAOS write it. In the hour the clocks go back, two instants an hour apart give the same text
 * (`2026-10-25 01:00:00` is both 00:00 and 01:00 UTC), just as the real CSV must.
 *
 * @param epochSeconds - seconds since the Unix epoch; fractions are dropped.
 */
export function londonWallTime(epochSeconds: number): string {
  const utcMs = Math.floor(epochSeconds) * 1000;
  const wall = new Date(utcMs + londonOffsetMs(utcMs));
  return (
    `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())} ` +
    `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`
  );
}
