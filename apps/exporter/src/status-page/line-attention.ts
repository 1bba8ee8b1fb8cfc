/**
 * Whether a line needs attention, judged by the thresholds of the shipped alerts
 * (`../model/alert-thresholds.ts`) on what the status page knows of it: no sync, quota running out,
 * CQM loss, latency far above its baseline, offline time, and stale data. Each check says in words
 * what it found and, when it fires, the alert's threshold. A check without the data to judge is
 * `unknown`, never `ok`: a line without a CQM link is not known to be free of loss.
 *
 * @module
 */

import {
  CQM_PUBLISH_DELAY_SECONDS,
  LATENCY_BASELINE_FACTOR,
  LATENCY_MARGIN_SECONDS,
  LOSS_RATIO_ABOVE,
  OFFLINE_SECONDS_ABOVE,
  QUOTA_HOLD_SECONDS,
} from '../model/alert-thresholds.ts';
import { formatAgo, formatBytes, formatDuration, formatMs, formatPercent } from './format.ts';
import type { DataAge, LineFacts, LineSummary } from './line-summary.ts';
import { quotaTrendOf } from './quota-trend.ts';

/** What one check found: a problem, nothing wrong, or no data to tell. */
export type CheckStatus = 'attention' | 'ok' | 'unknown';

/** One check of a line, with its finding in words. */
export interface LineCheck {
  readonly topic: 'data' | 'sync' | 'quota' | 'cqm' | 'loss' | 'latency' | 'offline';
  readonly status: CheckStatus;
  /** What was found, e.g. `loss 20 % of echoes in the newest 15 min of CQM samples (alert above 5 %)`. */
  readonly reason: string;
}

/** A line's state: `attention` when any check fires, else `unknown` when any could not tell, else `ok`. */
export interface LineState {
  readonly status: CheckStatus;
  readonly checks: readonly LineCheck[];
}

const check = (topic: LineCheck['topic'], status: CheckStatus, reason: string): LineCheck => ({
  topic,
  status,
  reason,
});

/** Data past its max age, as `AAISPDataStale` sees it: `/metrics` no longer serves it. */
function staleText(what: string, age: DataAge, nowMs: number): string {
  return `${what} data stale: collected ${formatAgo(nowMs, age.collectedAtMs)}, older than its max age of ${formatDuration(age.maxAgeMs / 1000)}`;
}

/** Sync rate: none is a line that is down (or reported as such). */
function syncCheck(row: LineSummary): LineCheck {
  if (row.down === undefined)
    return check('sync', 'unknown', 'no download sync rate from CHAOS (no tx_rate)');
  if (row.down <= 0) return check('sync', 'attention', 'no sync: download sync rate 0 bit/s');
  return check('sync', 'ok', 'in sync');
}

/** `AAISPQuotaExhaustionPredicted`, plus a limited line with nothing left (which the alert no longer covers). */
function quotaCheck(row: LineSummary, nowMs: number): LineCheck {
  if (row.limited !== 1) return check('quota', 'ok', 'no quota limit');
  const total = formatBytes(row.total);
  if (row.remaining === undefined) return check('quota', 'unknown', 'no quota left figure from CHAOS');
  if (row.remaining <= 0) return check('quota', 'attention', `quota used up: nothing left of ${total}`);
  const trend = quotaTrendOf(row.quotaReadings ?? [], nowMs);
  switch (trend.kind) {
    case 'too-short':
      return check(
        'quota',
        'unknown',
        `quota trend not known yet: ${formatDuration(trend.spanSeconds)} of readings, ${formatDuration(QUOTA_HOLD_SECONDS)} needed (the alert's hold time)`,
      );
    case 'runs-out':
      return check(
        'quota',
        'attention',
        `quota nearly used: ${formatBytes(row.remaining)} left of ${total} runs out in about ${trend.daysLeft.toFixed(1)} days at the rate of the last 6 h (alert: within 3 days)`,
      );
    case 'lasts':
      return check('quota', 'ok', 'quota lasts past 3 days at the rate of the last 6 h');
  }
}

/**
 * Whether the line's CQM figures are current: `AAISPCqmDataStale` (newest sample older than the
 * cqm max age plus A&A's publishing delay, or no good fetch within the max age) and
 * `AAISPDataStale` for the cqm collector. Undefined when they are.
 */
