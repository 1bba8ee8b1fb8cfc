/**
 * How good each mock line looks in its CQM graph: healthy, lossy, offline for an hour a day, or
 * slow. Chosen from the line ID by a fixed rule, so the same line always shows the same quality.
 *
 * @module
 */

import { hashText } from './cqm-hash.ts';

/**
 * What a line's CQM samples exercise in a client or exporter (the CQM counterpart of `LineTrait`,
 * kept apart from it so the CHAOS answers and `MockLine.traits` stay as they were).
 *
 * - `healthy`: `%Fail` 0, latency a line-specific 6–20 ms.
 * - `lossy`: `%Fail` {@link CQM_LOSSY_FAIL_PERCENT} in every row.
 * - `offline-hour`: offline in the UTC hour {@link CQM_OFFLINE_HOUR_UTC} each day, shown as rows
 *   with `%Fail` 100, `Polls Sent` = `Period`, empty latency fields and zero traffic.
 * - `offline-gap`: offline in the same hour, shown as **missing rows** instead.
 * - `high-latency`: latency around {@link CQM_HIGH_LATENCY_MS} ms.
 *
 * How A&A shows an offline period is not documented (docs/chaos-api.md §11.2 [?]: missing rows,
 * `%Fail` 100 or a zero `Polls Sent`); the mock shows the first two so clients must tolerate both.
 */
export type CqmTrait = 'healthy' | 'lossy' | 'offline-hour' | 'offline-gap' | 'high-latency';

/** How an offline hour appears: `fail` rows (`%Fail` 100, empty latency) or `missing` rows. */
export type CqmOffline = 'fail' | 'missing';

/** The numbers behind a line's CQM samples. */
export interface CqmQuality {
  /** `%Fail` of every online row: a whole number from 0 to 100. */
  readonly failPercent: number;
  /** The line's typical average latency (`Av`), in ms; each row's min/avg/max wiggle around it. */
  readonly latencyMs: number;
  /** How the daily offline hour appears, or `undefined` for a line that never goes offline. */
  readonly offline: CqmOffline | undefined;
}

/**
 * `%Fail` of a `lossy` line: 20, so the failed polls (`Polls Sent` × 20 / 100) are a whole number
 * for every period that is a multiple of 5 (2 of 10, 20 of 100).
 */
export const CQM_LOSSY_FAIL_PERCENT = 20;

/** The typical latency of a `high-latency` line, in ms (a congested or satellite-like line). */
export const CQM_HIGH_LATENCY_MS = 150;

/**
 * The UTC hour (0–23) in which `offline-hour` and `offline-gap` lines are offline every day: a
 * sample is offline when its start falls in `[03:00, 04:00)` UTC (03:00 GMT, 04:00 BST). A fixed
 * clock hour rather than one relative to `now`, so a sample's row never changes as the window
 * slides, and any 24-hour window holds that hour (split in two when `now` falls inside it). With
 * the default 100-second period that is 36 rows a day.
 */
export const CQM_OFFLINE_HOUR_UTC = 3;

/**
 * The traits of lines 32001, 32002, …, repeating every seven IDs: in the default seven-line set
 * 32001 `healthy`, 32002 `lossy`, 32003 `offline-hour`, 32004 `high-latency`, 32005 `healthy`,
 * 32006 `offline-gap`, 32007 `healthy`; then 32008 `healthy`, 32009 `lossy`, and so on.
 */
const TRAIT_CYCLE: readonly CqmTrait[] = [
  'healthy',
  'lossy',
  'offline-hour',
  'high-latency',
  'healthy',
  'offline-gap',
  'healthy',
];

const FIRST_LINE_ID = 32001;

/**
 * The CQM trait of a line, from its ID: `TRAIT_CYCLE[(ID − 32001) mod 7]` for a numeric ID (see
 * {@link CqmTrait}), `healthy` for any other. Hand-written lines follow the same rule.
 *
 * @example
 * ```ts
 * cqmTraitOf('32002'); // → 'lossy'
 * cqmTraitOf('32010'); // → 'offline-hour'
 * ```
 */
export function cqmTraitOf(lineId: string): CqmTrait {
  if (!/^\d{1,15}$/.test(lineId)) return 'healthy';
  const index =
    (((Number(lineId) - FIRST_LINE_ID) % TRAIT_CYCLE.length) + TRAIT_CYCLE.length) % TRAIT_CYCLE.length;
  return TRAIT_CYCLE[index] ?? 'healthy';
}

/**
 * A line's base latency for every trait but `high-latency`: 6.000–19.999 ms in whole µs, fixed
 * per line ID (a UK line's echo time, as in the real row of §11.2, 6.8 ms).
 */
function baseLatencyMs(lineId: string): number {
  return 6 + (hashText(`cqm-latency:${lineId}`) % 14_000) / 1000;
}

/**
 * The default CQM quality of a line: what its trait ({@link cqmTraitOf}) means in numbers.
 *
 * @example
 * ```ts
 * cqmQualityOf('32002'); // → { failPercent: 20, latencyMs: <6–20>, offline: undefined }
 * cqmQualityOf('32003').offline; // → 'fail'
 * ```
 */
export function cqmQualityOf(lineId: string): CqmQuality {
  const base = { failPercent: 0, latencyMs: baseLatencyMs(lineId), offline: undefined };
  switch (cqmTraitOf(lineId)) {
    case 'healthy':
      return base;
    case 'lossy':
      return { ...base, failPercent: CQM_LOSSY_FAIL_PERCENT };
    case 'offline-hour':
      return { ...base, offline: 'fail' };
    case 'offline-gap':
      return { ...base, offline: 'missing' };
    case 'high-latency':
      return { ...base, latencyMs: CQM_HIGH_LATENCY_MS };
  }
}

/**
 * Checks a quality override, so a bad value fails where it was set.
 * @throws {RangeError} for a `failPercent` that is not a whole number 0–100, a `latencyMs` that is
 * not a finite number above 0 and at most 60 000, or an unknown `offline`.
 */
export function assertCqmQuality(quality: Partial<CqmQuality>): void {
  const { failPercent, latencyMs, offline } = quality;
  if (failPercent !== undefined && (!Number.isInteger(failPercent) || failPercent < 0 || failPercent > 100))
    throw new RangeError(`CQM failPercent must be a whole number from 0 to 100, got ${failPercent}`);
  if (latencyMs !== undefined && (!Number.isFinite(latencyMs) || latencyMs <= 0 || latencyMs > 60_000))
    throw new RangeError(`CQM latencyMs must be above 0 and at most 60000, got ${latencyMs}`);
  if (offline !== undefined && offline !== 'fail' && offline !== 'missing')
    throw new RangeError(`CQM offline must be "fail", "missing" or undefined, got ${String(offline)}`);
}
