/**
 * Europe/London wall time for the CQM CSV's `Time` column (docs/chaos-api.md §11.2: UK wall time
 * with no zone, like `quota_timestamp`), taken from the time-zone database through `Intl`.
 *
 * The mock keeps its own UK clock rather than importing `@aaisp/chaos-client`'s, so that a bug in
 * the client's reading of UK time cannot be hidden by the same bug in the fake it is tested
 * against. The two are independent on purpose: the client computes the post-1996 rule by hand,
 * the mock asks the time-zone database.
 *
 * @module
 */

const HOUR_MS = 3_600_000;

/** A Europe/London wall clock; one per mock, see {@link createLondonClock}. */
export interface LondonClock {
  /** London's offset from UTC, in ms, at the instant `utcMs`: 0 (GMT) or 3 600 000 (BST) today. */
  offsetMs(utcMs: number): number;
  /**
   * The Europe/London wall time of an instant as `YYYY-MM-DD HH:MM:SS`, with no zone, as CQM and
   * CHAOS write it. In the hour the clocks go back, two instants an hour apart give the same text
   * (`2026-10-25 01:00:00` is both 00:00 and 01:00 UTC), just as the real CSV must.
   *
   * @param epochSeconds - seconds since the Unix epoch; fractions are dropped.
   */
  wallTime(epochSeconds: number): string;
}

function londonFormat(): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** The offset the time-zone database gives for the whole second that holds `utcMs`. */
function offsetFromDatabase(format: Intl.DateTimeFormat, utcMs: number): number {
  const parts = new Map<string, number>();
  for (const part of format.formatToParts(utcMs)) parts.set(part.type, Number(part.value));
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const wall = new Date(0);
  wall.setUTCFullYear(parts.get('year') ?? 1970, (parts.get('month') ?? 1) - 1, parts.get('day') ?? 1);
  wall.setUTCHours(parts.get('hour') ?? 0, parts.get('minute') ?? 0, parts.get('second') ?? 0, 0);
  return wall.getTime() - Math.floor(utcMs / 1000) * 1000;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/**
 * Creates a London clock for one mock. Its `Intl.DateTimeFormat` is built on the first call, not
 * here: building one pages in megabytes of ICU data, which a mock that never serves CQM should not
 * pay for. It lives in the clock, not in the module, so nothing is built at import.
 *
 * Asking `Intl` costs a few µs, and a default CSV has 864 rows, so the clock remembers the offset
 * of the last UTC hour it was asked about: London's offset has only ever changed on whole UTC hours
 * since 1847, and an hour whose two ends disagree (the 1847 change from local mean time) is never
 * remembered, so the answer is the database's either way.
 */
export function createLondonClock(): LondonClock {
  let format: Intl.DateTimeFormat | undefined;
  let cachedHour = Number.NaN;
  let cachedOffset = 0;

  const offsetMs = (utcMs: number): number => {
    const hour = Math.floor(utcMs / HOUR_MS);
    if (hour === cachedHour) return cachedOffset;
    format ??= londonFormat();
    const atStart = offsetFromDatabase(format, hour * HOUR_MS);
    const atEnd = offsetFromDatabase(format, (hour + 1) * HOUR_MS - 1);
    if (atStart !== atEnd) return offsetFromDatabase(format, utcMs);
    cachedHour = hour;
    cachedOffset = atStart;
    return atStart;
  };

  const wallTime = (epochSeconds: number): string => {
    const utcMs = Math.floor(epochSeconds) * 1000;
    const wall = new Date(utcMs + offsetMs(utcMs));
    return (
      `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())} ` +
      `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`
    );
  };

  return { offsetMs, wallTime };
}
