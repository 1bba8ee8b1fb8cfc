import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cqmSample, cqmSamples, isOfflineSample, resolveCqmOptions, sampleStarts } from './cqm.ts';
import { CQM_CSV_HEADER, cqmCsvRow, toCqmCsv } from './cqm-csv.ts';
import { cqmQualityOf } from './cqm-quality.ts';
import { createLondonClock } from './cqm-time.ts';

const ms = (iso: string): number => Date.parse(iso);
const clock = createLondonClock();
const settings = (periodSeconds = 100, windowSeconds = 86_400) =>
  resolveCqmOptions({ periodSeconds, windowSeconds, now: () => 0 });

describe('the CQM sample window', () => {
  it('ends with the last sample whose period has completed, aligned to the epoch', () => {
    const at = ms('2026-01-15T12:00:30Z') / 1000;
    const starts = sampleStarts(at * 1000, settings());
    expect(starts).toHaveLength(864);
    expect(starts.at(-1)).toBe(ms('2026-01-15T11:58:20Z') / 1000);
    expect(starts[0]).toBe(ms('2026-01-14T12:00:00Z') / 1000);
    expect(
      starts.every(
        (start, index) => start % 100 === 0 && (index === 0 || start - (starts[index - 1] ?? 0) === 100),
      ),
    ).toBe(true);
  });

  it('counts a sample as complete exactly when its period has passed', () => {
    const end = ms('2026-01-15T12:00:00Z');
    expect(sampleStarts(end, settings()).at(-1)).toBe(end / 1000 - 100);
    expect(sampleStarts(end - 1, settings()).at(-1)).toBe(end / 1000 - 200);
  });

  it('holds floor(window / period) rows: 8 640 at period 10, 3 for a 35-second window', () => {
    expect(sampleStarts(ms('2026-07-14T16:00:05Z'), settings(10))).toHaveLength(8640);
    expect(sampleStarts(ms('2026-07-14T16:00:05Z'), settings(10, 35))).toEqual([
      ms('2026-07-14T15:59:30Z') / 1000,
      ms('2026-07-14T15:59:40Z') / 1000,
      ms('2026-07-14T15:59:50Z') / 1000,
    ]);
  });

  it('refuses bad options', () => {
    expect(() => resolveCqmOptions({ periodSeconds: 0 })).toThrow(RangeError);
    expect(() => resolveCqmOptions({ periodSeconds: 2.5 })).toThrow(RangeError);
    expect(() => resolveCqmOptions({ periodSeconds: 100, windowSeconds: 99 })).toThrow(RangeError);
    expect(() => resolveCqmOptions({ periodSeconds: 1, windowSeconds: 2_000_000 })).toThrow(RangeError);
    expect(resolveCqmOptions()).toMatchObject({ periodSeconds: 100, windowSeconds: 86_400 });
  });
});

describe('CQM sample values', () => {
  const start = ms('2026-01-15T08:00:00Z') / 1000;

  it('gives a healthy line a plausible, ordered latency in ns and a diurnal traffic curve', () => {
    const quality = cqmQualityOf('32001');
    for (let at = start; at < start + 86_400; at += 100) {
      const sample = cqmSample('32001', at, 100, quality);
      expect(sample).toMatchObject({ period: 100, pollsSent: 100, failPercent: 0, score: 1 });
      const latency = sample.latencyNs;
      if (!latency) throw new Error('a healthy sample has latency');
      expect(latency.min).toBeLessThanOrEqual(latency.avg);
      expect(latency.avg).toBeLessThanOrEqual(latency.max);
      expect(latency.min % 1000).toBe(0);
      expect(Math.abs(latency.avg / 1e6 - quality.latencyMs)).toBeLessThanOrEqual(1);
    }
    const tx = (iso: string): number => cqmSample('32001', ms(iso) / 1000, 100, quality).txBitsPerSecond;
    expect(tx('2026-01-15T20:00:00Z')).toBeGreaterThan(5 * tx('2026-01-15T08:00:00Z'));
  });

  it('is a function of line and start only', () => {
    const quality = cqmQualityOf('32005');
    expect(cqmSample('32005', start, 100, quality)).toEqual(cqmSample('32005', start, 100, quality));
    expect(cqmSample('32005', start, 100, quality)).not.toEqual(
      cqmSample('32005', start + 100, 100, quality),
    );
    expect(cqmSample('32005', start, 100, quality)).not.toEqual(cqmSample('32001', start, 100, quality));
  });

  it('marks samples starting in 03:00–03:59 UTC as the offline hour', () => {
    expect(isOfflineSample(ms('2026-01-15T02:58:20Z') / 1000)).toBe(false);
    expect(isOfflineSample(ms('2026-01-15T03:00:00Z') / 1000)).toBe(true);
    expect(isOfflineSample(ms('2026-01-15T03:58:20Z') / 1000)).toBe(true);
    expect(isOfflineSample(ms('2026-01-15T04:00:00Z') / 1000)).toBe(false);
  });

  it('shows offline as %Fail 100 rows or as missing rows, 36 a day at period 100', () => {
    const config = settings();
    const now = ms('2026-01-15T12:00:30Z');
    const failing = cqmSamples('32003', cqmQualityOf('32003'), config, now);
    expect(failing).toHaveLength(864);
    const offline = failing.filter((sample) => sample.failPercent === 100);
    expect(offline).toHaveLength(36);
    expect(offline[0]).toEqual({
      start: ms('2026-01-15T03:00:00Z') / 1000,
      period: 100,
      pollsSent: 100,
      failPercent: 100,
      latencyNs: undefined,
      rxBitsPerSecond: 0,
      txBitsPerSecond: 0,
      score: 1,
    });
    expect(cqmSamples('32006', cqmQualityOf('32006'), config, now)).toHaveLength(864 - 36);
  });
});

