import type { CqmSample } from '@aaisp/chaos-client';
import { renderSeries } from '@aaisp/collectors';
import { describe, expect, it } from 'vitest';
import { cqm } from './cqm.ts';
import { CQM_WINDOW_SAMPLES, cqmWindowOf, cqmWindowSamples, median } from './cqm-window.ts';

/** The newest sample ends here; the fetch is a little later. */
const END_MS = Date.UTC(2026, 11, 4, 12, 0, 0);
const FETCHED_MS = END_MS + 250_000;
const PERIOD = 100;

/** A 100 s sample starting `index` periods before the newest one (0 = newest). */
function sample(index: number, fields: Partial<CqmSample> = {}): CqmSample {
  return {
    start: new Date(END_MS - (index + 1) * PERIOD * 1000),
    periodSeconds: PERIOD,
    pollsSent: 100,
    failedRatio: 0,
    latencySeconds: { avg: 0.01 },
    trafficBitsPerSecond: {},
    ...fields,
  };
}

/** `count` samples, oldest first, each made by `make` from its index (0 = newest). */
function samples(count: number, make: (index: number) => CqmSample = (index) => sample(index)): CqmSample[] {
  return Array.from({ length: count }, (_, offset) => make(count - 1 - offset));
}

describe('the status page’s CQM window', () => {
  it('takes loss over the newest 15 minutes of samples only', () => {
    // 9 samples (900 s) lose 20 %; the day before lost nothing.
    const data = { samples: samples(864, (index) => sample(index, { failedRatio: index < 9 ? 0.2 : 0 })) };
    expect(cqmWindowOf(data, FETCHED_MS)?.lossRatio).toBe(0.2);
    // A tenth lossy sample is outside the window and changes nothing.
    const tenth = { samples: samples(864, (index) => sample(index, { failedRatio: index < 10 ? 0.2 : 0 })) };
    expect(cqmWindowOf(tenth, FETCHED_MS)?.lossRatio).toBe(0.2);
    // Failed echoes are whole echoes, as the counters count them.
    const one = { samples: samples(9, (index) => sample(index, { failedRatio: index === 0 ? 0.034 : 0 })) };
    expect(cqmWindowOf(one, FETCHED_MS)?.lossRatio).toBe(3 / 900);
  });

  it('counts the echoes of a sample without %Fail as sent, as the counters do', () => {
    const data = {
      samples: samples(3, (index) =>
        sample(index, index === 1 ? { failedRatio: undefined } : { failedRatio: 0.1 }),
      ),
    };
    expect(cqmWindowOf(data, FETCHED_MS)?.lossRatio).toBe(20 / 300);
  });

  it('has no loss ratio when no echo was sent', () => {
    const data = { samples: samples(9, (index) => sample(index, { pollsSent: 0 })) };
    expect(cqmWindowOf(data, FETCHED_MS)?.lossRatio).toBeUndefined();
  });

  it('counts offline samples and gaps of missing rows inside the window, as trackCqm does', () => {
    const offline = { samples: samples(20, (index) => sample(index, { failedRatio: index < 7 ? 1 : 0 })) };
    expect(cqmWindowOf(offline, FETCHED_MS)?.offlineSeconds).toBe(700);
    const silent = { samples: samples(20, (index) => sample(index, { pollsSent: index === 3 ? 0 : 100 })) };
    expect(cqmWindowOf(silent, FETCHED_MS)?.offlineSeconds).toBe(100);
    // Rows 1..12 missing: the gap runs from 1 300 s before the end to 100 s before it. The
    // counter adds all 1 200 s when the row after it arrives, inside the window, and the alert's
    // increase over 15 minutes sees that whole step: so does the page.
    const gap = { samples: samples(20).filter((_, offset) => offset < 7 || offset > 18) };
    expect(gap.samples.map((item) => (END_MS - item.start.getTime()) / 1000).slice(-2)).toEqual([1400, 100]);
    expect(cqmWindowOf(gap, FETCHED_MS)?.offlineSeconds).toBe(1200);
    expect(cqmWindowOf({ samples: samples(20) }, FETCHED_MS)?.offlineSeconds).toBe(0);
  });

  it('takes the median latency of the newest 15 minutes and of 24 hours', () => {
    const data = {
      samples: samples(864, (index) => sample(index, { latencySeconds: { avg: index < 9 ? 0.05 : 0.01 } })),
    };
    const window = cqmWindowOf(data, FETCHED_MS);
    expect(window?.latencySeconds).toBe(0.05);
    expect(window?.baselineLatencySeconds).toBe(0.01);
    // Samples older than 24 h before the newest one's end are not in the baseline.
    const old = {
      samples: samples(900, (index) => sample(index, { latencySeconds: { avg: index >= 864 ? 9 : 0.01 } })),
    };
    expect(cqmWindowOf(old, FETCHED_MS)?.baselineLatencySeconds).toBe(0.01);
  });

  it('leaves out a sample not yet over, and has nothing without a complete sample', () => {
    const data = { samples: [...samples(9), sample(-1, { failedRatio: 1 })] };
    expect(cqmWindowOf(data, END_MS)?.offlineSeconds).toBe(0);
    expect(cqmWindowOf(data, END_MS + PERIOD * 1000)?.offlineSeconds).toBe(100);
    expect(cqmWindowOf({ samples: [sample(-1)] }, END_MS)).toBeUndefined();
    expect(cqmWindowOf({ samples: [] }, END_MS)).toBeUndefined();
  });

  it('takes the median as Prometheus does: the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });

  it('goes to the page as samples that /metrics never renders', () => {
    const window = {
      lossRatio: 0.2,
      offlineSeconds: 0,
      latencySeconds: 0.05,
      baselineLatencySeconds: undefined,
    };
    const pageSamples = cqmWindowSamples('32002', window);
    expect(pageSamples.map((item) => [item.metric, item.value])).toEqual([
      [CQM_WINDOW_SAMPLES.lossRatio, 0.2],
      [CQM_WINDOW_SAMPLES.offlineSeconds, 0],
      [CQM_WINDOW_SAMPLES.latencySeconds, 0.05],
    ]);
    const declared = cqm.collector.metrics.map((metric) => metric.name);
    for (const name of Object.values(CQM_WINDOW_SAMPLES)) expect(declared).not.toContain(name);
    const rendered = renderSeries({ collector: cqm.collector, samples: pageSamples });
    expect(rendered.lines.size).toBe(0);
  });
});
