/**
 * State on disk across restarts (`STATE__DIR`): each CQM line's position and totals and each
 * account's auth pause, written by one exporter and read by the next, against a mock CHAOS whose
 * CQM clock the test moves.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cqmSecret, DEFAULT_CREDENTIALS, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockAccount, testExporterConfig } from '../harness/exporter-config.ts';
import { parseExposition, type Series, sampleValue } from '../harness/exposition.ts';
import { sleep, waitFor } from '../harness/wait.ts';
import { type App, startApp } from './app.ts';
import type { ExporterConfig } from './config/config.ts';
import { mockCqmLines } from './demo/demo.ts';
import { createLogger } from './telemetry/logger.ts';

const PERIOD_MS = 100_000;
const RIGHT = 'State-Right-Pa55';
const WRONG = 'State-Wrong-Pa55';
let clock = Date.UTC(2026, 0, 20, 12, 0, 0);
let dir: string;
let mock: RunningChaosMock;
let app: App | undefined;
let logs: { level: string; msg: string; [key: string]: unknown }[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aaisp-state-'));
  mock = await startChaosMock({
    lines: 2,
    cqm: { now: () => clock },
    credentials: { controlLogin: DEFAULT_CREDENTIALS.controlLogin, controlPassword: RIGHT },
  });
});
afterEach(async () => {
  await app?.stop();
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
  app = undefined;
  logs = [];
});

/** Starts an exporter on the mock: CHAOS hourly, CQM every 100 ms, state in `dir` unless told not to. */
async function start(options: { password?: string; state?: boolean } = {}): Promise<App> {
  const config: ExporterConfig = testExporterConfig(mock.url, {
    accounts: [{ ...mockAccount('default', options.password ?? RIGHT), cqm: mockCqmLines(mock) }],
    intervals: { fastSeconds: 3600, mediumSeconds: 3600, slowSeconds: 7200, cqmSeconds: 0.1 },
    api: { baseUrl: mock.url, timeoutSeconds: 2, maxRetries: 0, concurrencyLimit: 5 },
    state: options.state === false ? {} : { dir },
  });
  app = await startApp(config, {
    logger: createLogger(
      { level: 'info', format: 'json' },
      { destination: { write: (line: string) => void logs.push(JSON.parse(line)) } },
    ),
    version: '0.0.0-test',
    demo: false,
    timing: { staggerMs: 0, authBackoffMs: 3_600_000 },
  });
  return app;
}

async function stop(): Promise<void> {
  await app?.stop();
  app = undefined;
}

const scrape = async (): Promise<Series> =>
  parseExposition(await (await fetch(`${app?.url}/metrics`)).text());

const scrapeUntil = (what: string, check: (series: Series) => boolean): Promise<Series> =>
  waitFor(what, async () => {
    const series = await scrape();
    return check(series) ? series : undefined;
  });

const samples = (series: Series, line: string): number | undefined =>
  sampleValue(series, 'aaisp_cqm_samples_total', { line_id: line });

describe('CQM counters across a restart', () => {
  it('with STATE__DIR, counts every sample published while the exporter was down, exactly once', async () => {
    await start();
    await scrapeUntil('the first CQM fetch', (s) => samples(s, '32001') === 0);
    clock += 3 * PERIOD_MS;
    await scrapeUntil('three samples', (s) => samples(s, '32001') === 3 && samples(s, '32002') === 3);
    await stop();

    // Down for five samples' time.
    clock += 5 * PERIOD_MS;
    await start();
    const after = await scrapeUntil('the samples missed while down', (s) => samples(s, '32001') === 8);
    // Many fetches later, still each sample once.
    await sleep(500);
    const settled = await scrape();
    for (const series of [after, settled]) {
      expect(samples(series, '32001')).toBe(8);
      expect(samples(series, '32002')).toBe(8);
      expect(sampleValue(series, 'aaisp_cqm_polls_sent_total', { line_id: '32001' })).toBe(800);
    }
    const saved = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(Object.keys(saved.accounts.default.targets.cqm)).toEqual(['32001', '32002']);
    // No link, no secret: the line's CQM URL and its secret part are nowhere in the file.
    const text = readFileSync(join(dir, 'state.json'), 'utf8');
    for (const line of mockCqmLines(mock)) {
      expect(text).not.toContain(line.url);
      expect(text).not.toContain(cqmSecret(line.lineId));
    }
    expect(text).not.toContain(RIGHT);
  });

  it('without STATE__DIR, a restart starts the counters again at 0 (a reset)', async () => {
    await start({ state: false });
    await scrapeUntil('the first CQM fetch', (s) => samples(s, '32001') === 0);
    clock += 3 * PERIOD_MS;
    await scrapeUntil('three samples', (s) => samples(s, '32001') === 3);
    await stop();
    clock += 5 * PERIOD_MS;
    await start({ state: false });
    await scrapeUntil('the first CQM fetch after the restart', (s) => samples(s, '32001') !== undefined);
    await sleep(300);
    expect(samples(await scrape(), '32001')).toBe(0);
  });

  it('ignores a corrupt state file with one warning, and writes a good one', async () => {
    writeFileSync(join(dir, 'state.json'), '{"version": 1, "accounts": {"default": [oops');
    await start();
    await scrapeUntil('the first CQM fetch', (s) => samples(s, '32001') === 0);
    const warnings = logs.filter((line) => line.level === 'warn' && line.kind === 'corrupt');
    expect(warnings).toHaveLength(1);
    clock += PERIOD_MS;
    await scrapeUntil('a sample', (s) => samples(s, '32001') === 1);
    await stop();
    const saved = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(saved.version).toBe(1);
    expect(saved.accounts.default.targets.cqm['32001'].totals.samples).toBe(1);
  });
});

describe('the auth pause across a restart', () => {
  it('stays paused (no CHAOS call) with the same credentials, and tries new ones at once', async () => {
    await start({ password: WRONG });
    await scrapeUntil('the account to be paused', (s) => sampleValue(s, 'aaisp_account_auth_paused') === 1);
    const until = sampleValue(await scrape(), 'aaisp_account_auth_paused_until_timestamp_seconds');
    await stop();

    mock.resetStats();
    await start({ password: WRONG });
    const paused = await scrape();
    expect(sampleValue(paused, 'aaisp_account_auth_paused')).toBe(1);
    expect(sampleValue(paused, 'aaisp_account_auth_paused_until_timestamp_seconds')).toBe(until);
    // The CQM lines need no CHAOS credentials: they go on.
    await scrapeUntil('a CQM fetch', (s) => samples(s, '32001') !== undefined);
    expect(mock.stats().byCommand['broadband/info']).toBeUndefined();
    expect(
      logs.find((line) => line.msg.startsWith('CHAOS refused these credentials before the restart')),
    ).toMatchObject({ level: 'warn', account: 'default', refusals: 1 });
    await stop();

    await start({ password: RIGHT });
    const resumed = await scrapeUntil(
      'the account collected',
      (s) => sampleValue(s, 'aaisp_broadband_lines') === 2,
    );
    expect(sampleValue(resumed, 'aaisp_account_auth_paused')).toBe(0);
    expect(logs.some((line) => line.msg.startsWith('the credentials changed since CHAOS refused them'))).toBe(
      true,
    );
    await stop();
    const saved = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(saved.accounts.default.authPause).toBeUndefined();
    expect(JSON.stringify(saved)).not.toContain(WRONG);
  });
});
