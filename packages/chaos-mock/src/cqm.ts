/**
 * The fake CQM's samples (docs/chaos-api.md §11.2): one row per period, aligned to the Unix epoch,
 * for the window that ends at the last period completed by the mock's clock. Every value is a
 * function of the line ID, the sample's start and the line's {@link CqmQuality}.
 *
 * @module
 */

import { hashText, mix } from './cqm-hash.ts';
import { CQM_OFFLINE_HOUR_UTC, type CqmQuality } from './cqm-quality.ts';

/** Options for the fake CQM, under `cqm` in the mock's options. */
export interface CqmOptions {
  /**
   * Seconds per sample (`Period`, and `Polls Sent`: one poll a second). Default 100, as A&A's
   * graphs. A whole number from 1 to 3 600; tests use small values such as 10 so that new samples
   * arrive quickly.
   */
  readonly periodSeconds?: number;
  /** The mock's clock, in ms since the Unix epoch. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Seconds of history per answer: the CSV holds `floor(windowSeconds / periodSeconds)` rows.
   * Default 86 400 (24 h: 864 rows at the default period). A whole number of at least
   * `periodSeconds`, with at most 1 000 000 rows.
   */
  readonly windowSeconds?: number;
}

/** @internal {@link CqmOptions} with every default applied. */
export interface CqmSettings {
  readonly periodSeconds: number;
  readonly windowSeconds: number;
  readonly now: () => number;
}

const DEFAULT_PERIOD_SECONDS = 100;
const DEFAULT_WINDOW_SECONDS = 86_400;
const MAX_ROWS = 1_000_000;

/**
 * Applies the defaults and checks the values, so a bad option fails before the mock starts.
 * @internal
 * @throws {RangeError} for a period or window out of range.
 * @throws {TypeError} for a `now` that is not a function.
 */
export function resolveCqmOptions(options: CqmOptions = {}): CqmSettings {
  const periodSeconds = options.periodSeconds ?? DEFAULT_PERIOD_SECONDS;
  const windowSeconds = options.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  if (!Number.isInteger(periodSeconds) || periodSeconds < 1 || periodSeconds > 3600)
    throw new RangeError(`cqm.periodSeconds must be a whole number from 1 to 3600, got ${periodSeconds}`);
  if (!Number.isInteger(windowSeconds) || windowSeconds < periodSeconds)
    throw new RangeError(
      `cqm.windowSeconds must be a whole number of at least periodSeconds (${periodSeconds}), got ${windowSeconds}`,
    );
  if (windowSeconds / periodSeconds > MAX_ROWS)
    throw new RangeError(`cqm.windowSeconds / periodSeconds must be at most ${MAX_ROWS} rows`);
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new TypeError('cqm.now must be a function returning ms');
  return { periodSeconds, windowSeconds, now };
}

/** One CQM row, as numbers. */
export interface CqmSample {
  /** Start of the sample, in seconds since the Unix epoch (a multiple of `period`). */
  readonly start: number;
  /** `Period`: seconds in the sample. */
  readonly period: number;
  /** `Polls Sent`: one a second, so equal to `period`. */
  readonly pollsSent: number;
  /** `%Fail`: a whole percentage. */
  readonly failPercent: number;
  /** `Latency Min,Av,Max` in ns, or `undefined` (empty fields) when no poll was answered. */
  readonly latencyNs: { readonly min: number; readonly avg: number; readonly max: number } | undefined;
  /** `Traffic (bit/s) Rx`: what A&A received, the customer's upload. */
  readonly rxBitsPerSecond: number;
  /** `Traffic (bit/s) Tx`: what A&A sent, the customer's download. */
  readonly txBitsPerSecond: number;
  /** `Score`: 1, the only value any source shows; its meaning is not documented [?]. */
  readonly score: number;
}

/**
 * The starts (epoch seconds) of the samples in the window ending at `nowMs`, oldest first: the
 * newest is the last sample whose whole period has passed (`start + period ≤ now`), and there are
 * `floor(windowSeconds / periodSeconds)` of them.
 * @internal
 */
export function sampleStarts(nowMs: number, settings: CqmSettings): number[] {
  if (!Number.isFinite(nowMs)) throw new RangeError(`cqm.now() must return finite ms, got ${nowMs}`);
  const period = settings.periodSeconds;
  const last = Math.floor(nowMs / (period * 1000)) * period - period;
  const count = Math.floor(settings.windowSeconds / period);
  const starts: number[] = [];
  for (let index = count - 1; index >= 0; index--) starts.push(last - index * period);
  return starts;
}

