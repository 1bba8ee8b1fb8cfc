/**
 * The exporter's benchmark suite (issue 9): for each line count N, one fake CHAOS and one exporter,
 * measured for scrape latency against a bare-HTTP floor, memory, time to first ready, CHAOS calls
 * per hour, and the SDK and collector costs. Prints one Markdown table with a PASS/FAIL column for
 * the targets. Figures only: it always exits 0 unless something broke, so CI never fails
 * on a slow machine.
 *
 * Run from the repository root: `npx -y pnpm@12.21.0 bench` (every package's bench) or
 * `npx -y pnpm@12.21.0 --filter @aaisp/exporter bench -- --quick`.
 * Options: `--lines 10,1000,10000`, `--duration 10` (seconds per load run), `--quick` (3 s).
 */

import { existsSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startChaosMock } from '@aaisp/chaos-mock';
import { parseExposition, sampleValue } from '../harness/exposition.ts';
import { megabytes, scriptArgs, wholeNumberArg } from '../scripts/harness.ts';
import { type CallRate, measureCallRate, pythonPerHour, scheduledPerHour } from './chaos-calls.ts';
import { measureCqm } from './cqm.ts';
import { type ImageCommand, imageCommand, SEA_BINARY, seaCommand } from './exporter-process.ts';
import { loadUrlNode } from './http-load.ts';
import { getOnce, type LoadFigures, loadUrl } from './load.ts';
import type { ProcessMemory } from './process-memory.ts';
import { forkChild } from './remote.ts';
import { measureSdk, type SdkFigures } from './sdk.ts';
import { startAndTime } from './startup.ts';
import { formatTable, ms, type Row, spaced } from './table.ts';

const LOAD_CONNECTIONS = 50;
/** The compressed schedule needs two slow-tier calls (4 s apart) to time them. */
const CALLS_WINDOW_SECONDS = 6;
const FAST_SCRAPE = { connections: 10, durationSeconds: CALLS_WINDOW_SECONDS };
/** Roughly what one Prometheus does: one scrape a second. */
const SLOW_SCRAPE = { connections: 1, durationSeconds: CALLS_WINDOW_SECONDS, overallRate: 1 };
/** Timer jitter under load moves a measured period by a few per cent; more than this is real. */
const CALLS_TOLERANCE = 0.05;
/** What the schedule promises: the same at every line count. */
const SCHEDULED_PER_HOUR = scheduledPerHour();
/**
 * How long the exporter idles before its memory is read. Right after a burst (the first
 * collection, the load) V8 may still hold up to ~25 MB of garbage: it is given back by V8's memory
 * reducer within ~10 s of idling, and RSS is then flat (measured up to 30 s at 10 000 lines). An
 * exporter spends nearly all its time idle between tier runs, so this is the figure a container
 * sits at; the peak is reported beside it.
 */
const SETTLE_MS = 10_000;
const TARGET_LINES_P99 = 1_000;
const TARGET_LINES_RSS = 10_000;
const RSS_LIMIT_MB = 120;
const READY_LIMIT_MS = 2_000;
/** Lines with a CQM link in the CQM memory figure (the 1 000). */
const CQM_LINES = 1_000;
/** Lines for the single binary's figures, beside the image's at the same N. */
const SEA_LINES = 1_000;

/** Everything measured for one line count. */
interface Measured {
  readonly lines: number;
  readonly bodyBytes: number;
  /** The same body gzipped, as the exporter sends it to Prometheus. */
  readonly gzipBytes: number;
  readonly atListening: ProcessMemory;
  readonly afterCollection: ProcessMemory;
  readonly afterLoad: ProcessMemory;
  /** The exporter's own `nodejs_heap_size_used_bytes` after the load (NaN if absent). */
  readonly heapUsedBytes: number;
  readonly startToReadyMs: number;
  readonly firstCallToReadyMs: number;
  readonly exporter: LoadFigures;
  /** The same load asking for gzip, as Prometheus does. */
  readonly exporterGzip: LoadFigures;
  readonly floor: LoadFigures;
  /** The exporter's gzipped answer served from memory, under the same load as `exporterGzip`. */
  readonly floorGzip: LoadFigures;
  readonly callsFast: CallRate;
  readonly callsSlow: CallRate;
  readonly sdk: SdkFigures;
}

