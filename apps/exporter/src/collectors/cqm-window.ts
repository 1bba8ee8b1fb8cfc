/**
 * What the status page needs of a line's CQM rows to judge it as the CQM alerts do
 * (`deploy/prometheus/alerts.yml`): loss and offline time over the newest 15 minutes of samples,
 * and the median latency of those 15 minutes against that of the 24 hours the fetch returns.
 * Prometheus works these out from the counters' history; the exporter has none, but each fetch
 * holds the last 24 hours of 100 s samples, which is all the figures need.
 *
 * The figures travel to the status page as samples of names that the `cqm` collector does not
 * declare: `renderSeries` renders only declared metrics, so they never reach `/metrics`; the
 * page's summary of the entry (`../status-page/line-summary.ts`) reads them.
 *
 * @module
 */

import type { CqmData, CqmSample } from '@aaisp/chaos-client';
import type { Sample } from '@aaisp/collectors';
import {
  LATENCY_BASELINE_SECONDS,
  LATENCY_WINDOW_SECONDS,
  LOSS_WINDOW_SECONDS,
  OFFLINE_WINDOW_SECONDS,
} from '../model/alert-thresholds.ts';

/** A&A's sample length, for a sample that gives none (as `trackCqm` assumes). */
const DEFAULT_PERIOD_SECONDS = 100;

/** A line's CQM figures over the newest samples of one fetch. */
export interface CqmWindow {
  /** Failed ÷ sent echoes over the newest 15 minutes; undefined when no echo was sent. */
  readonly lossRatio: number | undefined;
  /** Seconds offline in the newest 15 minutes: offline samples and gaps of missing rows. */
  readonly offlineSeconds: number;
  /** Median of the samples' average latency over the newest 15 minutes, seconds. */
  readonly latencySeconds: number | undefined;
  /** Median of the samples' average latency over the newest 24 hours, seconds. */
  readonly baselineLatencySeconds: number | undefined;
}

/**
 * The page-only sample names, one per {@link CqmWindow} figure. Not metrics: the `cqm`
 * collector does not declare them, so `/metrics` never shows them.
 */
export const CQM_WINDOW_SAMPLES: Readonly<Record<keyof CqmWindow, string>> = {
  lossRatio: 'status_page:cqm_loss_ratio:newest15m',
  offlineSeconds: 'status_page:cqm_offline_seconds:newest15m',
  latencySeconds: 'status_page:cqm_latency_seconds:median_newest15m',
  baselineLatencySeconds: 'status_page:cqm_latency_seconds:median24h',
};

const FIGURES = ['lossRatio', 'offlineSeconds', 'latencySeconds', 'baselineLatencySeconds'] as const;

/** The median, as Prometheus' `quantile_over_time(0.5, …)` takes it (the mean of the middle two). */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  const low = sorted[Math.floor(middle)];
  const high = sorted[Math.ceil(middle)];
  return low === undefined || high === undefined ? undefined : (low + high) / 2;
}

const periodOf = (sample: CqmSample, fallback: number): number =>
  sample.periodSeconds !== undefined && sample.periodSeconds > 0 ? sample.periodSeconds : fallback;

/** Offline throughout, as `trackCqm` counts it: no echo sent, or every echo failed. */
const wasOffline = (sample: CqmSample): boolean => sample.pollsSent === 0 || sample.failedRatio === 1;

/** Seconds of `[fromMs, toMs)` inside `[windowStartMs, windowEndMs)`. */
function overlapSeconds(fromMs: number, toMs: number, windowStartMs: number, windowEndMs: number): number {
  return Math.max(0, Math.min(toMs, windowEndMs) - Math.max(fromMs, windowStartMs)) / 1000;
}

/** A complete sample with its length: what the windows are made of. */
interface Timed {
  readonly sample: CqmSample;
  readonly startMs: number;
  readonly endMs: number;
  readonly periodSeconds: number;
}

/**
 * The figures of one fetch, made at `fetchedAtMs`; undefined when it holds no complete sample.
 *
 * The windows end where the newest complete sample ends (a sample counts once it has ended, as
 * for the counters), not at `fetchedAtMs`: A&A publishes minutes late, and the alerts' 15 minutes
 * of counter steps are likewise the newest 15 minutes A&A has published. A sample is in a window
 * when it starts in it. Offline time follows `trackCqm`: an offline sample's period, and a gap of
 * at least half a period between two samples, the part of the gap inside the window.
 */
export function cqmWindowOf(data: Pick<CqmData, 'samples'>, fetchedAtMs: number): CqmWindow | undefined {
  const timed: Timed[] = [];
  let period = DEFAULT_PERIOD_SECONDS;
  for (const sample of data.samples) {
    period = periodOf(sample, period);
    const startMs = sample.start.getTime();
    const endMs = startMs + period * 1000;
    if (endMs > fetchedAtMs) break;
    timed.push({ sample, startMs, endMs, periodSeconds: period });
  }
  const newest = timed.at(-1);
  if (newest === undefined) return undefined;
  const since = (seconds: number): Timed[] =>
    timed.filter((item) => item.startMs >= newest.endMs - seconds * 1000);

  let sent = 0;
  let failed = 0;
  for (const { sample } of since(LOSS_WINDOW_SECONDS)) {
    if (sample.pollsSent === undefined || sample.failedRatio === undefined) continue;
    sent += sample.pollsSent;
    failed += Math.round(sample.pollsSent * sample.failedRatio);
  }

  const offlineStartMs = newest.endMs - OFFLINE_WINDOW_SECONDS * 1000;
  let offlineSeconds = 0;
  timed.forEach((item, index) => {
    if (wasOffline(item.sample)) {
      offlineSeconds += overlapSeconds(item.startMs, item.endMs, offlineStartMs, newest.endMs);
    }
    const previous = timed[index - 1];
    if (previous !== undefined && (item.startMs - previous.endMs) / 1000 >= previous.periodSeconds / 2) {
      offlineSeconds += overlapSeconds(previous.endMs, item.startMs, offlineStartMs, newest.endMs);
    }
  });

  const latencies = (items: readonly Timed[]): number[] =>
    items.flatMap(({ sample }) =>
      sample.latencySeconds.avg === undefined ? [] : [sample.latencySeconds.avg],
    );
  return {
    lossRatio: sent > 0 ? failed / sent : undefined,
    offlineSeconds,
    latencySeconds: median(latencies(since(LATENCY_WINDOW_SECONDS))),
    baselineLatencySeconds: median(latencies(since(LATENCY_BASELINE_SECONDS))),
  };
}

/** The window's figures as page-only samples of line `lineId` (a figure without a value is left out). */
export function cqmWindowSamples(lineId: string, window: CqmWindow): Sample[] {
  const labels = { line_id: lineId };
  return FIGURES.flatMap((figure) => {
    const value = window[figure];
    return value === undefined ? [] : [{ metric: CQM_WINDOW_SAMPLES[figure], labels, value }];
  });
}
