/**
 * The numbers the status page judges lines by: those of the shipped Prometheus alerts
 * (`deploy/prometheus/alerts.yml`, with the recording rules of `rules.yml`), in one place.
 * `alert-thresholds.test.ts` reads both files and checks each constant against the number in the
 * alert's expression, so the page and the alerts cannot drift apart.
 *
 * The page has no Prometheus history: the CQM windows are taken from the rows each CQM fetch
 * returns (`../collectors/cqm-window.ts`), the quota trend from readings the page keeps
 * (`./quota-trend.ts`).
 *
 * @module
 */

/** `AAISPLinePacketLoss`: failed ÷ sent echoes above this share (`ratio_rate15m > 0.05`). */
export const LOSS_RATIO_ABOVE: number = 0.05;

/** The window of the loss ratio, seconds (`aaisp:cqm_polls_failed_total:ratio_rate15m`: `[15m]`). */
export const LOSS_WINDOW_SECONDS: number = 15 * 60;

/** `AAISPLineOffline`: offline for more than this many seconds of the window (`[15m]) > 600`). */
export const OFFLINE_SECONDS_ABOVE: number = 600;

/** The window of `AAISPLineOffline`, seconds (`increase(aaisp_cqm_offline_seconds_total[15m])`). */
export const OFFLINE_WINDOW_SECONDS: number = 15 * 60;

/** `AAISPLineLatencyHigh`: the recent median is above this many times the baseline (`> 2 * …median24h`). */
export const LATENCY_BASELINE_FACTOR: number = 2;

/** `AAISPLineLatencyHigh`: … and at least this many seconds above it (`> …median24h + 0.010`). */
export const LATENCY_MARGIN_SECONDS: number = 0.01;

/** `AAISPLineLatencyHigh`'s recent median: over this many seconds (`quantile_over_time(0.5, …[15m])`). */
export const LATENCY_WINDOW_SECONDS: number = 15 * 60;

/** The latency baseline: the median over this many seconds (`aaisp:cqm_latency_seconds:median24h`: `[24h]`). */
export const LATENCY_BASELINE_SECONDS: number = 24 * 3600;

/** `AAISPQuotaExhaustionPredicted`: the trend is taken over this many seconds (`predict_linear(…[6h], …)`). */
export const QUOTA_TREND_WINDOW_SECONDS: number = 6 * 3600;

/** `AAISPQuotaExhaustionPredicted`: the quota must last this many seconds (`3 * 86400`). */
export const QUOTA_HORIZON_SECONDS: number = 3 * 86_400;

/**
 * `AAISPQuotaExhaustionPredicted` holds for this long before it fires (`for: 1h`). The page, which
 * has no history from before the exporter started, predicts once its readings span as long.
 */
export const QUOTA_HOLD_SECONDS: number = 3600;

/**
 * `AAISPCqmDataStale`: a line's newest CQM sample may be this many seconds older than the cqm
 * collector's max age (`aaisp_collector_max_age_seconds{collector="cqm"} + 600`), for A&A's
 * publishing delay.
 */
export const CQM_PUBLISH_DELAY_SECONDS: number = 600;
