/**
 * What one line's CQM fetch costs once the CSV is here: parsing 24 hours of samples (864 rows at
 * 100 s), folding them into the line's state with `trackCqm`, and mapping the state to samples
 * with `cqmLines`, per line per fetch. Steady state: fetches 300 s apart, so each window brings 3
 * new samples and repeats 861 seen ones. Prints figures only; nothing here is a test.
 *
 * Run from the package: `npx -y pnpm@12.21.0 exec node --conditions=@aaisp/source bench/cqm.ts`.
 */

import { cpus } from 'node:os';
import { type CqmData, parseCqmCsv } from '@aaisp/chaos-client';
import { timeMedian } from '../../../bench.shared.ts';
import { type CqmLineState, cqmLines, emptyCqmLineState, renderExposition, trackCqm } from '../src/index.ts';

const RUNS = 15;
const WARMUPS = 3;
const ROWS = 864;
const PERIOD_MS = 100_000;
const NEW_PER_FETCH = 3;
/** Lines per timed run: one line takes microseconds, below the timer's resolution. */
const BATCH = 100;
/** Fetches prepared, so every timed track call sees a window with new samples. */
const FETCHES = (WARMUPS + RUNS) * BATCH + 1;

// November: London is on GMT, so the CSV's wall time is the UTC time.
const T0 = Date.UTC(2025, 10, 1, 0, 0, 0);
const HEADER = 'Time,Period,Polls Sent,%Fail,Latency Min,Av,Max,Traffic (bit/s) Rx,Tx,Score';

function wallTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Row `index` of a line's history, with some loss and varying latency and traffic. */
function csvRow(index: number): string {
  const fail = index % 97 === 0 ? 100 : index % 7;
  const avg = 6_800_000 + (index % 13) * 50_000;
  return `${wallTime(T0 + index * PERIOD_MS)},100,100,${fail},${avg - 400_000},${avg},${avg + 500_000},${19_670 + index},${278_400 + index * 3},1`;
}

/** The CSV of rows `first`..`last`. */
function csvRows(first: number, last: number): string {
  const lines = [HEADER];
  for (let index = first; index <= last; index++) lines.push(csvRow(index));
  return `${lines.join('\n')}\n`;
}

const time = (task: () => unknown): Promise<number> => timeMedian(task, { warmups: WARMUPS, runs: RUNS });

const firstLast = ROWS - 1;
const text = csvRows(0, firstLast);
// Every window as a slice of one parsed history: the same samples, without 1 800 parsed copies.
const history = parseCqmCsv(csvRows(0, firstLast + (FETCHES - 1) * NEW_PER_FETCH)).samples;
const windows: Pick<CqmData, 'samples'>[] = [];
for (let fetch = 0; fetch < FETCHES; fetch++) {
  const end = history.length - (FETCHES - 1 - fetch) * NEW_PER_FETCH;
  windows.push({ samples: history.slice(Math.max(0, end - ROWS), end) });
}
const fetchedAt = (fetch: number): number => T0 + (firstLast + fetch * NEW_PER_FETCH + 1) * PERIOD_MS;
// states[k] is the line after fetch k; timing trackCqm(states[k], windows[k + 1]) is one real fetch.
const states: CqmLineState[] = [];
let state = emptyCqmLineState();
for (let fetch = 0; fetch < FETCHES; fetch++) {
  state = trackCqm(state, windows[fetch] ?? { samples: [] }, fetchedAt(fetch));
  states.push(state);
}
const lines = Array.from({ length: BATCH }, (_, index) => ({ lineId: String(30_000 + index), state }));

const parseMs = await time(() => {
  for (let line = 0; line < BATCH; line++) parseCqmCsv(text);
});
const firstMs = await time(() => {
  for (let line = 0; line < BATCH; line++)
    trackCqm(emptyCqmLineState(), windows[0] ?? { samples: [] }, fetchedAt(0));
});
let next = 0;
const trackMs = await time(() => {
  for (let line = 0; line < BATCH; line++) {
    const fetch = next++ % (FETCHES - 1);
    const before = states[fetch];
    const window = windows[fetch + 1];
    if (before !== undefined && window !== undefined) trackCqm(before, window, fetchedAt(fetch + 1));
  }
});
const collectMs = await time(() => cqmLines.collect(lines, {}));
const samples = cqmLines.collect(lines, {});
let size = 0;
const renderMs = await time(() => {
  size = renderExposition([{ collector: cqmLines, samples }], 'text').length;
});

const us = (ms: number): string => ((ms / BATCH) * 1000).toFixed(1);
console.log(
  `Node ${process.version} on ${cpus()[0]?.model ?? 'unknown CPU'}; median of ${RUNS} runs of ${BATCH} lines; ` +
    `${ROWS} rows (${(text.length / 1024).toFixed(1)} KB of CSV) a fetch, ${NEW_PER_FETCH} of them new`,
);
console.log('| step, per line per fetch | µs |');
console.log('|---|---:|');
console.log(`| parseCqmCsv (864 rows) | ${us(parseMs)} |`);
console.log(`| trackCqm, steady state (3 new samples) | ${us(trackMs)} |`);
console.log(`| trackCqm, first fetch | ${us(firstMs)} |`);
console.log(`| cqmLines.collect (${samples.length / BATCH} samples) | ${us(collectMs)} |`);
console.log(`| parse + track + collect | ${us(parseMs + trackMs + collectMs)} |`);
console.log(`| renderExposition, text (${(size / BATCH).toFixed(0)} bytes) | ${us(renderMs)} |`);
console.log(`Final state after ${FETCHES} fetches: ${JSON.stringify(state.totals)}`);
