/**
 * Load on `/metrics`: starts a fake CHAOS with many lines and the exporter against it, waits for
 * the first fast-tier run, then lets autocannon scrape `/metrics` as hard as it can. Prints the
 * figures and how many CHAOS calls the exporter made meanwhile (a scrape must never call CHAOS, so
 * that number follows the tier schedule, not the scrape count).
 *
 * Exits 1 when any request errored, timed out or answered other than 2xx, or when the exporter
 * made more CHAOS calls than its schedule allows; 0 otherwise. Figures only, not a test.
 *
 * Run from the repository root: `npx -y pnpm@12.21.0 load -- --lines 1000 --connections 50 --duration 10`
 * (add `--accept openmetrics` for the OpenMetrics exposition, `--fast-seconds 1` to re-render during
 * the load).
 */

import { parseArgs } from 'node:util';
import { startChaosMock } from '@aaisp/chaos-mock';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { waitForReady } from '../harness/wait.ts';
import packageJson from '../package.json' with { type: 'json' };
import { startApp } from '../src/app.ts';
import { planTiers } from '../src/schedule/tiers.ts';
import { ACCEPT_HEADERS, megabytes, mockExporterConfig, scriptArgs, wholeNumberArg } from './harness.ts';

type Format = keyof typeof ACCEPT_HEADERS;

function isFormat(text: string): text is Format {
  return text === 'text' || text === 'openmetrics';
}

const { values } = parseArgs({
  args: scriptArgs(),
  options: {
    lines: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '10' },
    accept: { type: 'string', default: 'text' },
    'fast-seconds': { type: 'string', default: '60' },
  },
  strict: true,
  allowPositionals: false,
});
const lines = wholeNumberArg('lines', values.lines, 0);
const connections = wholeNumberArg('connections', values.connections);
const durationSeconds = wholeNumberArg('duration', values.duration);
const fastSeconds = wholeNumberArg('fast-seconds', values['fast-seconds']);
if (!isFormat(values.accept)) throw new RangeError('--accept must be text or openmetrics');
const accept = ACCEPT_HEADERS[values.accept];

const mock = await startChaosMock({ lines, host: '127.0.0.1' });
const config = mockExporterConfig({
  baseUrl: mock.url,
  intervals: {
    fastSeconds,
    mediumSeconds: Math.max(fastSeconds, 300),
    slowSeconds: Math.max(fastSeconds, 900),
    cqmSeconds: 300,
  },
});
const app = await startApp(config, {
  logger: pino({ level: 'silent' }),
  version: packageJson.version,
  demo: false,
});
let failed = false;
try {
  await waitForReady(app.url);
  const metricsUrl = `${app.url}/metrics`;
  const probe = await fetch(metricsUrl, { headers: { accept } });
  const body = Buffer.from(await probe.arrayBuffer());
  if (probe.status !== 200) throw new Error(`${metricsUrl} answered ${probe.status} before the load`);

  const callsBefore = mock.stats().requests;
  const result = await autocannon({
    url: metricsUrl,
    connections,
    duration: durationSeconds,
    headers: { accept },
  });
  const calls = mock.stats().requests - callsBefore;
  // In a window of d seconds a tier starts at most floor(d / interval) + 1 runs, each one call
  // per collector per account; the mock answers normally, so no retries add to that.
  const allowed = planTiers(config, undefined, config.accounts).reduce(
    (sum, tier) =>
      sum +
      tier.collectors.length *
        config.accounts.length *
        (Math.floor(result.duration / tier.intervalSeconds) + 1),
    0,
  );

  const rows: [string, string][] = [
    ['lines', String(lines)],
    ['format', `${values.accept} (${probe.headers.get('content-type') ?? '?'})`],
    ['bytes per /metrics response (body)', String(body.length)],
    ['connections', String(connections)],
    ['duration s', result.duration.toFixed(2)],
    ['requests total', String(result.requests.total)],
    ['2xx', String(result['2xx'])],
    ['errors', String(result.errors)],
    ['non-2xx', String(result.non2xx)],
    ['timeouts', String(result.timeouts)],
    ['throughput req/s (avg)', result.requests.average.toFixed(1)],
    ['latency p50 ms', String(result.latency.p50)],
    ['latency p99 ms', String(result.latency.p99)],
    ['latency max ms', String(result.latency.max)],
    ['throughput MB/s (avg, 10^6 bytes, headers included)', megabytes(result.throughput.average)],
    ['CHAOS calls during the load', `${calls} (the tier schedule allows at most ${allowed})`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`Node ${process.version}: autocannon on ${metricsUrl}`);
  for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);

  // autocannon counts timeouts among the errors too; any of the three fails the run.
  const clean = result.errors === 0 && result.non2xx === 0 && result.timeouts === 0;
  if (!clean) console.log('FAIL: errors, non-2xx answers or timeouts (zero allowed)');
  if (calls > allowed) console.log(`FAIL: ${calls} CHAOS calls, more than the schedule's ${allowed}`);
  failed = !clean || calls > allowed;
  if (!failed) console.log('PASS: zero errors, and scrapes made no CHAOS calls beyond the schedule');
} finally {
  await app.stop();
  await mock.close();
}
process.exitCode = failed ? 1 : 0;