describe('the CQM CSV', () => {
  it('writes the header and rows in the real form, every line ended by \\n', () => {
    expect(CQM_CSV_HEADER).toBe(
      'Time,Period,Polls Sent,%Fail,Latency Min,Av,Max,Traffic (bit/s) Rx,Tx,Score',
    );
    const real = {
      start: ms('2017-09-12T07:00:00Z') / 1000,
      period: 100,
      pollsSent: 100,
      failPercent: 0,
      latencyNs: { min: 6_376_000, avg: 6_807_000, max: 7_345_000 },
      rxBitsPerSecond: 19_670,
      txBitsPerSecond: 278_400,
      score: 1,
    };
    // DJ's real row (docs/chaos-api.md §11.2), rebuilt from its numbers.
    expect(cqmCsvRow(real, clock)).toBe(
      '2017-09-12 08:00:00,100,100,0,6376000,6807000,7345000,19670,278400,1',
    );
    expect(
      cqmCsvRow(
        { ...real, failPercent: 100, latencyNs: undefined, rxBitsPerSecond: 0, txBitsPerSecond: 0 },
        clock,
      ),
    ).toBe('2017-09-12 08:00:00,100,100,100,,,,0,0,1');
    expect(toCqmCsv([real, real], clock)).toBe(
      `${CQM_CSV_HEADER}\n${cqmCsvRow(real, clock)}\n${cqmCsvRow(real, clock)}\n`,
    );
    expect(toCqmCsv([], clock)).toBe(`${CQM_CSV_HEADER}\n`);
  });

  it('writes byte for byte the real 2017 CSV (fixtures/cqm-2017-real.csv) from its numbers', () => {
    // The real capture, not our description of it, is what the mock must match: the header the
    // mock once served (`Ave`) was our misreading and nothing caught it.
    const real = readFileSync(new URL('./fixtures/cqm-2017-real.csv', import.meta.url), 'utf8');
    const row = (start: string, min: number, avg: number, max: number, rx: number, tx: number) => ({
      start: ms(start) / 1000,
      period: 100,
      pollsSent: 100,
      failPercent: 0,
      latencyNs: { min, avg, max },
      rxBitsPerSecond: rx,
      txBitsPerSecond: tx,
      score: 1,
    });
    expect(
      toCqmCsv(
        [
          row('2017-09-12T07:00:00Z', 6_376_000, 6_807_000, 7_345_000, 19_670, 278_400),
          row('2017-09-12T07:01:40Z', 6_412_000, 6_899_000, 9_343_000, 19_190, 294_300),
          row('2017-09-12T07:03:20Z', 6_361_000, 6_873_000, 7_422_000, 14_160, 173_600),
          row('2017-09-12T07:05:00Z', 6_365_000, 6_835_000, 7_341_000, 1_075, 25_740),
        ],
        clock,
      ),
    ).toBe(real);
  });
});
