/**
 * CQM samples as the CSV A&A serves (docs/chaos-api.md §11.2, DJ's real rows).
 *
 * @module
 */

import type { CqmSample } from './cqm.ts';
import type { LondonClock } from './cqm-time.ts';

/** The CSV's header line, exactly as A&A writes it (§11.2 [S]), without its line end. */
export const CQM_CSV_HEADER = 'Time,Period,Polls Sent,%Fail,Latency Min,Av,Max,Traffic (bit/s) Rx,Tx,Score';

/**
 * One row: `2017-09-12 08:00:00,100,100,0,6376000,6807000,7345000,19670,278400,1`. A sample with
 * no answered poll has empty latency fields (`…,100,,,,0,0,1`), the mock's reading of how a CSV
 * leaves out a value it does not have [I].
 *
 * @param clock - the mock's London clock, which writes `Time`.
 */
export function cqmCsvRow(sample: CqmSample, clock: LondonClock): string {
  const latency = sample.latencyNs;
  return [
    clock.wallTime(sample.start),
    sample.period,
    sample.pollsSent,
    sample.failPercent,
    latency?.min ?? '',
    latency?.avg ?? '',
    latency?.max ?? '',
    sample.rxBitsPerSecond,
    sample.txBitsPerSecond,
    sample.score,
  ].join(',');
}

/**
 * The whole CSV body: the header, then one row per sample, each line ended by `\n` (the last one
 * too). Whether A&A ends lines with `\n` or `\r\n` is not shown [?]; clients should accept both.
 *
 * @param clock - the mock's London clock, which writes each row's `Time`.
 */
export function toCqmCsv(samples: readonly CqmSample[], clock: LondonClock): string {
  let body = `${CQM_CSV_HEADER}\n`;
  for (const sample of samples) body += `${cqmCsvRow(sample, clock)}\n`;
  return body;
}
