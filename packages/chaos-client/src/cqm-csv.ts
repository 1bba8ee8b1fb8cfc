/**
 * The CQM CSV parser (docs/chaos-api.md §11.2): pure text in, samples out. Columns are found by
 * their header names, so a reordered or extended CSV still reads; a header that names none of
 * them is a `schema` error, a bad row is skipped with its line number.
 *
 * @module
 */

import * as z from 'zod';
import type { CqmData, CqmSample, SkippedCqmRow } from './cqm.ts';
import { ChaosError, type ChaosSchemaIssue } from './errors.ts';
import { londonOffset, parseLondonWallTime } from './london-time.ts';

/**
 * The header's names, lower case, as A&A writes them:
 * `Time,Period,Polls Sent,%Fail,Latency Min,Ave,Max,Traffic (bit/s) Rx,Tx,Score`. "Ave" and "Max"
 * continue "Latency", "Tx" continues "Traffic (bit/s)": the names are positional shorthand.
 */
const COLUMNS = {
  time: 'time',
  period: 'period',
  pollsSent: 'polls sent',
  failPercent: '%fail',
  latencyMin: 'latency min',
  latencyAvg: 'ave',
  latencyMax: 'max',
  trafficRx: 'traffic (bit/s) rx',
  trafficTx: 'tx',
  score: 'score',
} as const;

type Column = keyof typeof COLUMNS;

const NUMBER = /^\d+(\.\d+)?$/;
/** An empty field is an absent value; anything else must be a plain non-negative number. */
const value = z
  .string()
  .optional()
  .refine((text) => text === undefined || text === '' || NUMBER.test(text), 'must be a non-negative number')
  .transform((text) => (text === undefined || text === '' ? undefined : Number(text)));

const Row = z.object({
  time: z.string().transform((text, context) => {
    const instant = parseLondonWallTime(text);
    if (instant === undefined) {
      context.addIssue({ code: 'custom', message: 'must be a YYYY-MM-DD HH:MM:SS time' });
      return z.NEVER;
    }
    return instant;
  }),
  period: value,
  pollsSent: value,
  failPercent: value.refine((percent) => percent === undefined || percent <= 100, 'must be at most 100'),
  latencyMin: value,
  latencyAvg: value,
  latencyMax: value,
  trafficRx: value,
  trafficTx: value,
  score: value,
});

/** Splits one CSV line; fields may be double-quoted (`""` inside quotes is one quote). */
function fields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      out.push(field.trim());
      field = '';
    } else field += char;
  }
  out.push(field.trim());
  return out;
}

/** Where each known column is, or the schema error for a header that is not CQM's. */
function columnsOf(header: string): Partial<Record<Column, number>> {
  const names = fields(header).map((name) => name.toLowerCase());
  const found: Partial<Record<Column, number>> = {};
  for (const [column, name] of Object.entries(COLUMNS)) {
    const index = names.indexOf(name);
    if (index >= 0 && isColumn(column)) found[column] = index;
  }
  if (found.time === undefined || Object.keys(found).length < 2) {
    throw new ChaosError(
      'schema',
      'CQM: the CSV header is not the CQM header (Time,Period,Polls Sent,%Fail,…)',
      {
        subsystem: 'cqm',
        command: 'csv',
        issues: [{ path: [1], message: `unrecognised header with ${names.length} columns` }],
      },
    );
  }
  return found;
}

const isColumn = (name: string): name is Column => name in COLUMNS;

const HOUR_MS = 3_600_000;

/**
 * Parses a CQM CSV body. An empty body (or a header alone) has no samples. Tolerates CRLF, a
 * trailing newline, a UTF-8 BOM, quoted fields, extra columns and any column order.
 *
 * How A&A shows a line that was down is not documented [?]: missing rows, `%Fail` 100 and
 * `Polls Sent` 0 all parse as what they say; what they mean is the collectors' business.
 *
 * @throws {ChaosError} kind `schema` when the first line is not a CQM header.
 * @example
 * ```ts
 * const { samples } = parseCqmCsv('Time,Period,Polls Sent,%Fail,Latency Min,Ave,Max,Traffic (bit/s) Rx,Tx,Score\n2017-09-12 08:00:00,100,100,0,6376000,6807000,7345000,19670,278400,1\n');
 * samples[0]?.latencySeconds.avg; // 0.006807
 * ```
 */
export function parseCqmCsv(text: string): CqmData {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const [header, ...rows] = lines;
  if (header === undefined || header.trim() === '') return { samples: [], skipped: [] };
  const columns = columnsOf(header);
  const byStart = new Map<number, CqmSample>();
  const skipped: SkippedCqmRow[] = [];
  let previousMs: number | undefined;
  rows.forEach((line, index) => {
    if (line.trim() === '') return;
    const cells = fields(line);
    const cell = (column: Column): string | undefined => {
      const at = columns[column];
      return at === undefined ? undefined : cells[at];
    };
    const parsed = Row.safeParse({
      time: cell('time') ?? '',
      period: cell('period'),
      pollsSent: cell('pollsSent'),
      failPercent: cell('failPercent'),
      latencyMin: cell('latencyMin'),
      latencyAvg: cell('latencyAvg'),
      latencyMax: cell('latencyMax'),
      trafficRx: cell('trafficRx'),
      trafficTx: cell('trafficTx'),
      score: cell('score'),
    });
    if (!parsed.success) {
      const issues: ChaosSchemaIssue[] = parsed.error.issues.map((issue) => ({
        path: issue.path.filter((key) => typeof key === 'string' || typeof key === 'number'),
        message: issue.message,
      }));
      skipped.push({ line: index + 2, issues });
      return;
    }
    const row = parsed.data;
    let startMs = row.time.getTime();
    // At the autumn change 01:00–01:59 comes twice and the wall time reads as the first (BST)
    // pass. Rows are oldest first, so a time that steps back into the last hour is the second
    // (GMT) pass. [I]: the real CSV's order is only shown oldest first (DJ).
    if (
      previousMs !== undefined &&
      startMs <= previousMs &&
      startMs + HOUR_MS > previousMs &&
      londonOffset(startMs) === HOUR_MS &&
      londonOffset(startMs + HOUR_MS) === 0
    ) {
      startMs += HOUR_MS;
    }
    previousMs = startMs;
    const nanoseconds = (ns: number | undefined): number | undefined =>
      ns === undefined ? undefined : ns / 1e9;
    byStart.set(startMs, {
      start: new Date(startMs),
      periodSeconds: row.period,
      pollsSent: row.pollsSent,
      failedRatio: row.failPercent === undefined ? undefined : row.failPercent / 100,
      // Whole nanoseconds [I]: 6 376 000 for a ~6.4 ms UK line fits no other unit.
      latencySeconds: {
        min: nanoseconds(row.latencyMin),
        avg: nanoseconds(row.latencyAvg),
        max: nanoseconds(row.latencyMax),
      },
      // Named from A&A's side like tx_rate/rx_rate [I]: Tx is what the customer downloads.
      trafficBitsPerSecond: { down: row.trafficTx, up: row.trafficRx },
      score: row.score,
    });
  });
  const samples = [...byStart.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
  return { samples, skipped };
}
