import { type CqmSample, parseCqmCsv } from '@aaisp/chaos-client';
import { describe, expect, it } from 'vitest';
import { at, real } from '../test/cqm-samples.ts';
import { type CqmLineState, cqmLines, emptyCqmLineState, trackCqm } from './index.ts';

/** A line after a first fetch of 0..1 and a second bringing 2 (20 % lost) and 3 (offline). */
function lossyLine(): CqmLineState {
  const first = trackCqm(emptyCqmLineState(), { samples: [real(0), real(1)] }, at(2));
  return trackCqm(
    first,
    { samples: [real(1), real(2, { failedRatio: 0.2 }), real(3, { failedRatio: 1 })] },
    at(4),
  );
}

describe('cqmLines', () => {
  it('is the cqm collector, with no CHAOS command', () => {
    expect(cqmLines.name).toBe('cqm');
    expect(cqmLines.commands).toEqual([]);
    expect(cqmLines.metrics.map((metric) => [metric.name, metric.type, metric.unit, metric.labels])).toEqual([
      ['aaisp_cqm_latency_seconds', 'gauge', 'seconds', ['line_id', 'stat']],
      ['aaisp_cqm_loss_ratio', 'gauge', 'ratio', ['line_id']],
      ['aaisp_cqm_traffic_bits_per_second', 'gauge', 'bits_per_second', ['line_id', 'direction']],
      ['aaisp_cqm_score', 'gauge', '', ['line_id']],
      ['aaisp_cqm_sample_timestamp_seconds', 'gauge', 'seconds', ['line_id']],
      ['aaisp_cqm_sample_period_seconds', 'gauge', 'seconds', ['line_id']],
      ['aaisp_cqm_polls_sent_total', 'counter', '', ['line_id']],
      ['aaisp_cqm_polls_failed_total', 'counter', '', ['line_id']],
      ['aaisp_cqm_offline_seconds_total', 'counter', 'seconds', ['line_id']],
      ['aaisp_cqm_unobserved_seconds_total', 'counter', 'seconds', ['line_id']],
      ['aaisp_cqm_samples_total', 'counter', '', ['line_id']],
    ]);
  });

  it('after a first fetch: the newest complete sample as gauges, every counter 0', () => {
    // Sample 2 is in progress at the fetch: the gauges are sample 1's.
    const state = trackCqm(
      emptyCqmLineState(),
      { samples: [real(0), real(1), real(2, { failedRatio: 0.5 })] },
      at(2) + 30_000,
    );
    const id = { line_id: '32891' };
    expect(cqmLines.collect([{ lineId: '32891', state }], {})).toEqual([
      { metric: 'aaisp_cqm_latency_seconds', labels: { ...id, stat: 'min' }, value: 0.006376 },
      { metric: 'aaisp_cqm_latency_seconds', labels: { ...id, stat: 'avg' }, value: 0.006807 },
      { metric: 'aaisp_cqm_latency_seconds', labels: { ...id, stat: 'max' }, value: 0.007345 },
      { metric: 'aaisp_cqm_loss_ratio', labels: id, value: 0 },
      { metric: 'aaisp_cqm_traffic_bits_per_second', labels: { ...id, direction: 'down' }, value: 278400 },
      { metric: 'aaisp_cqm_traffic_bits_per_second', labels: { ...id, direction: 'up' }, value: 19670 },
      { metric: 'aaisp_cqm_score', labels: id, value: 1 },
      { metric: 'aaisp_cqm_sample_timestamp_seconds', labels: id, value: at(1) / 1000 },
      { metric: 'aaisp_cqm_sample_period_seconds', labels: id, value: 100 },
      { metric: 'aaisp_cqm_polls_sent_total', labels: id, value: 0 },
      { metric: 'aaisp_cqm_polls_failed_total', labels: id, value: 0 },
      { metric: 'aaisp_cqm_offline_seconds_total', labels: id, value: 0 },
      { metric: 'aaisp_cqm_unobserved_seconds_total', labels: id, value: 0 },
      { metric: 'aaisp_cqm_samples_total', labels: id, value: 0 },
    ]);
  });

  it('after a later fetch: the totals as counters, the newest sample as gauges', () => {
    const samples = cqmLines.collect([{ lineId: '32891', state: lossyLine() }], {});
    const value = (metric: string): number | undefined =>
      samples.find((entry) => entry.metric === metric)?.value;
    expect(value('aaisp_cqm_polls_sent_total')).toBe(200);
    expect(value('aaisp_cqm_polls_failed_total')).toBe(120);
    expect(value('aaisp_cqm_offline_seconds_total')).toBe(100);
    expect(value('aaisp_cqm_samples_total')).toBe(2);
    expect(value('aaisp_cqm_loss_ratio')).toBe(1);
    expect(value('aaisp_cqm_sample_timestamp_seconds')).toBe(at(3) / 1000);
  });

  it("reads the SDK's parse of DJ's real CSV rows (UK wall time, nanoseconds, Rx/Tx)", () => {
    const header = 'Time,Period,Polls Sent,%Fail,Latency Min,Av,Max,Traffic (bit/s) Rx,Tx,Score';
    const first = `${header}\n2017-09-12 08:00:00,100,100,0,6376000,6807000,7345000,19670,278400,1\n`;
    const second = `${first}2017-09-12 08:01:40,100,100,3,6400000,6900000,9100000,20000,300000,1\n`;
    // 08:00 BST is 07:00 UTC; the second fetch is at the end of the second sample.
    const start = Date.UTC(2017, 8, 12, 7, 0, 0);
    const seen = trackCqm(emptyCqmLineState(), parseCqmCsv(first), start + 100_000);
    const state = trackCqm(seen, parseCqmCsv(second), start + 200_000);
    const samples = cqmLines.collect([{ lineId: '32891', state }], {});
    const byName = new Map(
      samples.map((entry) => [
        `${entry.metric}${entry.labels.stat ?? entry.labels.direction ?? ''}`,
        entry.value,
      ]),
    );
    expect(Object.fromEntries(byName)).toEqual({
      aaisp_cqm_latency_secondsmin: 0.0064,
      aaisp_cqm_latency_secondsavg: 0.0069,
      aaisp_cqm_latency_secondsmax: 0.0091,
      aaisp_cqm_loss_ratio: 0.03,
      aaisp_cqm_traffic_bits_per_seconddown: 300000,
      aaisp_cqm_traffic_bits_per_secondup: 20000,
      aaisp_cqm_score: 1,
      aaisp_cqm_sample_timestamp_seconds: (start + 100_000) / 1000,
      aaisp_cqm_sample_period_seconds: 100,
      aaisp_cqm_polls_sent_total: 100,
      aaisp_cqm_polls_failed_total: 3,
      aaisp_cqm_offline_seconds_total: 0,
      aaisp_cqm_unobserved_seconds_total: 0,
      aaisp_cqm_samples_total: 1,
    });
  });

  it('leaves out the series of values the CSV left out, never faking zeros', () => {
    const bare: CqmSample = {
      start: new Date(at(0)),
      latencySeconds: { avg: 0.0125 },
      trafficBitsPerSecond: { up: 1000 },
    };
    const state = trackCqm(emptyCqmLineState(), { samples: [bare] }, at(1));
    const id = { line_id: '7' };
    expect(cqmLines.collect([{ lineId: '7', state }], {})).toEqual([
      { metric: 'aaisp_cqm_latency_seconds', labels: { ...id, stat: 'avg' }, value: 0.0125 },
      { metric: 'aaisp_cqm_traffic_bits_per_second', labels: { ...id, direction: 'up' }, value: 1000 },
      { metric: 'aaisp_cqm_sample_timestamp_seconds', labels: id, value: at(0) / 1000 },
      { metric: 'aaisp_cqm_polls_sent_total', labels: id, value: 0 },
      { metric: 'aaisp_cqm_polls_failed_total', labels: id, value: 0 },
      { metric: 'aaisp_cqm_offline_seconds_total', labels: id, value: 0 },
      { metric: 'aaisp_cqm_unobserved_seconds_total', labels: id, value: 0 },
      { metric: 'aaisp_cqm_samples_total', labels: id, value: 0 },
    ]);
  });

  it('gives a line not seen yet no series at all', () => {
    const pending = trackCqm(emptyCqmLineState(), { samples: [real(0)] }, at(0) + 1);
    expect(
      cqmLines.collect(
        [
          { lineId: '1', state: emptyCqmLineState() },
          { lineId: '2', state: pending },
        ],
        {},
      ),
    ).toEqual([]);
  });

  it('labels every sample with the account when the context names one', () => {
    const samples = cqmLines.collect([{ lineId: '32891', state: lossyLine() }], { account: 'home' });
    expect(samples).toHaveLength(14);
    for (const entry of samples) expect(entry.labels).toMatchObject({ line_id: '32891', account: 'home' });
    expect(samples.find((entry) => entry.metric === 'aaisp_cqm_latency_seconds')?.labels).toEqual({
      line_id: '32891',
      stat: 'min',
      account: 'home',
    });
  });
});
