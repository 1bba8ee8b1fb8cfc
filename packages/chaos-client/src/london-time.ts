/**
 * CHAOS writes `quota_timestamp` as UK wall-clock time with no zone (`2026-07-14 17:00:00`,
 * docs/chaos-api.md §3.2: [M] format, [S] zone). This turns it into an instant.
 *
 * @module
 */

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/**
 * A Europe/London formatter. Building one pages in ~8 MB of the `node` binary's ICU data (time-zone
 * and locale tables) that stay resident for the life of the process, so nothing builds one at
 * import: only dates before {@link RULE_SINCE} need it, and CHAOS sends none.
 */
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

/**
 * London's offset from UTC, in ms, at the instant `utcMs`, from the time-zone database. It builds
 * a formatter per call (~30 µs): kept out of module state, and reached only for dates before 1996.
 */
function londonOffsetFromIntl(utcMs: number): number {
  const format = londonFormat();
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(utcMs)) parts[part.type] = Number(part.value);
  const asUtc = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The day of the month of the last Sunday of `month` (0-based) in `year`. */
function lastSunday(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return lastDay.getUTCDate() - lastDay.getUTCDay();
}

/** The first year of the current UK rule (EU summer time, kept after Brexit). */
const RULE_SINCE = 1996;

/**
 * @internal London's offset from UTC, in ms, at the instant `utcMs` by the UK rule in force since
 * 1996 (EU summer time, kept after Brexit): BST from 01:00 UTC on the last Sunday of March to
 * 01:00 UTC on the last Sunday of October. Computed because asking `Intl` costs ~5 µs a call,
 * which dominated parsing 10 000 lines. A test checks it against `Intl` for every day of
 * 1970–2100, to the millisecond at the change.
 */
export function londonOffsetByRule(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  const start = Date.UTC(year, 2, lastSunday(year, 2), 1);
  const end = Date.UTC(year, 9, lastSunday(year, 9), 1);
  return utcMs >= start && utcMs < end ? 3_600_000 : 0;
}

/**
 * London's offset from UTC, in ms, at the instant `utcMs`: by {@link londonOffsetByRule} since
 * 1996, and from the time-zone database before, when the UK's rules were different.
 */
export function londonOffset(utcMs: number): number {
  if (new Date(utcMs).getUTCFullYear() < RULE_SINCE) return londonOffsetFromIntl(utcMs);
  return londonOffsetByRule(utcMs);
}

/**
 * Reads a CHAOS `YYYY-MM-DD HH:MM:SS` Europe/London wall time as a `Date`.
 *
 * Both clock changes are handled. At the autumn change the hour 01:00–01:59 happens twice; which
 * one CHAOS means is unknown [?], so the earlier (BST) instant is chosen. At the spring change
 * 01:00–01:59 does not exist; CHAOS should never write it, and if it does the time is read as GMT.
 *
 * @returns the instant, or `undefined` when the text is not a valid wall time.
 * @example
 * ```ts
 * parseLondonWallTime('2026-07-14 17:00:00')?.toISOString(); // '2026-07-14T16:00:00.000Z' (BST)
 * parseLondonWallTime('2026-01-20 08:00:00')?.toISOString(); // '2026-01-20T08:00:00.000Z' (GMT)
 * ```
 */
export function parseLondonWallTime(text: string): Date | undefined {
  const match = WALL_TIME.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  if (year === undefined || month === undefined || day === undefined) return undefined;
  if (hour === undefined || minute === undefined || second === undefined) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  // Date.UTC rolls 2026-02-30 over to March: refuse anything that is not a real calendar time.
  if (
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  // London is UTC+0 or UTC+1. Try the BST reading first so an ambiguous hour resolves to it.
  for (const offset of [3_600_000, 0]) {
    const instant = wall - offset;
    if (londonOffset(instant) === offset) return new Date(instant);
  }
  // Only a time inside the spring-forward gap gets here.
  return new Date(wall);
}
