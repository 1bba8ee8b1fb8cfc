/**
 * Reloading a running exporter (SIGHUP and `POST /-/reload` both call `App.reload`): real files
 * re-read through `loadConfig`, a mock CHAOS that counts calls, and the socket kept open.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { parseExposition, type Series, sampleValue } from '../harness/exposition.ts';
import { waitFor } from '../harness/wait.ts';
import { type App, startApp } from './app.ts';
import { type ConfigResult, loadConfig } from './config/config.ts';
import { createLogger } from './telemetry/logger.ts';

const RIGHT = 'Reload-Right-Pa55';
const WRONG = 'Reload-Wrong-Pa55';
/** Every tier once an hour: a collection seen after a reload is the reload's, not the timetable's. */
const HOURLY = { fastSeconds: 3600, mediumSeconds: 3600, slowSeconds: 7200, cqmSeconds: 3600 };

let dir: string;
let mock: RunningChaosMock | undefined;
let app: App | undefined;
let logs: { level: string; msg: string; [key: string]: unknown }[] = [];
let rawLogs = '';

afterEach(async () => {
  await app?.stop();
  await mock?.close();
  rmSync(dir, { recursive: true, force: true });
  app = undefined;
  mock = undefined;
  logs = [];
  rawLogs = '';
});

/** One account of the accounts file, its password in a file of its own. */
const account = (name: string): string =>
  `  - name: ${name}\n    control_login: ${DEFAULT_CREDENTIALS.controlLogin}\n    control_password_file: ${join(dir, `${name}.password`)}\n`;

const writeAccounts = (...names: string[]): void =>
  writeFileSync(join(dir, 'accounts.yaml'), `accounts:\n${names.map(account).join('')}`);

const writePassword = (name: string, password: string): void =>
  writeFileSync(join(dir, `${name}.password`), `${password}\n`);

/** Starts the exporter on the accounts file, as the CLI does: the same environment for every load. */
async function start(options: { lifecycle?: boolean } = {}): Promise<App> {
  mock = await startChaosMock({
    lines: 2,
    credentials: { controlLogin: DEFAULT_CREDENTIALS.controlLogin, controlPassword: RIGHT },
  });
  const env = {
    AAISP_EXPORTER_CONFIG_FILE: join(dir, 'accounts.yaml'),
    AAISP_EXPORTER_API__BASE_URL: mock.url,
    AAISP_EXPORTER_API__MAX_RETRIES: '0',
    AAISP_EXPORTER_SERVER__HOST: '127.0.0.1',
    AAISP_EXPORTER_SERVER__PORT: '0',
    AAISP_EXPORTER_WEB__ENABLE_LIFECYCLE: options.lifecycle === true ? 'true' : 'false',
  };
  const load = (): ConfigResult => {
    const result = loadConfig({ env, readFile: (path) => readFileSync(path, 'utf8') });
    // The environment's floor is 10 s; tests run the tiers hourly so nothing runs by the clock.
    return result.ok ? { ok: true, config: { ...result.config, intervals: HOURLY } } : result;
  };
  const first = load();
  if (!first.ok) throw new Error(JSON.stringify(first.problems));
  const logger = createLogger(
    { level: 'info', format: 'json' },
    {
      destination: {
        write: (line: string) => {
          rawLogs += line;
          logs.push(JSON.parse(line));
        },
      },
    },
  );
  app = await startApp(first.config, {
    logger,
    version: '0.0.0-test',
    demo: false,
    timing: { staggerMs: 0, authBackoffMs: 3_600_000 },
    reloadConfig: load,
  });
  return app;
}

/** What these tests read of `/health`. */
const Health = z.object({ config: z.unknown(), accounts: z.record(z.string(), z.unknown()) });

const health = async (): Promise<z.infer<typeof Health>> =>
  Health.parse(await (await fetch(`${app?.url}/health`)).json());

async function scrape(): Promise<Series> {
  return parseExposition(await (await fetch(`${app?.url}/metrics`)).text());
}

const scrapeUntil = (what: string, check: (series: Series) => boolean): Promise<Series> =>
  waitFor(what, async () => {
    const series = await scrape();
    return check(series) ? series : undefined;
  });