function lineCountsArg(text: string): number[] {
  const counts = text.split(',').map((part) => wholeNumberArg('lines', part.trim()));
  if (counts.length === 0) throw new RangeError('--lines needs at least one count');
  return counts;
}

/** What a floor serves: the bytes the exporter answered, with its headers. */
interface FloorBody {
  readonly body: Buffer;
  readonly contentType: string;
  readonly contentEncoding?: string;
}

/** Starts a floor serving `served` in a child process, loads it with `load`, stops it. */
async function loadFloor(
  served: FloorBody,
  load: (url: string) => Promise<LoadFigures>,
): Promise<LoadFigures> {
  const floorProcess = forkChild();
  try {
    const reply = await floorProcess.ask({
      kind: 'floor',
      bodyBase64: served.body.toString('base64'),
      contentType: served.contentType,
      contentEncoding: served.contentEncoding,
    });
    if (reply.kind !== 'floor') throw new Error(`bench child answered ${reply.kind} to floor`);
    return await load(reply.url);
  } finally {
    await floorProcess.stop();
  }
}

async function measure(command: ImageCommand, lines: number, durationSeconds: number): Promise<Measured> {
  const mock = await startChaosMock({ lines, host: '127.0.0.1' });
  try {
    const started = await startAndTime(command, mock);
    const { exporter: exporterProcess } = started;
    let exporter: LoadFigures;
    let exporterGzip: LoadFigures;
    let afterCollection: ProcessMemory;
    let afterLoad: ProcessMemory;
    let heapUsedBytes: number;
    let body: Buffer;
    let gzipBody: Buffer;
    let contentType: string;
    try {
      await delay(SETTLE_MS);
      afterCollection = exporterProcess.memory();
      const url = `${exporterProcess.url}/metrics`;
      const plain = await getOnce(url);
      if (plain.status !== 200) throw new Error(`/metrics answered ${plain.status} before the load`);
      body = plain.body;
      contentType = plain.contentType;
      const zipped = await getOnce(url, { gzip: true });
      if (zipped.contentEncoding !== 'gzip') throw new Error('/metrics did not gzip when asked');
      gzipBody = zipped.body;
      exporter = await loadUrl(url, { connections: LOAD_CONNECTIONS, durationSeconds });
      // After the plain load, so the ratio to the floor is measured as before; the memory read
      // after the settle has seen both. Node's client, not autocannon: see http-load.ts.
      exporterGzip = await loadUrlNode(url, { connections: LOAD_CONNECTIONS, durationSeconds, gzip: true });
      await delay(SETTLE_MS);
      afterLoad = exporterProcess.memory();
      const self = (await getOnce(url)).body.toString('utf8');
      heapUsedBytes = sampleValue(parseExposition(self), 'nodejs_heap_size_used_bytes') ?? Number.NaN;
    } finally {
      await exporterProcess.stop();
    }

    // The floors in a child process of their own too, so both sides of a ratio share the machine alike.
    const floor = await loadFloor({ body, contentType }, (url) =>
      loadUrl(url, { connections: LOAD_CONNECTIONS, durationSeconds }),
    );
    const floorGzip = await loadFloor({ body: gzipBody, contentType, contentEncoding: 'gzip' }, (url) =>
      loadUrlNode(url, { connections: LOAD_CONNECTIONS, durationSeconds, gzip: true }),
    );

    const callsFast = await measureCallRate(lines, FAST_SCRAPE);
    const callsSlow = await measureCallRate(lines, SLOW_SCRAPE);
    const sdk = await measureSdk(mock);
    return {
      lines,
      bodyBytes: body.length,
      gzipBytes: gzipBody.length,
      atListening: exporterProcess.atListening,
      afterCollection,
      afterLoad,
      heapUsedBytes,
      startToReadyMs: started.startToReadyMs,
      firstCallToReadyMs: started.firstCallToReadyMs,
      exporter,
      exporterGzip,
      floor,
      floorGzip,
      callsFast,
      callsSlow,
      sdk,
    };
  } finally {
    await mock.close();
  }
}

