/**
 * CHAOS calls per hour per account, measured on a compressed schedule and scaled to the default
 * one. The exporter runs with tiers of 1 s / 2 s / 4 s (every collector on) while `/metrics` is
 * scraped; the mock's counters are sampled every few milliseconds to time each command's calls.
 * Each command's mean period, stretched by (default interval / short interval), gives its calls
 * per hour at 60 / 300 / 900 s. A mean period rather than a count in a window, because a 6 s
 * window catches one more or one fewer run depending on where it starts, which is not the
 * exporter's doing.
 *
 * @module
 */

import { type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { pino } from 'pino';
import packageJson from '../package.json' with { type: 'json' };
import { mockExporterConfig } from '../scripts/harness.ts';
import { startApp } from '../src/app.ts';
import { callOf } from '../src/collectors/index.ts';
import type { ExporterConfig } from '../src/config/config.ts';
import { planTiers } from '../src/schedule/tiers.ts';
import { type LoadOptions, loadUrl } from './load.ts';

const SHORT_INTERVALS: ExporterConfig['intervals'] = {
  fastSeconds: 1,
  mediumSeconds: 2,
  slowSeconds: 4,
  cqmSeconds: 300,
};
const POLL_MS = 5;
const SECONDS_PER_HOUR = 3600;

/** What one compressed run measured. */
export interface CallRate {
  /** Measured calls per hour per account, scaled to the default tiers. */
  readonly perHour: number;
  /** Raw CHAOS calls the mock counted during the run. */
  readonly calls: number;
  /** Scrapes of `/metrics` during the run. */
  readonly scrapes: number;
  /** Per command: calls and mean period in seconds, so a figure off the schedule can be explained. */
  readonly detail: string;
}

/** The configuration for the compressed run: every collector on, so the slow tier has two. */
function shortConfig(baseUrl: string): ExporterConfig {
  return mockExporterConfig({ baseUrl, intervals: SHORT_INTERVALS, telephonyAndLogin: true });
}

/** The default tiers (every collector on), which the short ones stand in for. */
const DEFAULT_CONFIG = mockExporterConfig({ baseUrl: 'http://127.0.0.1/', telephonyAndLogin: true });
// With its accounts, which have no CQM link: the `cqm` tier makes no CHAOS call and is not planned.
const DEFAULT_PLAN = planTiers(DEFAULT_CONFIG, undefined, DEFAULT_CONFIG.accounts);

/** The calls per hour per account the schedule itself promises at the default tiers. */
export function scheduledPerHour(): number {
  return DEFAULT_PLAN.reduce(
    (sum, tier) => sum + (tier.collectors.length * SECONDS_PER_HOUR) / tier.intervalSeconds,
    0,
  );
}

/**
 * The original Python design's calls per hour for `lines` lines: every tier run made one call per
 * line plus two, at the same intervals.
 */
export function pythonPerHour(lines: number): number {
  const runsPerHour = DEFAULT_PLAN.reduce((sum, tier) => sum + SECONDS_PER_HOUR / tier.intervalSeconds, 0);
  return (lines + 2) * runsPerHour;
}

/**
 * Runs the exporter on the short tiers against a fresh mock of `lines` lines while `/metrics` is
 * scraped as `scrape` says, and scales its calls. A fresh mock, because a call the previous
 * exporter had in flight when it stopped can still reach a shared mock after the next run began.
 */
export async function measureCallRate(lines: number, scrape: LoadOptions): Promise<CallRate> {
  const mock = await startChaosMock({ lines, host: '127.0.0.1' });
  try {
    return await measureAgainst(mock, scrape);
  } finally {
    await mock.close();
  }
}

async function measureAgainst(mock: RunningChaosMock, scrape: LoadOptions): Promise<CallRate> {
  const config = shortConfig(mock.url);
  const stretch = new Map<string, number>();
  for (const tier of planTiers(config, undefined, config.accounts)) {
    const defaultSeconds = DEFAULT_PLAN.find((plan) => plan.name === tier.name)?.intervalSeconds;
    if (defaultSeconds === undefined) throw new Error(`tier ${tier.name} has no default interval`);
    for (const collector of tier.collectors) {
      stretch.set(callOf(collector), defaultSeconds / tier.intervalSeconds);
    }
  }

  const before = mock.stats();
  const seen = new Map<string, number>();
  const times = new Map<string, number[]>();
  const watcher = setInterval(() => {
    const now = performance.now();
    for (const [command, count] of Object.entries(mock.stats().byCommand)) {
      const known = seen.get(command) ?? before.byCommand[command] ?? 0;
      if (count > known) {
        const list = times.get(command) ?? [];
        for (let call = known; call < count; call++) list.push(now);
        times.set(command, list);
        seen.set(command, count);
      }
    }
  }, POLL_MS);
  const app = await startApp(config, {
    logger: pino({ level: 'silent' }),
    version: packageJson.version,
    demo: false,
    timing: { staggerMs: 10 },
  });
  let scrapes: number;
  try {
    scrapes = (await loadUrl(`${app.url}/metrics`, scrape)).requests;
  } finally {
    clearInterval(watcher);
    await app.stop();
  }

  let perHour = 0;
  const detail: string[] = [];
  for (const [command, list] of times) {
    const factor = stretch.get(command);
    const first = list[0];
    const last = list.at(-1);
    if (factor === undefined) throw new Error(`the exporter called ${command}, which no collector needs`);
    if (first === undefined || last === undefined || list.length < 2) {
      throw new Error(`${command} was called ${list.length} time(s): too few to time; lengthen the run`);
    }
    const periodSeconds = (last - first) / 1000 / (list.length - 1);
    perHour += SECONDS_PER_HOUR / (periodSeconds * factor);
    detail.push(`${command} ${list.length}× every ${periodSeconds.toFixed(3)} s`);
  }
  return { perHour, calls: mock.stats().requests - before.requests, scrapes, detail: detail.join(', ') };
}
