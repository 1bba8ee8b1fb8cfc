/**
 * The fast-tier collector: one `broadband/info` answer becomes every line's info, sync rates,
 * quota, resync counter and the line count.
 *
 * @module
 */

import type { BroadbandInfo, BroadbandLine } from '@aaisp/chaos-client';
import { type CollectContext, type Collector, withAccount } from './collector.ts';
import { lineName } from './line-name.ts';
import { defineMetric, sample } from './metric.ts';
import type { SyncChangeState } from './sync-changes.ts';
import type { MetricDefinition, Sample } from './types.ts';

/** What {@link broadbandLines} needs besides the answer. */
export interface BroadbandLinesContext extends CollectContext {
  /** Add a `postcode` label to `aaisp_broadband_line_info` (personal data: off by default). */
  readonly includePostcode?: boolean | undefined;
  /** Resync memory from `trackSyncChanges`; without it, no `sync_changes_total` series. */
  readonly syncChanges?: SyncChangeState | undefined;
  /**
   * Names the operator gave lines, by line ID (`{ "32001": "Home" }`): a line listed here gets
   * this as its `name` label instead of the one derived from its CHAOS title ({@link lineName}).
   * Used exactly as given, so the caller trims and checks them; lines not listed keep the derived
   * name.
   */
  readonly names?: Readonly<Record<string, string>> | undefined;
}

const LINE = ['line_id'];

/**
 * `aaisp_broadband_line_info`: 1 per line, carrying its login and name for joins. `name` is the
 * name the operator gave the line (`BroadbandLinesContext.names`), else the line's service choice
 * title without its postcode (see {@link lineName}): CHAOS titles lines "POSTCODE LOGIN", and the
 * postcode appears only in the `postcode` label, only when enabled.
 */
export const lineInfo: MetricDefinition = defineMetric({
  name: 'aaisp_broadband_line_info',
  type: 'gauge',
  help: 'Broadband line identity (always 1): login; name, the name configured for the line, else the CHAOS service choice title without the postcode (empty when nothing but the login is left); and postcode when enabled.',
  unit: '',
  labels: ['line_id', 'login', 'name', 'postcode'],
});
/** `tx_rate`: what A&A transmits, i.e. the customer's download. */
export const syncDownload: MetricDefinition = defineMetric({
  name: 'aaisp_broadband_sync_download_bits_per_second',
  type: 'gauge',
  help: 'Download sync rate (CHAOS tx_rate: A&A transmits) in bits per second.',
  unit: 'bits_per_second',
  labels: LINE,
});
/** `rx_rate`: what A&A receives, i.e. the customer's upload. */
export const syncUpload: MetricDefinition = defineMetric({
  name: 'aaisp_broadband_sync_upload_bits_per_second',
  type: 'gauge',
  help: 'Upload sync rate (CHAOS rx_rate: A&A receives) in bits per second.',
  unit: 'bits_per_second',
  labels: LINE,
});
/** `tx_rate_adjusted`. */
export const syncDownloadAdjusted: MetricDefinition = defineMetric({
  name: 'aaisp_broadband_sync_download_adjusted_bits_per_second',
  type: 'gauge',
  help: 'Download rate after A&A adjustment (CHAOS tx_rate_adjusted) in bits per second.',
  unit: 'bits_per_second',
  labels: LINE,
});
/** 1 for a limited line, 0 for unlimited lines and lines without a quota. */
export const quotaLimited: MetricDefinition = defineMetric({
  name: 'aaisp_broadband_quota_limited',
  type: 'gauge',
  help: '1 when the line has a monthly quota (quota_monthly > 0), 0 when unlimited or without quota.',
  unit: '',
  labels: LINE,
});
/** `quota_monthly` of limited lines. */
export const quotaTotal: MetricDefinition = defineMetric({
  name: 'aaisp_broadband_quota_total_bytes',
  type: 'gauge',
  help: 'Monthly quota allowance in bytes (limited lines only; excludes bonus and top-ups).',
  unit: 'bytes',
  labels: LINE,
});
/** `quota_remaining`, whenever CHAOS sends it. */
export const quotaRemaining: MetricDefinition = defineMetric({
  name: 'aaisp_broadband_quota_remaining_bytes',
  type: 'gauge',
  help: 'Quota remaining in bytes; may exceed the monthly total (rollover bonus, top-ups).',
  unit: 'bytes',
  labels: LINE,
});
/** total − remaining; negative when rollover exceeds use. */
export const quotaUsed: MetricDefinition = defineMetric({
  name: 'aaisp_broadband_quota_used_bytes',
  type: 'gauge',
  help: 'Quota used in bytes (total minus remaining, limited lines only); negative when rollover exceeds use.',
  unit: 'bytes',
  labels: LINE,
});
/** used ÷ total. */
export const quotaUsedRatio: MetricDefinition = defineMetric({
  name: 'aaisp_broadband_quota_used_ratio',
  type: 'gauge',
  help: 'Quota used as a fraction of the monthly total (limited lines only); negative with rollover.',
  unit: 'ratio',
  labels: LINE,
});
/** `quota_timestamp` (Europe/London wall time) as Unix seconds. */
export const quotaUpdated: MetricDefinition = defineMetric({
  name: 'aaisp_broadband_quota_updated_timestamp_seconds',
  type: 'gauge',
  help: 'When CHAOS last computed the quota figures (quota_timestamp, Europe/London), as Unix seconds.',
  unit: 'seconds',
  labels: LINE,
});
/** Resyncs seen by this exporter. */
export const syncChanges: MetricDefinition = defineMetric({
  name: 'aaisp_broadband_sync_changes_total',
  type: 'counter',
  help: "Times the exporter saw the line's download or upload sync rate change (resync detection).",
  unit: '',
  labels: LINE,
});
/** Lines in the last answer. */
export const lineCount: MetricDefinition = defineMetric({
  name: 'aaisp_broadband_lines',
  type: 'gauge',
  help: 'Broadband lines in the last broadband/info answer.',
  unit: '',
  labels: [],
});