/** Whether every measured calls-per-hour figure is within the tolerance of the schedule's. */
function callsIndependent(results: readonly Measured[]): boolean {
  return results.every((result) =>
    [result.callsFast.perHour, result.callsSlow.perHour].every(
      (perHour) => Math.abs(perHour - SCHEDULED_PER_HOUR) <= SCHEDULED_PER_HOUR * CALLS_TOLERANCE,
    ),
  );
}

function buildRows(results: readonly Measured[]): Row[] {
  const cells = (cell: (result: Measured) => string): string[] => results.map(cell);
  const at = (lines: number): Measured | undefined => results.find((result) => result.lines === lines);
  const per1000 = (value: number, lines: number): string => ms((value / lines) * 1000);
  const p99Target = at(TARGET_LINES_P99);
  const rssTarget = at(TARGET_LINES_RSS);
  const calls = (rate: CallRate): string =>
    `${rate.perHour.toFixed(1)} (${rate.calls} calls, ${rate.scrapes} scrapes)`;
  return [
    { figure: '/metrics body KB', cells: cells((r) => (r.bodyBytes / 1024).toFixed(1)) },
    { figure: '/metrics body KB gzipped', cells: cells((r) => (r.gzipBytes / 1024).toFixed(1)) },
    { figure: `exporter p50 ms (${LOAD_CONNECTIONS} conns)`, cells: cells((r) => String(r.exporter.p50Ms)) },
    { figure: 'exporter p99 ms', cells: cells((r) => String(r.exporter.p99Ms)) },
    { figure: 'exporter req/s', cells: cells((r) => r.exporter.requestsPerSecond.toFixed(0)) },
    { figure: 'exporter errors + non-2xx', cells: cells((r) => String(r.exporter.failures)) },
    { figure: 'floor p50 ms', cells: cells((r) => String(r.floor.p50Ms)) },
    { figure: 'floor p99 ms', cells: cells((r) => String(r.floor.p99Ms)) },
    { figure: 'floor req/s', cells: cells((r) => r.floor.requestsPerSecond.toFixed(0)) },
    {
      figure: 'exporter p99 / floor p99',
      cells: cells((r) => (r.exporter.p99Ms / r.floor.p99Ms).toFixed(2)),
      target: `≤ 2 at ${spaced(TARGET_LINES_P99)} lines`,
      pass: p99Target === undefined ? undefined : p99Target.exporter.p99Ms <= 2 * p99Target.floor.p99Ms,
    },
    { figure: 'exporter gzip p50 ms (Node client)', cells: cells((r) => ms(r.exporterGzip.p50Ms)) },
    { figure: 'exporter gzip p99 ms', cells: cells((r) => ms(r.exporterGzip.p99Ms)) },
    { figure: 'exporter gzip req/s', cells: cells((r) => r.exporterGzip.requestsPerSecond.toFixed(0)) },
    { figure: 'exporter gzip errors + non-2xx', cells: cells((r) => String(r.exporterGzip.failures)) },
    { figure: 'gzip floor p99 ms', cells: cells((r) => ms(r.floorGzip.p99Ms)) },
    { figure: 'gzip floor req/s', cells: cells((r) => r.floorGzip.requestsPerSecond.toFixed(0)) },
    {
      figure: 'exporter gzip p99 / gzip floor p99',
      cells: cells((r) => (r.exporterGzip.p99Ms / r.floorGzip.p99Ms).toFixed(2)),
    },
    { figure: 'RSS MB when listening', cells: cells((r) => megabytes(r.atListening.rssBytes)) },
    { figure: 'RSS MB after first collection', cells: cells((r) => megabytes(r.afterCollection.rssBytes)) },
    {
      figure: 'RSS MB after load',
      cells: cells((r) => megabytes(r.afterLoad.rssBytes)),
      target: `< ${RSS_LIMIT_MB} at ${spaced(TARGET_LINES_RSS)} lines`,
      pass: rssTarget === undefined ? undefined : rssTarget.afterLoad.rssBytes / 1e6 < RSS_LIMIT_MB,
    },
    { figure: '… of it anonymous MB', cells: cells((r) => megabytes(r.afterLoad.anonBytes)) },
    { figure: '… of it file-backed (node binary) MB', cells: cells((r) => megabytes(r.afterLoad.fileBytes)) },
    { figure: 'peak RSS MB (VmHWM)', cells: cells((r) => megabytes(r.afterLoad.peakBytes)) },
    { figure: 'V8 heap used MB after load', cells: cells((r) => megabytes(r.heapUsedBytes)) },
    { figure: 'start → first ready ms', cells: cells((r) => ms(r.startToReadyMs)) },
    {
      figure: 'first broadband/info call → ready ms',
      cells: cells((r) => ms(r.firstCallToReadyMs)),
      target: `< ${READY_LIMIT_MS} at every N`,
      pass: results.every((r) => r.firstCallToReadyMs < READY_LIMIT_MS),
    },
    {
      figure: 'CHAOS calls/h/account, 10 conns flat out',
      cells: cells((r) => calls(r.callsFast)),
      target: `= schedule ±${CALLS_TOLERANCE * 100} % at every N and rate`,
      pass: callsIndependent(results),
    },
    { figure: 'CHAOS calls/h/account, 1 scrape/s', cells: cells((r) => calls(r.callsSlow)) },
    { figure: 'CHAOS calls/h/account, schedule', cells: cells(() => SCHEDULED_PER_HOUR.toFixed(0)) },
    { figure: 'CHAOS calls/h/account, Python design', cells: cells((r) => spaced(pythonPerHour(r.lines))) },
    { figure: 'raw broadband/info fetch ms', cells: cells((r) => ms(r.sdk.fetchMs)) },
    { figure: 'client.broadband.info() ms', cells: cells((r) => ms(r.sdk.infoMs)) },
    {
      figure: 'SDK parse (info − fetch) ms / 1 000 lines',
      cells: cells((r) => per1000(Math.max(0, r.sdk.infoMs - r.sdk.fetchMs), r.lines)),
    },
    {
      figure: 'broadbandLines.collect ms / 1 000 lines',
      cells: cells((r) => per1000(r.sdk.collectMs, r.lines)),
    },
  ];
}

