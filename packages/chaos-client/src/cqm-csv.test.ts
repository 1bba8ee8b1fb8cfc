import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCqmCsv } from './cqm-csv.ts';
import { isChaosError } from './errors.ts';

/** The real CSV of docs/chaos-api.md §11.2 (DJ's tests, 2017), verbatim. */
const REAL_CSV = readFileSync(
  new URL('../../chaos-mock/src/fixtures/cqm-2017-real.csv', import.meta.url),
  'utf8',
);
const [HEADER = '', REAL_ROW = ''] = REAL_CSV.split('\n');

describe('parseCqmCsv on the real 2017 CSV (fixtures/cqm-2017-real.csv)', () => {
  it('has the real header, with Av for the average', () => {
    expect(HEADER).toBe('Time,Period,Polls Sent,%Fail,Latency Min,Av,Max,Traffic (bit/s) Rx,Tx,Score');
  });

  it('reads every row to exact values, knowing every column', () => {
    const sample = (start: string, latency: [number, number, number], down: number, up: number) => ({
      start: new Date(start),
      periodSeconds: 100,
      pollsSent: 100,
      failedRatio: 0,
      latencySeconds: { min: latency[0], avg: latency[1], max: latency[2] },
      trafficBitsPerSecond: { down, up },
      score: 1,
    });
    expect(parseCqmCsv(REAL_CSV)).toEqual({
      samples: [
        // 08:00 BST on 12 September is 07:00 UTC.
        sample('2017-09-12T07:00:00Z', [0.006376, 0.006807, 0.007345], 278_400, 19_670),
        sample('2017-09-12T07:01:40Z', [0.006412, 0.006899, 0.009343], 294_300, 19_190),
        sample('2017-09-12T07:03:20Z', [0.006361, 0.006873, 0.007422], 173_600, 14_160),
        sample('2017-09-12T07:05:00Z', [0.006365, 0.006835, 0.007341], 25_740, 1_075),
      ],
      skipped: [],
      missingColumns: [],
      unknownColumns: [],
    });
  });
});

describe('parseCqmCsv: a header that differs from the real one says how', () => {
  const row = '2017-09-12 08:00:00,100,100,0,6376000,6807000,7345000,19670,278400,1';

  it.each(['Ave', 'Avg', 'Average', 'AV', 'Latency Ave'])(
    'still reads the average from the tolerated variant %j, with nothing missing or unknown',
    (name) => {
      const data = parseCqmCsv(`${HEADER.replace(',Av,', `,${name},`)}\n${row}\n`);
      expect(data.samples[0]?.latencySeconds).toEqual({ min: 0.006376, avg: 0.006807, max: 0.007345 });
      expect(data.missingColumns).toEqual([]);
      expect(data.unknownColumns).toEqual([]);
    },
  );

  it('names the known column a header lacks and the name it does not know', () => {
    // The failure this package once had, seen from the other side: an average under a new name.
    const data = parseCqmCsv(`${HEADER.replace(',Av,', ',Mean,')}\n${row}\n`);
    expect(data.missingColumns).toEqual(['Av']);
    expect(data.unknownColumns).toEqual(['Mean']);
    expect(data.samples[0]?.latencySeconds).toEqual({ min: 0.006376, avg: undefined, max: 0.007345 });
  });

  it('lists every missing column by its real name, in the real order', () => {
    const data = parseCqmCsv('Time,%Fail\n2017-09-12 08:00:00,0\n');
    expect(data.missingColumns).toEqual([
      'Period',
      'Polls Sent',
      'Latency Min',
      'Av',
      'Max',
      'Traffic (bit/s) Rx',
      'Tx',
      'Score',
    ]);
    expect(data.unknownColumns).toEqual([]);
  });

  it('reports a repeated name, a second variant and a nameless column as unknown, and cuts long names', () => {
    const long = 'x'.repeat(100);
    const data = parseCqmCsv(`${HEADER},Max,Ave,,${long}\n${row},1,2,3,4\n`);
    expect(data.missingColumns).toEqual([]);
    expect(data.unknownColumns).toEqual(['Max', 'Ave', '(column 13, no name)', 'x'.repeat(64)]);
    // The first of a repeated name is the one read.
    expect(data.samples[0]?.latencySeconds.max).toBe(0.007345);
  });

  it('says nothing about columns for an empty body', () => {
    expect(parseCqmCsv('')).toEqual({ samples: [], skipped: [], missingColumns: [], unknownColumns: [] });
  });
});