/** Every series of the account, by name and labels. */
const seriesOf = (series: Series, name: string): string[] =>
  [...series.keys()].filter((key) => key.includes(`account="${name}"`));

describe('reloading the configuration', () => {
  it('resumes an account at once when its password file is fixed, and leaves the others alone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'aaisp-reload-'));
    writeAccounts('home', 'office');
    writePassword('home', WRONG);
    writePassword('office', RIGHT);
    await start();
    const paused = await scrapeUntil(
      'home to be paused and office collected',
      (s) =>
        sampleValue(s, 'aaisp_account_auth_paused', { account: 'home' }) === 1 &&
        sampleValue(s, 'aaisp_broadband_lines', { account: 'office' }) === 2,
    );
    expect(sampleValue(paused, 'aaisp_broadband_lines', { account: 'home' })).toBeUndefined();
    const callsBefore = mock?.stats().byCommand['broadband/info'] ?? 0;

    writePassword('home', RIGHT);
    const outcome = await app?.reload('SIGHUP');
    expect(outcome).toMatchObject({ ok: true, trigger: 'SIGHUP' });
    const resumed = await scrapeUntil(
      'home to be collected',
      (s) => sampleValue(s, 'aaisp_broadband_lines', { account: 'home' }) === 2,
    );
    expect(sampleValue(resumed, 'aaisp_account_auth_paused', { account: 'home' })).toBe(0);
    expect(
      sampleValue(resumed, 'aaisp_account_auth_paused_until_timestamp_seconds', { account: 'home' }),
    ).toBe(undefined);
    // Only home was collected again: office's fast run is an hour away.
    expect((mock?.stats().byCommand['broadband/info'] ?? 0) - callsBefore).toBe(1);
    expect(sampleValue(resumed, 'aaisp_exporter_config_last_reload_successful')).toBe(1);

    const reloaded = logs.find((line) => line.msg === 'configuration reloaded');
    expect(reloaded).toMatchObject({
      trigger: 'SIGHUP',
      accounts: { added: [], removed: [], newCredentials: ['home'], changed: [], unchanged: 1 },
    });
    expect(rawLogs).not.toContain(RIGHT);
    expect(rawLogs).not.toContain(WRONG);
  });

  it('keeps the whole configuration in force when a file is broken, and says what is wrong', async () => {
    dir = mkdtempSync(join(tmpdir(), 'aaisp-reload-'));
    writeAccounts('home', 'office');
    writePassword('home', RIGHT);
    writePassword('office', RIGHT);
    await start();
    const before = await scrapeUntil(
      'both accounts collected',
      (s) =>
        sampleValue(s, 'aaisp_broadband_lines', { account: 'home' }) === 2 &&
        sampleValue(s, 'aaisp_broadband_lines', { account: 'office' }) === 2,
    );
    const startedAt = sampleValue(before, 'aaisp_exporter_config_last_reload_success_timestamp_seconds');
    expect(startedAt).toBeGreaterThan(0);

    // office's password file is gone, and a third account is half written.
    rmSync(join(dir, 'office.password'));
    writeFileSync(
      join(dir, 'accounts.yaml'),
      `accounts:\n${account('home')}${account('office')}  - name: shop\n    control_login: [`,
    );
    const outcome = await app?.reload('SIGHUP');
    expect(outcome?.ok).toBe(false);
    const problems = outcome !== undefined && !outcome.ok ? outcome.problems : [];
    expect(problems.map((problem) => problem.variable)).toEqual(['AAISP_EXPORTER_CONFIG_FILE']);

    const after = await scrape();
    expect(sampleValue(after, 'aaisp_exporter_config_last_reload_successful')).toBe(0);
    expect(sampleValue(after, 'aaisp_exporter_config_last_reload_success_timestamp_seconds')).toBe(startedAt);
    expect(sampleValue(after, 'aaisp_broadband_lines', { account: 'home' })).toBe(2);
    expect(sampleValue(after, 'aaisp_broadband_lines', { account: 'office' })).toBe(2);
    const document = await health();
    expect(document.config).toMatchObject({
      lastReloadSuccessful: false,
      lastReload: { trigger: 'SIGHUP' },
      problems,
    });
    expect(Object.keys(document.accounts)).toEqual(['home', 'office']);
    const refused = logs.find((line) => line.msg.startsWith('configuration reload refused'));
    expect(refused).toMatchObject({ level: 'error', trigger: 'SIGHUP', problems });

    // Fixed: the next reload applies, and the gauge says so.
    writeAccounts('home', 'office');
    writePassword('office', RIGHT);
    expect(await app?.reload('SIGHUP')).toMatchObject({ ok: true });
    const fixed = await scrape();
    expect(sampleValue(fixed, 'aaisp_exporter_config_last_reload_successful')).toBe(1);
    expect(sampleValue(fixed, 'aaisp_exporter_config_last_reload_success_timestamp_seconds')).toBeGreaterThan(
      startedAt ?? 0,
    );
    expect(rawLogs).not.toContain(RIGHT);
  });

  it('drops a removed account’s series at once and collects an added one at once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'aaisp-reload-'));
    writeAccounts('home', 'office');
    for (const name of ['home', 'office', 'shop']) writePassword(name, RIGHT);
    await start();
    await scrapeUntil(
      'both accounts collected',
      (s) =>
        sampleValue(s, 'aaisp_broadband_lines', { account: 'home' }) === 2 &&
        sampleValue(s, 'aaisp_broadband_lines', { account: 'office' }) === 2 &&
        sampleValue(s, 'aaisp_collector_success', { account: 'office', collector: 'broadband_services' }) !==
          undefined,
    );
    const before = { ...mock?.stats().byCommand };

    writeAccounts('home', 'shop');
    expect(await app?.reload('http')).toMatchObject({ ok: true });
    const after = await scrapeUntil(
      'shop collected',
      (s) => sampleValue(s, 'aaisp_broadband_lines', { account: 'shop' }) === 2,
    );
    // Every series of office is gone, the self-metrics' too; home's stay.
    expect(seriesOf(after, 'office')).toEqual([]);
    expect(sampleValue(after, 'aaisp_broadband_lines', { account: 'home' })).toBe(2);
    expect(sampleValue(after, 'aaisp_account_auth_paused', { account: 'shop' })).toBe(0);
    await waitFor('shop’s other tiers', async () =>
      (mock?.stats().byCommand['broadband/services'] ?? 0) > (before['broadband/services'] ?? 0)
        ? true
        : undefined,
    );
    // One account's worth of calls: shop's. home kept its timetable.
    expect((mock?.stats().byCommand['broadband/info'] ?? 0) - (before['broadband/info'] ?? 0)).toBe(1);
    expect(Object.keys((await health()).accounts)).toEqual(['home', 'shop']);
    expect(logs.find((line) => line.msg === 'configuration reloaded')).toMatchObject({
      trigger: 'http',
      accounts: { added: ['shop'], removed: ['office'], newCredentials: [], changed: [], unchanged: 1 },
    });
  });

  it('runs one reload at a time: a second waits for the first to be applied', async () => {
    dir = mkdtempSync(join(tmpdir(), 'aaisp-reload-'));
    writeAccounts('home', 'office');
    for (const name of ['home', 'office', 'shop']) writePassword(name, RIGHT);
    await start();
    writeAccounts('home', 'office', 'shop');
    const first = app?.reload('SIGHUP');
    const second = app?.reload('http');
    const outcomes = await Promise.all([first, second]);
    expect(outcomes.map((outcome) => outcome?.ok)).toEqual([true, true]);
    const reloads = logs.filter((line) => line.msg === 'configuration reloaded');
    // The second saw the first's result: nothing left to add.
    expect(reloads.map((line) => line.accounts)).toEqual([
      { added: ['shop'], removed: [], newCredentials: [], changed: [], unchanged: 2 },
      { added: [], removed: [], newCredentials: [], changed: [], unchanged: 3 },
    ]);
    expect(reloads.map((line) => line.trigger)).toEqual(['SIGHUP', 'http']);
  });
});