/** The figures the single binary's table puts beside the image's. */
type AtRest = Pick<Measured, 'atListening' | 'afterCollection' | 'startToReadyMs'>;

/** What the single binary costs at rest: its size, and its memory and start. */
interface SeaFigures extends AtRest {
  readonly sizeBytes: number;
}

async function measureSea(command: ImageCommand): Promise<SeaFigures> {
  const mock = await startChaosMock({ lines: SEA_LINES, host: '127.0.0.1' });
  try {
    const started = await startAndTime(command, mock);
    try {
      await delay(SETTLE_MS);
      return {
        sizeBytes: statSync(command.program).size,
        atListening: started.exporter.atListening,
        afterCollection: started.exporter.memory(),
        startToReadyMs: started.startToReadyMs,
      };
    } finally {
      await started.exporter.stop();
    }
  } finally {
    await mock.close();
  }
}

/** The single binary's table, or why there is none (it is built by `pnpm build:sea`, not by `build`). */
async function reportSea(image: ImageCommand): Promise<void> {
  const sea = seaCommand(image);
  if (sea === undefined) {
    console.log(
      `single binary: not built (${SEA_BINARY}); build it with npx -y pnpm@12.21.0 --filter @aaisp/exporter build:sea`,
    );
    return;
  }
  console.log(`measuring the single binary (${SEA_BINARY}) at N = ${spaced(SEA_LINES)} …`);
  const figures = await measureSea(sea);
  // The image's figures at the same N from this run, beside the binary's (when it measured that N).
  const imageRun = results.find((result) => result.lines === SEA_LINES);
  const beside = (figure: string, format: (from: AtRest) => string): Row => ({
    figure,
    cells: [imageRun === undefined ? format(figures) : `${format(figures)} (image: ${format(imageRun)})`],
  });
  console.log(
    formatTable(
      [SEA_LINES],
      [
        { figure: 'single binary size MB', cells: [megabytes(figures.sizeBytes)] },
        beside('single binary RSS MB when listening', (from) => megabytes(from.atListening.rssBytes)),
        beside('single binary RSS MB after first collection', (from) =>
          megabytes(from.afterCollection.rssBytes),
        ),
        beside('… of it file-backed MB', (from) => megabytes(from.afterCollection.fileBytes)),
        beside('single binary start → first ready ms', (from) => ms(from.startToReadyMs)),
      ],
    ),
  );
}