describe('parseCqmCsv', () => {
  it('reads the real 2017 row: BST wall time, nanoseconds as seconds, Tx as download', () => {
    const { samples, skipped } = parseCqmCsv(`${HEADER}\n${REAL_ROW}\n`);
    expect(skipped).toEqual([]);
    expect(samples).toEqual([
      {
        start: new Date('2017-09-12T07:00:00Z'),
        periodSeconds: 100,
        pollsSent: 100,
        failedRatio: 0,
        latencySeconds: { min: 0.006376, avg: 0.006807, max: 0.007345 },
        trafficBitsPerSecond: { down: 278400, up: 19670 },
        score: 1,
      },
    ]);
  });

  it('reads GMT in winter, CRLF, a BOM, quoted fields and a fractional %Fail', () => {
    const text = `\uFEFF${HEADER}\r\n"2026-01-20 08:00:00",100,100,2.5,1000000,2000000,3000000,10,20,1\r\n`;
    const [sample] = parseCqmCsv(text).samples;
    expect(sample?.start.toISOString()).toBe('2026-01-20T08:00:00.000Z');
    expect(sample?.failedRatio).toBe(0.025);
    expect(sample?.latencySeconds).toEqual({ min: 0.001, avg: 0.002, max: 0.003 });
  });

  it('finds columns by name: any order, extra columns not read, missing ones absent', () => {
    const text = 'Score,Extra,Tx,Time,%Fail\n3,zzz,500,2026-01-20 08:00:00,10\n';
    const { samples, unknownColumns } = parseCqmCsv(text);
    const [sample] = samples;
    expect(unknownColumns).toEqual(['Extra']);
    expect(sample).toEqual({
      start: new Date('2026-01-20T08:00:00Z'),
      periodSeconds: undefined,
      pollsSent: undefined,
      failedRatio: 0.1,
      latencySeconds: { min: undefined, avg: undefined, max: undefined },
      trafficBitsPerSecond: { down: 500, up: undefined },
      score: 3,
    });
  });

  it('gives no samples for an empty body or a header alone', () => {
    for (const text of ['', '\n', ' \r\n\r\n', '\uFEFF', HEADER, `${HEADER}\n`, `\uFEFF${HEADER}\r\n\r\n`]) {
      expect(parseCqmCsv(text)).toMatchObject({ samples: [], skipped: [] });
    }
  });

  it('recognises the header names in any case with spaces around them', () => {
    const text = ` time , PERIOD,polls sent,%FAIL , latency min,AV,max,TRAFFIC (BIT/S) RX,tx,score\n${REAL_ROW}`;
    expect(parseCqmCsv(text).samples[0]?.latencySeconds).toEqual({
      min: 0.006376,
      avg: 0.006807,
      max: 0.007345,
    });
    expect(parseCqmCsv(text).samples[0]?.trafficBitsPerSecond).toEqual({ down: 278400, up: 19670 });
  });

  it('counts lines from the top of the body, blank lines and a leading blank line included', () => {
    const text = `\n${HEADER}\n${REAL_ROW}\n\n2017-09-12 08:01:40,100,100,0,x,2,3,4,5,1\n`;
    const { samples, skipped } = parseCqmCsv(text);
    expect(samples).toHaveLength(1);
    expect(skipped).toEqual([
      { line: 5, issues: [{ path: ['Latency Min'], message: 'must be a non-negative number' }] },
    ]);
  });

  it('rejects a header it does not recognise with a schema error that quotes nothing', () => {
    for (const text of [
      '<html><body>Not found</body></html>\n',
      `${REAL_ROW}\n${REAL_ROW}\n`,
      'Period,Polls Sent,%Fail\n100,100,0\n', // no Time
      'Time\n2017-09-12 08:00:00\n', // Time alone: some other CSV
    ]) {
      let caught: unknown;
      try {
        parseCqmCsv(text);
      } catch (error) {
        caught = error;
      }
      expect(isChaosError(caught) && caught.kind).toBe('schema');
      expect(isChaosError(caught) && caught.issues.map((issue) => issue.path)).toEqual([[1]]);
      expect(String(caught)).not.toContain('html');
      expect(JSON.stringify(caught)).not.toContain('6376000');
    }
  });

  it('reads the three forms an offline period may take as plain values', () => {
    const text = [
      HEADER,
      '2026-01-20 08:00:00,100,100,100,,,,0,0,1', // every echo failed
      '2026-01-20 08:01:40,100,0,0,,,,0,0,1', // none sent
      // 08:03:20 missing
      '2026-01-20 08:05:00,100,100,0,6000000,6500000,7000000,1,2,1',
    ].join('\n');
    const { samples } = parseCqmCsv(text);
    expect(
      samples.map((sample) => [
        sample.start.toISOString().slice(11, 19),
        sample.pollsSent,
        sample.failedRatio,
      ]),
    ).toEqual([
      ['08:00:00', 100, 1],
      ['08:01:40', 0, 0],
      ['08:05:00', 100, 0],
    ]);
    expect(samples[0]?.latencySeconds.avg).toBeUndefined();
  });

  it('skips bad rows with their line numbers and keeps the rest', () => {
    const text = [
      HEADER,
      'yesterday,100,100,0,1,2,3,4,5,1',
      REAL_ROW,
      '2017-09-12 08:01:40,100,100,150,1,2,3,4,5,1',
      '2017-09-12 08:03:20,1ms,100,0,1,2,3,4,5,1',
    ].join('\n');
    const { samples, skipped } = parseCqmCsv(text);
    expect(samples.map((sample) => sample.start.toISOString())).toEqual(['2017-09-12T07:00:00.000Z']);
    expect(skipped.map((row) => [row.line, row.issues[0]?.path[0]])).toEqual([
      [2, 'Time'],
      [4, '%Fail'],
      [5, 'Period'],
    ]);
  });

  it('sorts by start, keeps the last of a repeated start, and reads the autumn hour twice', () => {
    // 2026-10-25: 01:00–01:59 London happens at 00:xx UTC (BST) and again at 01:xx UTC (GMT).
    const rows = ['01:58:20', '01:00:00', '01:01:40', '02:00:00'].map(
      (time, index) => `2026-10-25 ${time},100,100,0,1000000,${index + 1}000000,3000000,1,2,1`,
    );
    const { samples } = parseCqmCsv([HEADER, ...rows, rows[3]?.replace(',4000000,', ',5000000,')].join('\n'));
    expect(samples.map((sample) => sample.start.toISOString().slice(11, 19))).toEqual([
      '00:58:20',
      '01:00:00',
      '01:01:40',
      '02:00:00',
    ]);
    expect(samples.at(-1)?.latencySeconds.avg).toBe(0.005);
  });

  it('skips a row with an empty Time, a negative number or a %Fail over 100, quoting no value', () => {
    const text = [
      HEADER,
      ',100,100,0,1,2,3,4,5,1',
      '2026-01-20 08:00:00,100,100,0,-1,2,3,4,5,1',
      '2026-01-20 08:01:40,100,100,100.5,1,2,3,4,5,1',
      '2026-01-20 08:03:20,100,100,100,1,2,3,4,5,-2', // %Fail 100 and a negative Score are values
      '2026-02-30 08:00:00,100,100,0,1,2,3,4,5,1', // no such day
    ].join('\r\n');
    const { samples, skipped } = parseCqmCsv(text);
    expect(samples.map((sample) => [sample.failedRatio, sample.score])).toEqual([[1, -2]]);
    expect(skipped).toEqual([
      {
        line: 2,
        issues: [{ path: ['Time'], message: 'must be a YYYY-MM-DD HH:MM:SS time (Europe/London)' }],
      },
      { line: 3, issues: [{ path: ['Latency Min'], message: 'must be a non-negative number' }] },
      { line: 4, issues: [{ path: ['%Fail'], message: 'must be at most 100' }] },
      {
        line: 6,
        issues: [{ path: ['Time'], message: 'must be a YYYY-MM-DD HH:MM:SS time (Europe/London)' }],
      },
    ]);
  });

  it('reads a summer (BST) and a winter (GMT) time an hour apart in UTC terms', () => {
    const text = [HEADER, '2026-07-14 17:00:00,100,100,0,,,,,,', '2026-01-20 17:00:00,100,100,0,,,,,,'].join(
      '\n',
    );
    expect(parseCqmCsv(text).samples.map((sample) => sample.start.toISOString())).toEqual([
      '2026-01-20T17:00:00.000Z',
      '2026-07-14T16:00:00.000Z',
    ]);
  });

  it('reads a short row’s missing fields as absent, and ignores fields past the header', () => {
    const text = `${HEADER}\n2026-01-20 08:00:00,100,100\n2026-01-20 08:01:40,100,100,0,1,2,3,4,5,1,extra,more\n`;
    const { samples, skipped } = parseCqmCsv(text);
    expect(skipped).toEqual([]);
    expect(samples.map((sample) => [sample.pollsSent, sample.failedRatio, sample.score])).toEqual([
      [100, undefined, undefined],
      [100, 0, 1],
    ]);
  });
});
