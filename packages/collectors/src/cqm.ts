/**
 * The line-quality collector: each line's CQM state (from `trackCqm`) becomes gauges of its newest
 * complete sample and counters of its echoes, losses and offline time. The data is A&A's CQM CSV
 * (docs/chaos-api.md §11.2), fetched by `fetchCqm`, not a CHAOS command.
 *
 * @module
 */

import { type CollectContext, type Collector, withAccount } from './collector.ts';
import type { CqmLineState } from './cqm-state.ts';
import { defineMetric, sample } from './metric.ts';
import type { MetricDefinition, Sample } from './types.ts';

/** One line's input to {@link cqmLines}. */
export interface CqmLineInput {
  /** The A&A line ID the CQM link belongs to (the `line_id` label, as in `broadband_lines`). */
  readonly lineId: string;
  /** The line's state after its latest fetch (`trackCqm`). */
  readonly state: CqmLineState;
}

/** What {@link cqmLines} maps: every line with a CQM link, each with its state. */
export type CqmLinesInput = readonly CqmLineInput[];

const LINE = ['line_id'];

/** Latency of the newest sample, by `stat`. */
export const cqmLatency: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_latency_seconds',
  type: 'gauge',
  help: "Round-trip time of A&A's LCP echoes to the line in the newest complete CQM sample, in seconds (CSV Latency Min/Av/Max, read as nanoseconds [I]); stat is min, avg or max.",
  unit: 'seconds',
  labels: ['line_id', 'stat'],
});
/** `%Fail` of the newest sample as a ratio. */
export const cqmLoss: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_loss_ratio',
  type: 'gauge',
  help: 'Share of echoes without an answer in the newest complete CQM sample, 0 to 1 (CSV %Fail / 100).',
  unit: 'ratio',
  labels: LINE,
});
/** Traffic of the newest sample, by `direction` (`down` is Tx). */
export const cqmTraffic: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_traffic_bits_per_second',
  type: 'gauge',
  help: 'Mean traffic over the newest complete CQM sample in bits per second; direction down is the CSV Tx (A&A transmits), up is Rx (A&A receives), named from A&A side [I].',
  unit: 'bits_per_second',
  labels: ['line_id', 'direction'],
});
/** `Score` of the newest sample. */
export const cqmScore: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_score',
  type: 'gauge',
  help: 'CQM Score of the newest complete sample: an integer quality grade whose meaning A&A does not document [?].',
  unit: '',
  labels: LINE,
});
/** Start of the newest sample. */
export const cqmSampleTimestamp: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_sample_timestamp_seconds',
  type: 'gauge',
  help: 'Start of the newest complete CQM sample (CSV Time, Europe/London), as Unix seconds.',
  unit: 'seconds',
  labels: LINE,
});
/** `Period` of the newest sample. */
export const cqmSamplePeriod: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_sample_period_seconds',
  type: 'gauge',
  help: 'Length of the newest complete CQM sample in seconds (CSV Period, normally 100).',
  unit: 'seconds',
  labels: LINE,
});
/** Echoes sent, over every sample ingested. */
export const cqmPollsSent: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_polls_sent_total',
  type: 'counter',
  help: 'LCP echoes A&A sent to the line (CSV Polls Sent, one a second), over the CQM samples this exporter ingested; starts at 0 with the exporter.',
  unit: '',
  labels: LINE,
});
/** Echoes without an answer, over every sample ingested. */
export const cqmPollsFailed: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_polls_failed_total',
  type: 'counter',
  help: 'LCP echoes without an answer (CSV Polls Sent x %Fail / 100, rounded per sample), over the CQM samples this exporter ingested.',
  unit: '',
  labels: LINE,
});
/** Offline seconds, over every sample ingested. */
export const cqmOffline: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_offline_seconds_total',
  type: 'counter',
  help: 'Seconds the line was offline by CQM: samples with Polls Sent 0 or %Fail 100, and gaps of missing rows between consecutive samples seen.',
  unit: 'seconds',
  labels: LINE,
});
/** Seconds no fetch covered. */
export const cqmUnobserved: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_unobserved_seconds_total',
  type: 'counter',
  help: "Seconds of CQM data the exporter never saw, because the CSV's 24-hour window moved past its last sample between two fetches; not counted as offline.",
  unit: 'seconds',
  labels: LINE,
});
/** Samples ingested. */
export const cqmSamples: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_samples_total',
  type: 'counter',
  help: 'CQM samples (normally 100 s each) this exporter ingested; the first fetch after a start only marks the newest as seen.',
  unit: '',
  labels: LINE,
});

function lineSamples({ lineId, state }: CqmLineInput): Sample[] {
  if (state.lastSeenStartMs === undefined) return [];
  const id = { line_id: lineId };
  const samples: Sample[] = [];
  const { newest, totals } = state;
  if (newest !== undefined) {
    const { latencySeconds, trafficBitsPerSecond } = newest;
    if (latencySeconds.min !== undefined)
      samples.push(sample(cqmLatency, latencySeconds.min, { line_id: lineId, stat: 'min' }));
    if (latencySeconds.avg !== undefined)
      samples.push(sample(cqmLatency, latencySeconds.avg, { line_id: lineId, stat: 'avg' }));
    if (latencySeconds.max !== undefined)
      samples.push(sample(cqmLatency, latencySeconds.max, { line_id: lineId, stat: 'max' }));
    if (newest.failedRatio !== undefined) samples.push(sample(cqmLoss, newest.failedRatio, id));
    if (trafficBitsPerSecond.down !== undefined)
      samples.push(sample(cqmTraffic, trafficBitsPerSecond.down, { line_id: lineId, direction: 'down' }));
    if (trafficBitsPerSecond.up !== undefined)
      samples.push(sample(cqmTraffic, trafficBitsPerSecond.up, { line_id: lineId, direction: 'up' }));
    if (newest.score !== undefined) samples.push(sample(cqmScore, newest.score, id));
    samples.push(sample(cqmSampleTimestamp, newest.start.getTime() / 1000, id));
    if (newest.periodSeconds !== undefined) samples.push(sample(cqmSamplePeriod, newest.periodSeconds, id));
  }
  samples.push(
    sample(cqmPollsSent, totals.pollsSent, id),
    sample(cqmPollsFailed, totals.pollsFailed, id),
    sample(cqmOffline, totals.offlineSeconds, id),
    sample(cqmUnobserved, totals.unobservedSeconds, id),
    sample(cqmSamples, totals.samples, id),
  );
  return samples;
}

/**
 * `cqm`: maps each line's CQM state to line-quality samples, labelled `line_id` (and `account`
 * from the context). `commands` is empty: the data is A&A's CQM CSV, fetched with `fetchCqm` from
 * a per-line link, not a CHAOS command.
 *
 * A line not yet seen (no complete sample in any fetch) has no series. Once seen, it has the
 * five counters (0 after the first fetch) and the gauges of its newest complete sample, each only
 * when the CSV gave its value.
 */
export const cqmLines: Collector<CqmLinesInput, CollectContext> = {
  name: 'cqm',
  commands: [],
  metrics: [
    cqmLatency,
    cqmLoss,
    cqmTraffic,
    cqmScore,
    cqmSampleTimestamp,
    cqmSamplePeriod,
    cqmPollsSent,
    cqmPollsFailed,
    cqmOffline,
    cqmUnobserved,
    cqmSamples,
  ],
  collect(lines, context) {
    return withAccount(lines.flatMap(lineSamples), context);
  },
};
