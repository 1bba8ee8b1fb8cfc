/**
 * The fault matrix's harness: one exporter (fast tiers, short pauses) running against one
 * `@aaisp/chaos-mock` server, with every log line and every HTTP body it served kept, so the
 * secrets test can search all of them at the end.
 *
 * @module
 */

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChaosClient } from '@aaisp/chaos-client';
import { DEFAULT_CREDENTIALS, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { bindingNamed } from '../../harness/bindings.ts';
import { mockAccount, testExporterConfig } from '../../harness/exporter-config.ts';
import { parseExposition, type Series, samplesOf } from '../../harness/exposition.ts';
import { type App, startApp } from '../../src/app.ts';
import { BINDINGS, callOf, chaosSource, nameOf } from '../../src/collectors/index.ts';
import { type RecordedCommand, recordAccounts } from '../../src/record/record.ts';
import { createLogger } from '../../src/telemetry/logger.ts';

/** A password no other fixture uses, so finding it anywhere is a leak. */
export const PASSWORD = 'Fault-Matrix-S3cret!pw';
/** Postcodes of generated mock lines start with this; the exporter must never show them by default. */
export const POSTCODE_MARK = 'ZZ99';

/** Tier intervals in ms. Short, so one fault plays out in seconds; ratios as in the design. */
export const INTERVAL_MS = { fast: 400, medium: 800, slow: 1200, cqm: 1600 } as const;
/** Pauses the scheduler would otherwise keep for 15 min and 6 h. */
export const AUTH_BACKOFF_MS = 1000;
export const REPROBE_MS = 2000;
export const API_TIMEOUT_MS = 1000;
export const API_RETRIES = 1;
export const LINES = 20;

/**
 * Every collector that calls CHAOS, by name: the bindings, so a new collector joins the matrix.
 * The `cqm` collector calls no CHAOS and has no link configured here; its faults (a bad link, a
 * CQM outage beside working CHAOS, CHAOS refusing while CQM goes on) are in src/collectors/cqm.test.ts.
 */
export const COLLECTORS: readonly string[] = BINDINGS.filter((binding) => binding.source === chaosSource).map(
  nameOf,
);
export type Collector = string;

/**
 * The metric that is present whenever a collector has data: its series without labels (the line
 * count, the service counts, the ratecard's prefix count).
 */
export function presenceMetric(collector: Collector): string {
  const always = bindingNamed(collector).collector.metrics.find((metric) => metric.labels.length === 0);
  if (always === undefined) throw new Error(`collector ${collector} has no unlabelled metric`);
  return always.name;
}

/** A collector's tier interval here. */
export const intervalMsOf = (collector: Collector): number => INTERVAL_MS[bindingNamed(collector).tier];

/** The one CHAOS command a collector calls. */
export const commandOfCollector = (collector: Collector): string => callOf(bindingNamed(collector));

/** One scrape of `/metrics`: when it was asked, its status and its series. */
export interface Scrape {
  readonly atMs: number;
  readonly status: number;
  readonly text: string;
  /** Its series (empty unless the status is 200); read them with `sampleValue` of harness/exposition.ts. */
  readonly series: Series;
}

/** The running pair, plus everything it said. */
export interface Harness {
  readonly mock: RunningChaosMock;
  readonly app: App;
  /** Every log line the exporter wrote (JSON). */
  readonly logs: string[];
  /** Every body the exporter served to this harness (`/metrics`, `/health`, `/`). */
  readonly served: string[];
  scrape(): Promise<Scrape>;
  get(path: string): Promise<{ status: number; text: string }>;
  /** Runs `record` against the mock as it is now; every file it wrote goes into `served`. */
  record(): Promise<RecordedCommand[]>;
  stop(): Promise<void>;
}

/** The `line_id`s of `aaisp_broadband_line_info` in a scrape. */
export function lineIds(scrape: Scrape): string[] {
  return samplesOf(scrape.series, 'aaisp_broadband_line_info')
    .flatMap((sample) => (sample.labels.line_id === undefined ? [] : [sample.labels.line_id]))
    .sort();
}

/** Starts the mock and an exporter with every collector on, fast tiers and short pauses. */
export async function startHarness(): Promise<Harness> {
  const mock = await startChaosMock({
    lines: LINES,
    credentials: { controlLogin: DEFAULT_CREDENTIALS.controlLogin, controlPassword: PASSWORD },
  });
  const config = testExporterConfig(mock.url, {
    accounts: [mockAccount('default', PASSWORD)],
    logging: { level: 'debug', format: 'json' },
    intervals: {
      fastSeconds: INTERVAL_MS.fast / 1000,
      mediumSeconds: INTERVAL_MS.medium / 1000,
      slowSeconds: INTERVAL_MS.slow / 1000,
      cqmSeconds: INTERVAL_MS.cqm / 1000,
    },
    api: {
      baseUrl: mock.url,
      timeoutSeconds: API_TIMEOUT_MS / 1000,
      maxRetries: API_RETRIES,
      concurrencyLimit: 5,
    },
  });
  const logs: string[] = [];
  const served: string[] = [];
  const logger = createLogger(config.logging, {
    destination: { write: (line: string) => void logs.push(line) },
  });
  const app = await startApp(config, {
    logger,
    version: '0.0.0-faults',
    demo: false,
    timing: { staggerMs: 50, authBackoffMs: AUTH_BACKOFF_MS, reprobeMs: REPROBE_MS },
  });

  const get = async (path: string): Promise<{ status: number; text: string }> => {
    // A scrape must answer at once whatever CHAOS does; two seconds is a hang, not a slow answer.
    const response = await fetch(`${app.url}${path}`, { signal: AbortSignal.timeout(2000) });
    const text = await response.text();
    served.push(text);
    return { status: response.status, text };
  };
  let stopping: Promise<void> | undefined;
  return {
    mock,
    app,
    logs,
    served,
    get,
    async scrape() {
      const atMs = Date.now();
      const { status, text } = await get('/metrics');
      return { atMs, status, text, series: status === 200 ? parseExposition(text) : new Map() };
    },
    async record() {
      const outDir = await mkdtemp(join(tmpdir(), 'aaisp-faults-record-'));
      try {
        const client = createChaosClient({
          auth: { controlLogin: DEFAULT_CREDENTIALS.controlLogin, controlPassword: PASSWORD },
          baseUrl: mock.url,
          timeout: 300,
          retry: 0,
        });
        const recorded = await recordAccounts({
          accounts: [
            { name: 'default', client, login: DEFAULT_CREDENTIALS.controlLogin, secrets: [PASSWORD] },
          ],
          outDir,
          version: '0.0.0-faults',
        });
        const files = await readdir(outDir, { recursive: true, withFileTypes: true });
        for (const file of files) {
          if (file.isFile()) served.push(await readFile(join(file.parentPath, file.name), 'utf8'));
        }
        return recorded;
      } finally {
        await rm(outDir, { recursive: true, force: true });
      }
    },
    stop() {
      stopping ??= app.stop().then(() => mock.close());
      return stopping;
    },
  };
}

/**
 * The most runs a failing job can make in `windowMs`: the run that meets the fault, then the
 * scheduler's back-off (next tick, then 2, 4 and at most 8 intervals apart), plus one run that
 * was already on its way when the fault began.
 */
export function maxRunsWithBackoff(windowMs: number, intervalMs: number): number {
  let runs = 0;
  for (let at = 0, failures = 0; at < windowMs; runs++) {
    failures++;
    at += intervalMs * Math.min(2 ** (failures - 1), 8);
  }
  return runs + 1;
}

/** The most calls an account makes while CHAOS refuses it: one per breaker opening (doubling pauses), per collector. */
export function maxRunsWithBreaker(windowMs: number, pauseMs: number): number {
  let runs = 0;
  for (let at = 0, refusals = 0; at < windowMs; runs++) {
    refusals++;
    at += pauseMs * 2 ** (refusals - 1);
  }
  return runs + 1;
}

/** Counts the event loop's live resources by type (sockets, servers, timers). */
export function resourceCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}
