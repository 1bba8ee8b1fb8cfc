/**
 * Soak: runs the exporter with every tier on a 1-second interval against a fake CHAOS for many
 * minutes, scrapes `/metrics`, `/health` and `/` once a second, and switches the fake CHAOS
 * through a cycle of faults and normal answers, so a leak on an error path has time to show.
 * Samples memory, libuv handles and sockets to the fake CHAOS at the start, after every step and
 * at the end, prints them as a table, and gives a verdict against fixed limits.
 *
 * Exits 0 on PASS, 1 on FAIL. Figures only, not a test. Run with `--expose-gc` (the `soak` script
 * does) so heap figures are live heap.
 *
 * Run from the repository root: `npx -y pnpm@12.21.0 soak -- --minutes 10`
 * (`--lines`, default 50; `--step-seconds`, default 30, to debug the cycle quickly).
 */

import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { type ScenarioName, type ScenarioOptions, startChaosMock } from '@aaisp/chaos-mock';
import { pino } from 'pino';
import { parseExposition, samplesOf } from '../harness/exposition.ts';
import { waitForReady } from '../harness/wait.ts';
import packageJson from '../package.json' with { type: 'json' };
import { startApp } from '../src/app.ts';
import { megabytes, mockExporterConfig, scriptArgs, wholeNumberArg } from './harness.ts';
import { canForceGc, formatByType, type ResourceSample, sampleResources } from './resources.ts';
import { startScraper } from './scraper.ts';

/** One step of the cycle: a scenario played for `--step-seconds`. */
interface Step {
  readonly name: ScenarioName;
  readonly options?: ScenarioOptions;
}

/** Faults separated by normal answers, so recovery from each fault is exercised too. */
const CYCLE: readonly Step[] = [
  { name: 'normal' },
  { name: 'http-502-flaky' },
  // Held until the exporter's 2 s client timeout gives up on it.
  { name: 'timeout' },
  { name: 'normal' },
  { name: 'connection-reset' },
  { name: 'normal' },
  { name: 'malformed-json' },
  { name: 'normal' },
  { name: 'rate-limit', options: { retryAfterSeconds: 1 } },
  { name: 'normal' },
  { name: 'schema-drift' },
  { name: 'normal' },
  { name: 'lines-change' },
  { name: 'normal' },
];

/** Verdict limits: a couple of handles may be mid-flight at either sample. */
const HANDLE_SLACK = 2;
const HEAP_GROWTH_LIMIT_BYTES = 10e6;
/** After the start: long enough for every tier (staggered 100 ms apart) to have run once. */
const START_SETTLE_MS = 3000;
/** Before the end sample: longer than the longest back-off (8 × 1 s), so every job is back to normal. */
const END_SETTLE_MS = 10_000;

const { values } = parseArgs({
  args: scriptArgs(),
  options: {
    minutes: { type: 'string', default: '10' },
    lines: { type: 'string', default: '50' },
    'step-seconds': { type: 'string', default: '30' },
  },
  strict: true,
  allowPositionals: false,
});
const minutes = wholeNumberArg('minutes', values.minutes);
const lines = wholeNumberArg('lines', values.lines, 0);
const stepSeconds = wholeNumberArg('step-seconds', values['step-seconds']);
const stepCount = Math.max(1, Math.floor((minutes * 60) / stepSeconds));

const warnings: string[] = [];
process.on('warning', (warning) => warnings.push(`${warning.name}: ${warning.message}`));

interface Row {
  readonly label: string;
  readonly seconds: number;
  readonly sample: ResourceSample;
  readonly chaosCalls: number;
  readonly scrapes: string;
}

const mock = await startChaosMock({ lines, host: '127.0.0.1' });
const mockPort = Number(new URL(mock.url).port);
const config = mockExporterConfig({
  baseUrl: mock.url,
  intervals: { fastSeconds: 1, mediumSeconds: 1, slowSeconds: 1, cqmSeconds: 300 },
  timeoutSeconds: 2,
  maxRetries: 2,
  telephonyAndLogin: true,
});
const app = await startApp(config, {
  logger: pino({ level: 'silent' }),
  version: packageJson.version,
  demo: false,
  // Short pauses, so a fault that trips the breaker or the re-probe does not silence a job for hours.
  timing: { staggerMs: 100, authBackoffMs: 5000, reprobeMs: 10_000 },
});

