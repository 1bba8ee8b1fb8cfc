/**
 * The CQM CSV parser (docs/chaos-api.md §11.2): pure text in, samples out. Columns are found by
 * their header names, so a reordered or extended CSV still reads; a header that names none of
 * them is a `schema` error, a bad row is skipped with its line number.
 *
 * @module
 */

import * as z from 'zod';
import type { CqmData, CqmSample, SkippedCqmRow } from './cqm-types.ts';
import { ChaosError, type ChaosSchemaIssue } from './errors.ts';
import { londonOffset, parseLondonWallTime } from './london-time.ts';

/**
 * The header's names as A&A writes them, the real 2017 header (docs/chaos-api.md §11.2):
 * `Time,Period,Polls Sent,%Fail,Latency Min,Av,Max,Traffic (bit/s) Rx,Tx,Score`. "Av" and "Max"
 * continue "Latency", "Tx" continues "Traffic (bit/s)": the names are positional shorthand, but
 * each is unique, so columns are found by name (case and surrounding spaces ignored).
 *
 * The first name of each list is the one A&A is known to send; the others are tolerated variants
 * [?] (no source shows them, but a renamed average must not vanish in silence again: `Ave` is what
 * this package wrongly expected until the real header was checked).
 */
const COLUMNS = {
  time: ['Time'],
  period: ['Period'],
  pollsSent: ['Polls Sent'],
  failPercent: ['%Fail'],
  latencyMin: ['Latency Min'],
  latencyAvg: ['Av', 'Ave', 'Avg', 'Average', 'Latency Av', 'Latency Ave', 'Latency Avg', 'Latency Average'],
  latencyMax: ['Max', 'Latency Max'],
  trafficRx: ['Traffic (bit/s) Rx', 'Rx'],
  trafficTx: ['Tx', 'Traffic (bit/s) Tx'],
  score: ['Score'],
} as const satisfies Record<string, readonly [string, ...string[]]>;

type Column = keyof typeof COLUMNS;

const isColumn = (name: string): name is Column => name in COLUMNS;
const COLUMN_KEYS: readonly Column[] = Object.keys(COLUMNS).filter(isColumn);

/**
 * A number field: empty is an absent value, anything else a plain non-negative decimal. Decimals
 * are accepted everywhere, not only in `%Fail` [?]: the 2017 rows show whole numbers, and a
 * fraction elsewhere is more plausible than a reason to drop the row.
 */
function number(pattern: RegExp, message: string) {
  return z
    .string()
    .optional()
    .refine((text) => text === undefined || text === '' || pattern.test(text), message)
    .transform((text) => (text === undefined || text === '' ? undefined : Number(text)));
}
const value = number(/^\d+(\.\d+)?$/, 'must be a non-negative number');

