/**
 * A limited line's quota trend, as `AAISPQuotaExhaustionPredicted` takes it: Prometheus'
 * `predict_linear` (a least-squares line) over the last 6 hours of the remaining figure. The
 * exporter has no Prometheus history, so the status page keeps its own readings of each limited
 * line's remaining quota, carried from one summary of the line collector's entry to the next.
 *
 * @module
 */

import {
  QUOTA_HOLD_SECONDS,
  QUOTA_HORIZON_SECONDS,
  QUOTA_TREND_WINDOW_SECONDS,
} from '../model/alert-thresholds.ts';

/** One reading of a line's remaining quota. */
export interface QuotaReading {
  /** When it was collected, ms since the epoch. */
  readonly atMs: number;
  /** Quota left, bytes. */
  readonly remaining: number;
}

/**
 * Readings closer together than this are not all kept: the newest replaces the one before it. A&A
 * updates usage hourly, so one reading per 10 minutes loses nothing of the trend, and a line keeps
 * at most 37 readings over 6 hours, whatever the fast tier's interval.
 */
export const QUOTA_READING_SPACING_MS: number = 10 * 60_000;

/**
 * The readings after `reading`: those of the last 6 hours (the trend's window), at least
 * {@link QUOTA_READING_SPACING_MS} apart except for the newest, which is always `reading`.
 */
export function addQuotaReading(readings: readonly QuotaReading[], reading: QuotaReading): QuotaReading[] {
  const kept = readings.filter(
    (old) => old.atMs < reading.atMs && reading.atMs - old.atMs <= QUOTA_TREND_WINDOW_SECONDS * 1000,
  );
  const last = kept.at(-1);
  const beforeLast = kept.at(-2);
  // The last reading was kept as the newest; too close to the one before it, it gives way now.
  if (
    last !== undefined &&
    beforeLast !== undefined &&
    last.atMs - beforeLast.atMs < QUOTA_READING_SPACING_MS
  ) {
    kept.pop();
  }
  kept.push(reading);
  return kept;
}

/** What the readings say about running out. */
export type QuotaTrend =
  /** The readings span less than the alert's hold time: no prediction yet. */
  | { readonly kind: 'too-short'; readonly spanSeconds: number }
  /** The quota is predicted to last past the horizon. */
  | { readonly kind: 'lasts' }
  /** Predicted to run out within the horizon; `daysLeft` at the trend's burn rate. */
  | { readonly kind: 'runs-out'; readonly daysLeft: number };

/**
 * The trend of `readings` at `nowMs`: `predict_linear(remaining[6h], 3 days) < 0` (the least
 * squares line through the readings of the last 6 hours, continued 3 days past `nowMs`), once they
 * span the alert's hold time of 1 hour. `daysLeft` is the newest remaining figure over the line's
 * burn rate, both taken from the fitted line at `nowMs` (the recording rule
 * `aaisp:broadband_quota_remaining_bytes:days_left6h` uses the newest figure; the line keeps the
 * page's days and its verdict in agreement).
 */
export function quotaTrendOf(readings: readonly QuotaReading[], nowMs: number): QuotaTrend {
  const recent = readings.filter((reading) => nowMs - reading.atMs <= QUOTA_TREND_WINDOW_SECONDS * 1000);
  const first = recent[0];
  const last = recent.at(-1);
  const spanSeconds = first === undefined || last === undefined ? 0 : (last.atMs - first.atMs) / 1000;
  if (last === undefined || spanSeconds < QUOTA_HOLD_SECONDS) return { kind: 'too-short', spanSeconds };
  // Times in seconds from now, as predict_linear takes them.
  const xs = recent.map((reading) => (reading.atMs - nowMs) / 1000);
  const ys = recent.map((reading) => reading.remaining);
  const meanX = xs.reduce((sum, x) => sum + x, 0) / xs.length;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / ys.length;
  let covariance = 0;
  let variance = 0;
  xs.forEach((x, index) => {
    covariance += (x - meanX) * ((ys[index] ?? meanY) - meanY);
    variance += (x - meanX) ** 2;
  });
  const slope = covariance / variance;
  const predicted = meanY + slope * (QUOTA_HORIZON_SECONDS - meanX);
  if (predicted >= 0 || slope >= 0) return { kind: 'lasts' };
  // From the fitted line at now, as the prediction is: the newest reading alone could say more
  // than 3 days beside a "runs out within 3 days" verdict.
  const remainingNow = meanY - slope * meanX;
  return { kind: 'runs-out', daysLeft: Math.max(0, remainingNow / -slope / 86_400) };
}
