/**
 * The shared harness (`harness/`) the tests, the bench and the scripts lean on: its exposition
 * reader and its polling. A wrong answer here would pass or fail suites for the wrong reason.
 */

import { describe, expect, it } from 'vitest';
import { labelsOf, metricName, parseExposition, samplesOf, sampleValue } from '../../harness/exposition.ts';
import { waitFor } from '../../harness/wait.ts';

const EXPOSITION = [
  '# HELP aaisp_collector_success Whether the last run succeeded.',
  '# TYPE aaisp_collector_success gauge',
  'aaisp_collector_success{collector="broadband_lines"} 1',
  'aaisp_collector_success{collector="login_services"} 0',
  'aaisp_api_requests_total{command="info",outcome="ok"} 3',
  'aaisp_api_requests_total{command="broadband/info",outcome="ok"} 4',
  'aaisp_api_requests_total{command="info",outcome="http"} 2',
  'aaisp_broadband_line_info{line_id="1",title="a } b, \\"c\\" d"} 1',
  'aaisp_broadband_lines 2 1784044800000',
  'aaisp_scrape_seconds_bucket{le="+Inf"} +Inf',
  'aaisp_odd NaN',
  // prom-client's text format spells it so; Prometheus reads it.
  'nodejs_eventloop_lag_mean_seconds Nan',
  '# EOF',
  '',
].join('\n');

describe('parseExposition and sampleValue', () => {
  const series = parseExposition(EXPOSITION);

  it('reads every sample line, keyed as written, ignoring comments and timestamps', () => {
    expect(series.size).toBe(10);
    expect(series.get('aaisp_broadband_lines')).toBe(2);
    expect(series.get('aaisp_scrape_seconds_bucket{le="+Inf"}')).toBe(Number.POSITIVE_INFINITY);
    expect(series.get('aaisp_odd')).toBeNaN();
    expect(series.get('nodejs_eventloop_lag_mean_seconds')).toBeNaN();
    expect(() => parseExposition('aaisp_broken twelve\n')).toThrow(/not a sample line/);
  });

  it('reads labels with escapes, spaces and braces inside quoted values', () => {
    const [key = ''] = [...series.keys()].filter(
      (candidate) => metricName(candidate) === 'aaisp_broadband_line_info',
    );
    expect(labelsOf(key)).toEqual({ line_id: '1', title: 'a } b, "c" d' });
  });

  it('sums the samples whose labels include the asked ones, matching values exactly', () => {
    expect(sampleValue(series, 'aaisp_collector_success', { collector: 'broadband_lines' })).toBe(1);
    expect(sampleValue(series, 'aaisp_api_requests_total', { command: 'info' })).toBe(5);
    expect(sampleValue(series, 'aaisp_api_requests_total')).toBe(9);
    expect(sampleValue(series, 'aaisp_api_requests_total', { outcome: 'timeout' })).toBeUndefined();
    expect(sampleValue(series, 'aaisp_collector')).toBeUndefined();
    expect(samplesOf(series, 'aaisp_api_requests_total', { outcome: 'http' })).toEqual([
      {
        key: 'aaisp_api_requests_total{command="info",outcome="http"}',
        labels: { command: 'info', outcome: 'http' },
        value: 2,
      },
    ]);
  });

  it('refuses a line that is not a sample', () => {
    expect(() => parseExposition('aaisp_broadband_lines\n')).toThrow(/not a sample line/);
    expect(() => parseExposition('aaisp_x{a="1" 1\n')).toThrow(/unterminated labels/);
  });
});

describe('waitFor', () => {
  it('resolves with the first value the check returns, a throwing check counting as not yet', async () => {
    let calls = 0;
    const value = await waitFor(
      'the third call',
      () => {
        calls++;
        if (calls === 1) throw new Error('not up yet');
        return calls === 3 ? 'ready' : undefined;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('times out naming what it waited for and the last error', async () => {
    const failing = waitFor(
      'a server',
      async () => {
        throw new Error('ECONNREFUSED');
      },
      { limitMs: 30, intervalMs: 5 },
    );
    await expect(failing).rejects.toThrow(
      /timed out after 30 ms waiting for a server; last error: ECONNREFUSED/,
    );
    await expect(waitFor('nothing', () => undefined, { limitMs: 0 })).rejects.toThrow(
      /^timed out after 0 ms waiting for nothing$/,
    );
  });
});
