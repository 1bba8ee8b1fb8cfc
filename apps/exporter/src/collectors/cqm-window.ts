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
import {
  type CqmLineState,
  type CqmTotals,
  emptyCqmLineState,
  type Sample,
  trackCqm,
} from '@aaisp/collectors';
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

/** The samples of `samples` that start in `[fromMs, untilStartMs]`: a sample counts where it starts. */
const startingIn = (samples: readonly CqmSample[], fromMs: number, untilStartMs: number): CqmSample[] =>
  samples.filter((sample) => sample.start.getTime() >= fromMs && sample.start.getTime() <= untilStartMs);

/**
 * What `trackCqm` counts of the samples that start at or after `fromMs`: the counters' own rules
 * (complete samples only, `round(Polls Sent × %Fail)`, offline samples, and gaps of missing rows
 * after a sample known to precede them), applied to the window alone, so the page's loss and
 * offline time are the counters' steps over it, as the alerts take them.
 */
function countedSince(data: Pick<CqmData, 'samples'>, fromMs: number, fetchedAtMs: number): CqmTotals {
  // The window's counting starts after the last sample before it, as a fetch after that one would.
  const before = data.samples.filter((sample) => sample.start.getTime() < fromMs).at(-1);
  const seen: CqmLineState = {
    ...emptyCqmLineState(),
    lastSeenStartMs: before?.start.getTime() ?? fromMs - 1,
    periodSeconds:
      before?.periodSeconds !== undefined && before.periodSeconds > 0 ? before.periodSeconds : undefined,
  };
  return trackCqm(seen, data, fetchedAtMs).totals;
}

/**
 * The figures of one fetch, made at `fetchedAtMs`; undefined when it holds no complete sample.
 *
 * The windows end where the newest complete sample ends (a sample counts once it has ended, as
 * for the counters), not at `fetchedAtMs`: A&A publishes minutes late, and the alerts' 15 minutes
 * of counter steps are likewise the newest 15 minutes A&A has published. A sample is in a window
 * when it starts in it. Loss and offline time are counted by `trackCqm` itself
 * ({@link countedSince}); the latencies are the medians of the samples' average latency.
 */
export function cqmWindowOf(data: Pick<CqmData, 'samples'>, fetchedAtMs: number): CqmWindow | undefined {
  // A first fetch counts nothing but finds the newest complete sample and its period.
  const { newest, periodSeconds = DEFAULT_PERIOD_SECONDS } = trackCqm(emptyCqmLineState(), data, fetchedAtMs);
  if (newest === undefined) return undefined;
  const newestStartMs = newest.start.getTime();
  const endMs = newestStartMs + periodSeconds * 1000;
  const loss = countedSince(data, endMs - LOSS_WINDOW_SECONDS * 1000, fetchedAtMs);
  const offline = countedSince(data, endMs - OFFLINE_WINDOW_SECONDS * 1000, fetchedAtMs);
  const latencies = (seconds: number): number[] =>
    startingIn(data.samples, endMs - seconds * 1000, newestStartMs).flatMap(({ latencySeconds }) =>
      latencySeconds.avg === undefined ? [] : [latencySeconds.avg],
    );
  return {
    lossRatio: loss.pollsSent > 0 ? loss.pollsFailed / loss.pollsSent : undefined,
    offlineSeconds: offline.offlineSeconds,
    latencySeconds: median(latencies(LATENCY_WINDOW_SECONDS)),
    baselineLatencySeconds: median(latencies(LATENCY_BASELINE_SECONDS)),
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
