/**
 * The exporter's own per-line CQM gauges, beside `@aaisp/collectors`' `cqm` metrics: whether the
 * last fetch worked and how the last CSV's header differed from A&A's known format. Their own
 * module, so the status page can read them without loading the CQM run.
 *
 * @module
 */

import { defineMetric, type MetricDefinition } from '@aaisp/collectors';

/** Per line: whether the exporter's last fetch of its CQM CSV worked. */
export const cqmFetchSuccess: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_fetch_success',
  type: 'gauge',
  help: "1 when the exporter's last fetch of the line's CQM CSV succeeded, 0 when it failed (the line's other aaisp_cqm_ series are its last good values until they age out).",
  unit: '',
  labels: ['line_id'],
});

/**
 * Per line: how many known columns the last CSV's header lacked. Not 0 means A&A's format moved
 * and a value (the average latency, when `Av` was renamed) is missing from every sample.
 */
export const cqmCsvColumnsMissing: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_csv_columns_missing',
  type: 'gauge',
  help: "Known columns (Time, Period, Polls Sent, %Fail, Latency Min, Av, Max, Traffic (bit/s) Rx, Tx, Score) that the header of the line's last fetched CQM CSV lacked; their values are absent. 0 on A&A's known format; the exporter's log names them.",
  unit: '',
  labels: ['line_id'],
});

/** Per line: how many header names of the last CSV the exporter does not know, so did not read. */
export const cqmCsvColumnsUnknown: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_csv_columns_unknown',
  type: 'gauge',
  help: "Header names in the line's last fetched CQM CSV that the exporter does not know, so does not read (a repeated name counts). 0 on A&A's known format; the exporter's log names them.",
  unit: '',
  labels: ['line_id'],
});
