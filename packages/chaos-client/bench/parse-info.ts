/**
 * How much of a `broadband/info` call is the SDK's parsing, next to the time the answer took to
 * arrive. The issue's requirement: parsing a 10 000-line answer must cost well under the network
 * time it took. This script prints figures; it asserts no timing (no thresholds in tests).
 *
 * Run from the repository root: `npx -y pnpm@12.21.0 --filter @aaisp/chaos-client bench`.
 * The script runs with `--conditions=@aaisp/source`, so workspace packages are read from source
 * and nothing needs building.
 *
 * The mock is on loopback, so "network" here is nearly free; the output also prints how long the
 * same body takes at a realistic broadband speed, which is what a real CHAOS call pays.
 */

import { cpus } from 'node:os';
import { DEFAULT_CREDENTIALS, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { postChaosForm, timeMedian } from '../../../bench.shared.ts';
import { parseBroadbandInfo } from '../src/broadband.ts';
import { createChaosClient } from '../src/index.ts';

const LINE_COUNTS = [10, 1_000, 10_000] as const;
const WARMUPS = 3;
const RUNS = 15;
const timed = (task: () => unknown): Promise<number> => timeMedian(task, { warmups: WARMUPS, runs: RUNS });

const auth = {
  controlLogin: DEFAULT_CREDENTIALS.controlLogin,
  controlPassword: DEFAULT_CREDENTIALS.controlPassword,
};

/** The raw call the SDK makes: a POST form with the credentials in the body, read as text. */
const fetchInfoText = (mock: RunningChaosMock): Promise<string> =>
  postChaosForm(mock.url, 'broadband/info', auth);

interface Row {
  readonly lines: number;
  readonly bodyKB: number;
  readonly fetchMs: number;
  readonly jsonParseMs: number;
  readonly sdkParseMs: number;
  readonly clientInfoMs: number;
}

async function measure(lines: number): Promise<Row> {
  const mock = await startChaosMock({ lines });
  try {
    const text = await fetchInfoText(mock);
    const answer: unknown = JSON.parse(text);
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
      throw new Error('broadband/info did not answer a JSON object');
    }
    const record = answer as Record<string, unknown>;
    const parsed = parseBroadbandInfo(record, 'throw');
    if (parsed.lines.length !== lines || parsed.skipped.length !== 0) {
      throw new Error(
        `expected ${lines} lines, parsed ${parsed.lines.length} (${parsed.skipped.length} skipped)`,
      );
    }

    const client = createChaosClient({ baseUrl: mock.url, auth, retry: 0 });
    const fetchMs = await timed(() => fetchInfoText(mock));
    const jsonParseMs = await timed(() => JSON.parse(text));
    const sdkParseMs = await timed(() => parseBroadbandInfo(record, 'throw'));
    const clientInfoMs = await timed(() => client.broadband.info());
    return {
      lines,
      bodyKB: Buffer.byteLength(text) / 1024,
      fetchMs,
      jsonParseMs,
      sdkParseMs,
      clientInfoMs,
    };
  } finally {
    await mock.close();
  }
}

function ms(value: number): string {
  if (value < 1) return value.toFixed(3);
  if (value < 100) return value.toFixed(2);
  return value.toFixed(1);
}

/** The time the body alone takes on a 100 Mbit/s line, before any round trip: the floor of a real call. */
function wanMs(bodyKB: number): number {
  return ((bodyKB * 1024 * 8) / 100_000_000) * 1000;
}

function printTable(rows: readonly Row[]): void {
  const header = [
    'lines',
    'body KB',
    'fetch+read ms (median)',
    'JSON.parse ms',
    'SDK parse ms',
    'SDK parse per 1 000 lines ms',
    'client.info() end-to-end ms',
    'parse / network ratio',
    'body at 100 Mbit/s ms',
    'parse / 100 Mbit/s ratio',
  ];
  const cells = rows.map((row) => [
    row.lines.toLocaleString('en-GB').replaceAll(',', ' '),
    row.bodyKB.toFixed(1),
    ms(row.fetchMs),
    ms(row.jsonParseMs),
    ms(row.sdkParseMs),
    ms((row.sdkParseMs / row.lines) * 1000),
    ms(row.clientInfoMs),
    (row.sdkParseMs / row.fetchMs).toFixed(2),
    ms(wanMs(row.bodyKB)),
    (row.sdkParseMs / wanMs(row.bodyKB)).toFixed(2),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => line[column]?.length ?? 0)),
  );
  const format = (line: readonly string[]): string =>
    `| ${line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(' | ')} |`;
  console.log(format(header));
  console.log(
    `|${widths.map((width, column) => (column === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`,
  );
  for (const line of cells) console.log(format(line));
}

console.log(`Node ${process.version} on ${cpus()[0]?.model ?? 'unknown CPU'}`);
console.log(
  `broadband/info against @aaisp/chaos-mock on loopback; median of ${RUNS} runs after ${WARMUPS} warm-ups`,
);
console.log('');

const rows: Row[] = [];
for (const lines of LINE_COUNTS) rows.push(await measure(lines));
printTable(rows);

console.log('');
console.log('fetch+read: a raw fetch POST of the form and reading the body text (the network time).');
console.log("SDK parse: parseBroadbandInfo(answer, 'throw') on the already JSON.parsed answer.");
console.log('client.info(): createChaosClient(...).broadband.info(), HTTP + JSON.parse + SDK parse.');
console.log('parse / network ratio: SDK parse ms / fetch+read ms (loopback: the network is nearly free).');
console.log(
  'body at 100 Mbit/s: transfer time of the same body on a 100 Mbit/s line, no round trip; a real CHAOS call pays at least this.',
);