console.log(
  `Node ${process.version}; ${lines} lines; tiers every 1 s; ${stepCount} steps of ${stepSeconds} s; ` +
    `heap ${canForceGc ? 'after global.gc()' : 'WITHOUT --expose-gc (garbage included)'}`,
);
const rows: Row[] = [];
let scraper: ReturnType<typeof startScraper> | undefined;
let passed = false;
try {
  await waitForReady(app.url);
  const readyAt = performance.now();
  scraper = startScraper(app.url, ['/metrics', '/health', '/']);
  const active = scraper;
  const record = (label: string): void => {
    const tally = active.tally();
    const failed = Object.values(tally.failures).reduce((sum, count) => sum + count, 0);
    const row: Row = {
      label,
      seconds: (performance.now() - readyAt) / 1000,
      sample: sampleResources(mockPort),
      chaosCalls: mock.stats().requests,
      scrapes: `${tally.ok}/${failed}`,
    };
    rows.push(row);
    printRow(row);
  };

  printHeader();
  await delay(START_SETTLE_MS);
  record('start');
  for (let index = 0; index < stepCount; index++) {
    const step = CYCLE[index % CYCLE.length] ?? { name: 'normal' };
    mock.setScenario(step.name, step.options);
    await delay(stepSeconds * 1000);
    record(step.name);
  }
  if (mock.scenario().name !== 'normal') mock.setScenario('normal');
  await delay(END_SETTLE_MS);
  record('end');

  const tally = await scraper.stop();
  const outcomes = await apiOutcomes(app.url);
  const start = rows[0]?.sample;
  const end = rows.at(-1)?.sample;
  if (start === undefined || end === undefined) throw new Error('no samples taken');
  passed = verdict(start, end);
  console.log(`scrapes: ${tally.rounds} rounds, ${tally.ok} ok; failures ${JSON.stringify(tally.failures)}`);
  console.log(
    `slowest answer ms: ${Object.entries(tally.slowestMs)
      .map(([path, ms]) => `${path} ${ms.toFixed(0)}`)
      .join(', ')}`,
  );
  console.log(`CHAOS attempts by outcome (aaisp_api_requests_total): ${JSON.stringify(outcomes)}`);
  console.log(`process warnings: ${warnings.length === 0 ? 'none' : [...new Set(warnings)].join(' | ')}`);
} finally {
  await scraper?.stop();
  await app.stop();
  await mock.close();
}
console.log(passed ? 'PASS' : 'FAIL');
process.exitCode = passed ? 0 : 1;

function printHeader(): void {
  console.log(
    [
      'sample'.padEnd(16),
      't s'.padStart(6),
      'RSS MB'.padStart(8),
      'heap MB'.padStart(8),
      'heapTot'.padStart(8),
      'ext MB'.padStart(7),
      'handles'.padStart(7),
      'to mock'.padStart(7),
      'CHAOS calls'.padStart(11),
      'scrapes ok/failed'.padStart(17),
      '  resources by type',
    ].join(' '),
  );
}

function printRow(row: Row): void {
  const { sample } = row;
  console.log(
    [
      row.label.padEnd(16),
      row.seconds.toFixed(0).padStart(6),
      megabytes(sample.rssBytes).padStart(8),
      megabytes(sample.heapUsedBytes).padStart(8),
      megabytes(sample.heapTotalBytes).padStart(8),
      megabytes(sample.externalBytes).padStart(7),
      String(sample.handles).padStart(7),
      String(sample.socketsToPort ?? '?').padStart(7),
      String(row.chaosCalls).padStart(11),
      row.scrapes.padStart(17),
      `  ${formatByType(sample.handlesByType)}`,
    ].join(' '),
  );
}

/** Prints growth start→end and says whether it is within the limits. */
function verdict(start: ResourceSample, end: ResourceSample): boolean {
  const growth = (from: number, to: number): string =>
    `${megabytes(from)} → ${megabytes(to)} MB (${to >= from ? '+' : ''}${megabytes(to - from)} MB, ${(((to - from) / from) * 100).toFixed(1)}%)`;
  const heapGrowth = end.heapUsedBytes - start.heapUsedBytes;
  const handlesOk = end.handles <= start.handles + HANDLE_SLACK;
  const heapOk = heapGrowth < HEAP_GROWTH_LIMIT_BYTES;
  console.log(`RSS start→end: ${growth(start.rssBytes, end.rssBytes)}`);
  console.log(`heapUsed start→end: ${growth(start.heapUsedBytes, end.heapUsedBytes)}`);
  // RSS follows what V8 reserves (its young generation grows with the allocation rate and is not
  // given back), so these two say whether RSS growth is live data or reserved room.
  console.log(`heapTotal start→end: ${growth(start.heapTotalBytes, end.heapTotalBytes)}`);
  console.log(`external start→end: ${growth(start.externalBytes, end.externalBytes)}`);
  console.log(
    `handles start→end: ${start.handles} → ${end.handles}; sockets to the mock ${start.socketsToPort ?? '?'} → ${end.socketsToPort ?? '?'}`,
  );
  console.log(
    `limits: handles at end ≤ start + ${HANDLE_SLACK} (${handlesOk ? 'ok' : 'exceeded'}); ` +
      `heapUsed growth < ${megabytes(HEAP_GROWTH_LIMIT_BYTES)} MB (${heapOk ? 'ok' : 'exceeded'})`,
  );
  return handlesOk && heapOk;
}

/** Sums the exporter's `aaisp_api_requests_total` by `outcome`, from its own `/metrics`. */
async function apiOutcomes(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sums: Record<string, number> = {};
  for (const { labels, value } of samplesOf(parseExposition(text), 'aaisp_api_requests_total')) {
    const outcome = labels.outcome ?? '?';
    sums[outcome] = (sums[outcome] ?? 0) + value;
  }
  return sums;
}