const { values } = parseArgs({
  args: scriptArgs(),
  options: {
    lines: { type: 'string', default: '10,1000,10000' },
    duration: { type: 'string', default: '10' },
    quick: { type: 'boolean', default: false },
  },
  strict: true,
  allowPositionals: false,
});
const lineCounts = lineCountsArg(values.lines);
const durationSeconds = values.quick ? 3 : wholeNumberArg('duration', values.duration);
if (!existsSync('/proc/self/status')) {
  throw new Error('the bench reads process memory from /proc: it runs on Linux only');
}
const command = imageCommand();

console.log(
  `Node ${process.version} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; ` +
    `${durationSeconds} s per load run`,
);
console.log(
  `Exporter as deploy/Dockerfile runs it: node ${command.args.join(' ')} with ` +
    Object.entries(command.env)
      .filter(([name]) => !name.startsWith('AAISP_'))
      .map(([name, value]) => `${name}=${value}`)
      .join(' '),
);
const results: Measured[] = [];
for (const lines of lineCounts) {
  console.log(`measuring N = ${spaced(lines)} …`);
  results.push(await measure(command, lines, durationSeconds));
}
console.log('');
console.log(formatTable(lineCounts, buildRows(results)));
console.log('');
console.log(`measuring CQM on for N = ${spaced(CQM_LINES)} …`);
const cqm = await measureCqm(command, CQM_LINES, SETTLE_MS);
console.log(
  formatTable(
    [CQM_LINES],
    [
      { figure: 'RSS MB, CQM on, after the first cqm run', cells: [megabytes(cqm.afterCqm.rssBytes)] },
      { figure: 'peak RSS MB (VmHWM), CQM on', cells: [megabytes(cqm.afterCqm.peakBytes)] },
      { figure: 'first cqm run ms (fetch + parse + collect, 24 h each)', cells: [ms(cqm.runMs)] },
      { figure: 'cqm run ms / line', cells: [ms(cqm.runMs / CQM_LINES)] },
    ],
  ),
);
console.log('');
await reportSea(command);
console.log('');
console.log(
  `Load: in the suite process, keep-alive, text exposition; plain by autocannon, then gzipped (as Prometheus asks) by Node's own client (autocannon's parser is ~10x slower on binary bodies); the exporter and each floor (node:http serving the same bytes, plain or gzipped) run in a process of their own. Memory: the exporter's /proc/PID/status, no forced GC, read ${SETTLE_MS / 1000} s after ready and after both loads.`,
);
console.log(
  `CHAOS calls: tiers shortened to 1 / 2 / 4 s (every collector on) for ${CALLS_WINDOW_SECONDS} s; each command's mean call period × (default / short interval) → calls per hour at 60 / 300 / 900 s.`,
);
for (const result of results) {
  for (const [rate, label] of [
    [result.callsFast, '10 conns flat out'],
    [result.callsSlow, '1 scrape/s'],
  ] as const) {
    console.log(`calls at N = ${spaced(result.lines)}, ${label}: ${rate.detail}`);
  }
}
console.log(
  'Python design: (N + 2) calls per tier run × (3600/60 + 3600/300 + 3600/900) runs per hour = (N + 2) × 76.',
);
