/**
 * `@aaisp/collectors`: pure mappers from CHAOS v2 answers (as parsed by `@aaisp/chaos-client`) to
 * Prometheus samples, and a renderer of those samples to the exposition formats. This entry loads
 * nothing from prom-client, at run time or in its types: the prom-client 15 adapter
 * (`createPromAdapter`) is the `@aaisp/collectors/prom-client` subpath.
 *
 * @module
 */

export {
  type BroadbandLinesContext,
  broadbandLines,
  lineCount,
  lineInfo,
  quotaLimited,
  quotaRemaining,
  quotaTotal,
  quotaUpdated,
  quotaUsed,
  quotaUsedRatio,
  syncChanges,
  syncDownload,
  syncDownloadAdjusted,
  syncUpload,
} from './broadband-lines.ts';
export { broadbandServiceCount, broadbandServices } from './broadband-services.ts';
export type { CollectContext, Collector } from './collector.ts';
export { withAccount } from './collector.ts';
export {
  type CqmLineInput,
  type CqmLinesInput,
  cqmLatency,
  cqmLines,
  cqmLoss,
  cqmOffline,
  cqmPollsFailed,
  cqmPollsSent,
  cqmSamplePeriod,
  cqmSamples,
  cqmSampleTimestamp,
  cqmScore,
  cqmTraffic,
  cqmUnobserved,
} from './cqm.ts';
export { type CqmLineState, type CqmTotals, emptyCqmLineState, trackCqm } from './cqm-state.ts';
export { escapeHelp, escapeLabelValue, formatSampleValue } from './exposition-text.ts';
export { type LineNameInput, lineName, replacePostcode } from './line-name.ts';
export { loginServiceCount, loginServices } from './login-services.ts';
export { defineMetric } from './metric.ts';
export { collectors } from './registry.ts';
export type { ExpositionFormat, RenderedSeries, Snapshot } from './render.ts';
export { assembleExposition, CONTENT_TYPES, renderExposition, renderSeries } from './render.ts';
export type { LineSyncMemory, SyncChangeState } from './sync-changes.ts';
export { emptySyncChangeState, trackSyncChanges } from './sync-changes.ts';
export {
  ratecardPrefixes,
  rateMinCharge,
  ratePencePerMinute,
  telephonyRatecard,
} from './telephony-ratecard.ts';
export type { CollectorMetrics, MetricDefinition, MetricType, Sample } from './types.ts';