/** The name the operator gave the line, if any; an own property only, so `names` may be any object. */
function givenName(names: Readonly<Record<string, string>> | undefined, lineId: string): string | undefined {
  return names !== undefined && Object.hasOwn(names, lineId) ? names[lineId] : undefined;
}

function lineSamples(line: BroadbandLine, title: string, context: BroadbandLinesContext): Sample[] {
  const id = { line_id: line.id };
  // CHAOS titles a line "POSTCODE LOGIN" (docs/chaos-api.md §11.1): the title as sent would put the
  // postcode in every scrape, even with `includePostcode` off. With it on, only `postcode` holds it.
  // A name the operator chose wins: it is what they asked to see.
  const name =
    givenName(context.names, line.id) ?? lineName({ title, login: line.login, postcode: line.postcode });
  const info: Record<string, string> = { line_id: line.id, login: line.login, name };
  if (context.includePostcode && line.postcode !== undefined) info.postcode = line.postcode.trim();
  const samples = [sample(lineInfo, 1, info)];
  if (line.syncDownBps !== undefined) samples.push(sample(syncDownload, line.syncDownBps, id));
  if (line.syncUpBps !== undefined) samples.push(sample(syncUpload, line.syncUpBps, id));
  if (line.adjustedDownBps !== undefined)
    samples.push(sample(syncDownloadAdjusted, line.adjustedDownBps, id));
  const { quota } = line;
  const limited = quota !== undefined && quota.monthlyBytes > 0;
  samples.push(sample(quotaLimited, limited ? 1 : 0, id));
  if (quota?.remainingBytes !== undefined) samples.push(sample(quotaRemaining, quota.remainingBytes, id));
  if (quota?.updatedAt !== undefined)
    samples.push(sample(quotaUpdated, quota.updatedAt.getTime() / 1000, id));
  if (limited) {
    samples.push(sample(quotaTotal, quota.monthlyBytes, id));
    if (quota.remainingBytes !== undefined) {
      const used = quota.monthlyBytes - quota.remainingBytes;
      samples.push(sample(quotaUsed, used, id), sample(quotaUsedRatio, used / quota.monthlyBytes, id));
    }
  }
  const memory = context.syncChanges?.lines.get(line.id);
  if (memory !== undefined) samples.push(sample(syncChanges, memory.changes, id));
  return samples;
}

/**
 * `broadband_lines`: maps `broadband.info()` (one call, every line) to the line metrics.
 *
 * Lines the SDK skipped as invalid (`info.skipped`, with `onInvalidLine: 'skip'`) are not counted
 * and have no series; the caller reports them.
 *
 * `name` is the name given for the line in `context.names`, else the service choice title without
 * the line's postcode, or `""` when nothing but the login is left ({@link lineName}); the postcode
 * is only ever in the `postcode` label, and only with `includePostcode`.
 *
 * Absent fields give absent series: a line without rates has no rate series, a line without
 * quota keys has `quota_limited 0` and nothing else about quota, an unlimited line (monthly 0)
 * has `quota_limited 0` and no total/used/ratio.
 */
export const broadbandLines: Collector<BroadbandInfo, BroadbandLinesContext> = {
  name: 'broadband_lines',
  commands: ['broadband/info'],
  metrics: [
    lineInfo,
    syncDownload,
    syncUpload,
    syncDownloadAdjusted,
    quotaLimited,
    quotaTotal,
    quotaRemaining,
    quotaUsed,
    quotaUsedRatio,
    quotaUpdated,
    syncChanges,
    lineCount,
  ],
  collect(info, context) {
    const names = new Map(info.serviceChoices.map((choice) => [choice.id, choice.title]));
    const samples = info.lines.flatMap((line) => lineSamples(line, names.get(line.id) ?? '', context));
    samples.push(sample(lineCount, info.lines.length));
    return withAccount(samples, context);
  },
};