const DAY_SECONDS = 86_400;
const HOUR_SECONDS = 3600;

/** Whether a sample starting at `start` lies in the daily offline hour. */
export function isOfflineSample(start: number): boolean {
  const secondOfDay = ((start % DAY_SECONDS) + DAY_SECONDS) % DAY_SECONDS;
  return Math.floor(secondOfDay / HOUR_SECONDS) === CQM_OFFLINE_HOUR_UTC;
}

/** Traffic peaks at 20:00 UTC and is lowest twelve hours later, in a straight-sided "tent". */
const PEAK_SECOND_OF_DAY = 20 * HOUR_SECONDS;

/** The diurnal share of the peak, in thousandths: 1 000 at 20:00 UTC, 0 at 08:00 UTC. */
function diurnalPermille(start: number): number {
  const secondOfDay = ((start % DAY_SECONDS) + DAY_SECONDS) % DAY_SECONDS;
  const away = Math.abs(secondOfDay - PEAK_SECOND_OF_DAY);
  const distance = Math.min(away, DAY_SECONDS - away);
  return 1000 - Math.round((distance * 1000) / (DAY_SECONDS / 2));
}

/** A value of `hash` scaled to `[0, range)`. */
const part = (hash: number, salt: number, range: number): number => mix(hash, salt) % range;

/**
 * One sample of a line. Integer arithmetic only (no `Math.sin`), so the bytes cannot vary between
 * engines.
 *
 * - Latency: `Av` within ±amp of the line's `latencyMs`, where amp = max(0.4 ms, 5 % of it);
 *   `Min` 0.5–1.5 amp below, `Max` 0.8–2.8 amp above; whole µs, written as ns (like 6376000).
 * - Traffic: a line-specific download peak of 2–40 Mb/s, shaped by time of day (5 % of the peak
 *   at 08:00 UTC, all of it at 20:00 UTC) with ±10 % wiggle; upload about an eighth of it plus
 *   16 kb/s of background.
 * @internal
 */
export function cqmSample(lineId: string, start: number, period: number, quality: CqmQuality): CqmSample {
  const offline = quality.offline === 'fail' && isOfflineSample(start);
  const failPercent = offline ? 100 : quality.failPercent;
  const common = { start, period, pollsSent: period, failPercent, score: 1 };
  if (failPercent >= 100) {
    return { ...common, latencyNs: undefined, rxBitsPerSecond: 0, txBitsPerSecond: 0 };
  }
  const lineHash = hashText(`cqm-sample:${lineId}`);
  const hash = mix(lineHash, start);
  const baseUs = Math.max(1, Math.round(quality.latencyMs * 1000));
  const ampUs = Math.max(400, Math.round(baseUs / 20));
  const avgUs = Math.max(3, baseUs + Math.round(((part(hash, 1, 2001) - 1000) * ampUs) / 1000));
  const minUs = Math.max(1, avgUs - Math.round(((500 + part(hash, 2, 1001)) * ampUs) / 1000));
  const maxUs = avgUs + Math.round(((800 + part(hash, 3, 2001)) * ampUs) / 1000);
  const peakTx = (2000 + (mix(lineHash, 0x7ea4) % 38_000)) * 1000;
  const shape = 50 + Math.round((950 * diurnalPermille(start)) / 1000);
  const tx = Math.round((((peakTx * shape) / 1000) * (900 + part(hash, 4, 201))) / 1000);
  const rx = Math.round(((tx / 8) * (800 + part(hash, 5, 401))) / 1000) + 16_000;
  return {
    ...common,
    latencyNs: { min: minUs * 1000, avg: avgUs * 1000, max: maxUs * 1000 },
    rxBitsPerSecond: rx,
    txBitsPerSecond: tx,
  };
}

/**
 * A line's samples for the window ending at `nowMs`, oldest first. An `offline: 'missing'` line
 * has no rows in its offline hour; an `offline: 'fail'` line has `%Fail` 100 rows there.
 * @internal
 */
export function cqmSamples(
  lineId: string,
  quality: CqmQuality,
  settings: CqmSettings,
  nowMs: number,
): CqmSample[] {
  const samples: CqmSample[] = [];
  for (const start of sampleStarts(nowMs, settings)) {
    if (quality.offline === 'missing' && isOfflineSample(start)) continue;
    samples.push(cqmSample(lineId, start, settings.periodSeconds, quality));
  }
  return samples;
}