const Row = z.object({
  time: z.string().transform((text, context) => {
    const instant = parseLondonWallTime(text);
    if (instant === undefined) {
      context.addIssue({ code: 'custom', message: 'must be a YYYY-MM-DD HH:MM:SS time (Europe/London)' });
      return z.NEVER;
    }
    return instant;
  }),
  period: value,
  pollsSent: value,
  // A share of echoes: above 100 is not a percentage, and the row is not trusted.
  failPercent: value.refine((percent) => percent === undefined || percent <= 100, 'must be at most 100'),
  latencyMin: value,
  latencyAvg: value,
  latencyMax: value,
  trafficRx: value,
  trafficTx: value,
  // An undocumented grade [?]: a sign is tolerated too.
  score: number(/^-?\d+(\.\d+)?$/, 'must be a number'),
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

/** What the header says: where each known column is, and what it lacks or adds. */
interface Header {
  readonly at: Partial<Record<Column, number>>;
  readonly missing: readonly string[];
  readonly unknown: readonly string[];
}

/** Longest header name reported as unknown; a longer one is cut, so a stray body stays small. */
const MAX_NAME_LENGTH = 64;

/**
 * Reads the header: where each known column is (the leftmost name of its list; a repeated or a
 * second variant name is not read and so is reported as unknown), the known columns it lacks
 * (by the name A&A is known to send), and the names it has that no column takes.
 *
 * A header that is not CQM's (one without `Time`, or with `Time` alone: some other CSV, whose
 * rows would all be empty samples) is a schema error. The error quotes nothing of the body: an
 * error page may echo the request's URL, which holds the secret.
 */
function readHeader(header: string, line: number): Header {
  const names = fields(header);
  const lower = names.map((name) => name.toLowerCase());
  const at: Partial<Record<Column, number>> = {};
  const missing: string[] = [];
  for (const column of COLUMN_KEYS) {
    const aliases = new Set<string>(COLUMNS[column].map((alias) => alias.toLowerCase()));
    const index = lower.findIndex((name) => aliases.has(name));
    if (index >= 0) at[column] = index;
    else missing.push(COLUMNS[column][0]);
  }
  if (at.time === undefined || missing.length === COLUMN_KEYS.length - 1) {
    const why = at.time === undefined ? 'no Time column' : 'no column besides Time';
    throw new ChaosError('schema', `CQM CSV: the header is not CQM's (${why})`, {
      subsystem: 'cqm',
      command: 'csv',
      issues: [
        {
          path: [line],
          message: `header with ${names.length} columns and ${why}; expected ${COLUMN_KEYS.map((column) => COLUMNS[column][0]).join(',')}`,
        },
      ],
    });
  }
  const read = new Set(Object.values(at));
  const unknown = names.flatMap((name, index) => {
    if (read.has(index)) return [];
    const shown = name === '' ? `(column ${index + 1}, no name)` : name.slice(0, MAX_NAME_LENGTH);
    return [shown];
  });
  return { at, missing, unknown };
}

const HOUR_MS = 3_600_000;

/**
 * Parses a CQM CSV body. An empty body (or a header alone) has no samples. Tolerates CRLF, a
 * trailing newline, blank lines, a UTF-8 BOM, quoted fields, extra columns and any column order;
 * an empty field, or one a short row lacks, is an absent value. A row that cannot be read (a bad
 * `Time`, a field that is not a number, a `%Fail` over 100) is left out and listed in `skipped`
 * with its 1-based line number in the body and the CSV column it failed on; no issue quotes the
 * body. Samples come sorted by `start`; of rows with the same start, the last one wins.
 *
 * A header that differs from the known one is read as far as it goes and says how it differs:
 * `missingColumns` names each known column it lacks (so that value is absent from every sample),
 * `unknownColumns` each name no column takes (so its values are not read). Both are empty for the
 * real header; a caller should show them to whoever can report a changed format.
 *
 * How A&A shows a line that was down is not documented [?]: missing rows, `%Fail` 100 and
 * `Polls Sent` 0 all parse as what they say; what they mean is the collectors' business.
 *
 * @throws {ChaosError} kind `schema` (with `issues`) when the first non-blank line is not a CQM
 * header: one without a `Time` column, or with no other known column.
 * @example
 * ```ts
 * const { samples } = parseCqmCsv('Time,Period,Polls Sent,%Fail,Latency Min,Av,Max,Traffic (bit/s) Rx,Tx,Score\n2017-09-12 08:00:00,100,100,0,6376000,6807000,7345000,19670,278400,1\n');
 * samples[0]?.latencySeconds.avg; // 0.006807
 *
 * parseCqmCsv('Time,Period,Latency Min,Mean\n').missingColumns; // ['Polls Sent', '%Fail', 'Av', …]
 * parseCqmCsv('Time,Period,Latency Min,Mean\n').unknownColumns; // ['Mean']
 * ```
 */
export function parseCqmCsv(text: string): CqmData {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerAt = lines.findIndex((line) => line.trim() !== '');
  const header = lines[headerAt];
  if (header === undefined) return { samples: [], skipped: [], missingColumns: [], unknownColumns: [] };
  const { at: columns, missing, unknown } = readHeader(header, headerAt + 1);
  const byStart = new Map<number, CqmSample>();
  const skipped: SkippedCqmRow[] = [];
  let previousMs: number | undefined;
  lines.forEach((line, index) => {
    if (index <= headerAt || line.trim() === '') return;
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
      // Paths name the CSV's columns (`%Fail`), not our keys.
      const issues: ChaosSchemaIssue[] = parsed.error.issues.map((issue) => ({
        path: issue.path.map((key) =>
          typeof key === 'string' && isColumn(key) ? COLUMNS[key][0] : String(key),
        ),
        message: issue.message,
      }));
      skipped.push({ line: index + 1, issues });
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
  return { samples, skipped, missingColumns: missing, unknownColumns: unknown };
}