function cqmStaleness(row: LineSummary, cqm: DataAge, nowMs: number): LineCheck | undefined {
  if (cqm.expired) return check('data', 'attention', staleText('CQM', cqm, nowMs));
  if (row.cqmSampleMs === undefined) {
    return check(
      'data',
      'attention',
      `no CQM data: no good fetch of the line's CQM link within the max age of ${formatDuration(cqm.maxAgeMs / 1000)}`,
    );
  }
  const limitMs = cqm.maxAgeMs + CQM_PUBLISH_DELAY_SECONDS * 1000;
  if (nowMs - row.cqmSampleMs > limitMs) {
    return check(
      'data',
      'attention',
      `CQM data stale: newest sample from ${formatAgo(nowMs, row.cqmSampleMs)}, older than the max age plus ${formatDuration(CQM_PUBLISH_DELAY_SECONDS)} (${formatDuration(limitMs / 1000)})`,
    );
  }
  return undefined;
}

/** `AAISPLineOffline`. */
function offlineCheck(row: LineSummary): LineCheck {
  const seconds = row.windowOfflineSeconds;
  if (seconds === undefined)
    return check('offline', 'unknown', 'no complete CQM sample to tell offline time');
  const text = `offline ${Math.round(seconds)} s of the newest 15 min of CQM samples`;
  return seconds > OFFLINE_SECONDS_ABOVE
    ? check('offline', 'attention', `${text} (alert above ${OFFLINE_SECONDS_ABOVE} s)`)
    : check('offline', 'ok', text);
}

/** `AAISPLinePacketLoss`, which leaves out a line with any offline time in the window. */
function lossCheck(row: LineSummary): LineCheck {
  if ((row.windowOfflineSeconds ?? 0) > 0) {
    return check('loss', 'unknown', 'loss not judged: the line was offline in the newest 15 min');
  }
  if (row.windowLoss === undefined)
    return check('loss', 'unknown', 'no CQM echoes sent in the newest 15 min');
  const text = `loss ${formatPercent(row.windowLoss)} of echoes in the newest 15 min of CQM samples`;
  return row.windowLoss > LOSS_RATIO_ABOVE
    ? check('loss', 'attention', `${text} (alert above ${formatPercent(LOSS_RATIO_ABOVE)})`)
    : check('loss', 'ok', text);
}

/** `AAISPLineLatencyHigh`: both above twice the baseline and above it by the margin. */
function latencyCheck(row: LineSummary): LineCheck {
  const recent = row.windowLatency;
  const baseline = row.baselineLatency;
  if (recent === undefined || baseline === undefined) {
    return check('latency', 'unknown', 'no average latency in the CQM samples');
  }
  const text = `latency ${formatMs(recent)} (median of the newest 15 min) against ${formatMs(baseline)} over 24 h`;
  const high = recent > LATENCY_BASELINE_FACTOR * baseline && recent > baseline + LATENCY_MARGIN_SECONDS;
  return high
    ? check(
        'latency',
        'attention',
        `${text} (alert: above ${LATENCY_BASELINE_FACTOR} × the 24 h median and ${formatMs(LATENCY_MARGIN_SECONDS)} above it)`,
      )
    : check('latency', 'ok', text);
}

/** The CQM checks, or why they cannot be made. */
function cqmChecks(line: LineFacts, nowMs: number): LineCheck[] {
  if (line.cqm === undefined) {
    return [
      check(
        'cqm',
        'unknown',
        'no CQM data (no CQM link configured, or none fetched yet), so loss, latency and offline time are not checked',
      ),
    ];
  }
  const stale = cqmStaleness(line.row, line.cqm, nowMs);
  if (stale !== undefined) return [stale];
  return [offlineCheck(line.row), lossCheck(line.row), latencyCheck(line.row)];
}

/** The CHAOS checks (sync, quota), or why they cannot be made. */
function chaosChecks(line: LineFacts, nowMs: number): LineCheck[] {
  if (line.chaos === undefined)
    return [check('data', 'unknown', 'not in CHAOS’ line list: sync and quota unknown')];
  if (line.chaos.expired) return [check('data', 'attention', staleText('CHAOS', line.chaos, nowMs))];
  return [syncCheck(line.row), quotaCheck(line.row, nowMs)];
}

/** Judges one line at `nowMs`. */
export function lineStateOf(line: LineFacts, nowMs: number): LineState {
  const checks = [...chaosChecks(line, nowMs), ...cqmChecks(line, nowMs)];
  const any = (status: CheckStatus): boolean => checks.some((found) => found.status === status);
  return { status: any('attention') ? 'attention' : any('unknown') ? 'unknown' : 'ok', checks };
}
