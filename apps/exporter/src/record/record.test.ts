import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChaosClient } from '@aaisp/chaos-client';
import { type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RecordAccount, recordAccounts } from './record.ts';

const LOGIN = 'rec42@a';
const PASSWORD = 'Record-Test-Pa55!';

describe('record: every read command once, written redacted', () => {
  let mock: RunningChaosMock;
  let dir: string;
  let account: RecordAccount;

  beforeAll(async () => {
    mock = await startChaosMock({
      lines: 6,
      credentials: { controlLogin: LOGIN, controlPassword: PASSWORD },
    });
    account = {
      name: 'home',
      client: createChaosClient({
        auth: { controlLogin: LOGIN, controlPassword: PASSWORD },
        baseUrl: mock.url,
        retry: 0,
      }),
      login: LOGIN,
      secrets: [PASSWORD],
    };
  });
  afterAll(async () => {
    await mock.close();
  });
  beforeEach(async () => {
    mock.setScenario('normal');
    mock.resetStats();
    dir = await mkdtemp(join(tmpdir(), 'aaisp-record-'));
    return () => rm(dir, { recursive: true, force: true });
  });

  const readAll = async (): Promise<string> => {
    const files = await readdir(dir, { recursive: true, withFileTypes: true });
    const texts = await Promise.all(
      files
        .filter((entry) => entry.isFile())
        .map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')),
    );
    return texts.join('\n');
  };

  it('calls each read command once, no write, and writes one file per command plus a README', async () => {
    const recorded = await recordAccounts({ accounts: [account], outDir: dir, version: '9.9.9' });
    expect(recorded.map((entry) => entry.command)).toEqual([
      'broadband/services',
      'broadband/info',
      'broadband/quota',
      'login/services',
      'telephony/ratecard',
      'telephony/services',
      'broadband/usage',
      'login/info',
      'telephony/info',
    ]);
    const stats = mock.stats();
    expect(stats.writes).toBe(0);
    expect(stats.credentialsInUrl).toBe(0);
    for (const count of Object.values(stats.byCommand)) expect(count).toBe(1);
    // The mock account has no VoIP: telephony/services answers HTTP 500, recorded as such; with
    // no number to ask about, telephony/info is skipped.
    const outcomes = Object.fromEntries(recorded.map((entry) => [entry.command, entry.outcome]));
    expect(outcomes).toMatchObject({
      'broadband/info': 'ok',
      'telephony/services': 'error',
      'telephony/info': 'skipped',
      'login/info': 'ok',
    });
    expect((await readdir(dir)).sort()).toEqual(['README.txt', 'home']);
    expect(await readdir(join(dir, 'home'))).toHaveLength(9);
    const services = JSON.parse(await readFile(join(dir, 'home', 'telephony-services.json'), 'utf8'));
    expect(services).toMatchObject({ outcome: 'error', error: { kind: 'http', status: 500 } });
  });

  it('keeps the shape but removes passwords, masks postcodes and replaces every login', async () => {
    await recordAccounts({ accounts: [account], outDir: dir, version: '9.9.9' });
    const all = await readAll();
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('rec42');
    expect(all).not.toMatch(/ZZ99/);
    // No password key anywhere. The "Authentication" option group names its `control_password`
    // option (docs/chaos-api.md §11.1) and carries no value for it, so only keys are checked.
    expect(all).not.toMatch(/"[a-z_]*password[a-z_]*"\s*:/i);
    expect(all).not.toContain('(redacted)');
    const info = JSON.parse(await readFile(join(dir, 'home', 'broadband-info.json'), 'utf8'));
    expect(info.outcome).toBe('ok');
    expect(info.answer.info).toHaveLength(6);
    const [first] = info.answer.info;
    // The pattern of a postcode survives (a bug may hide in its spacing), its value does not.
    expect(first.postcode).toMatch(/^X+9+X? 9XX\s*$/);
    // A line login keeps its @a.n shape under a pseudonym; the same login maps to the same one.
    for (const line of info.answer.info) expect(line.login).toMatch(/^user\d+@a\.\d+$/);
    const loginInfo = JSON.parse(await readFile(join(dir, 'home', 'login-info.json'), 'utf8'));
    expect(loginInfo.params.service).toMatch(/^user\d+@a$/);
    expect(loginInfo.answer.info[0].login).toBe(loginInfo.params.service);
  });

  it('records a refusal as an error record, with the password kept out of it', async () => {
    mock.setScenario('auth-fail');
    const recorded = await recordAccounts({ accounts: [account], outDir: dir, version: '9.9.9' });
    expect(recorded.filter((entry) => entry.outcome === 'error').length).toBeGreaterThanOrEqual(6);
    const info = JSON.parse(await readFile(join(dir, 'home', 'broadband-info.json'), 'utf8'));
    expect(info).toMatchObject({ outcome: 'error', error: { kind: 'auth' } });
    expect(await readAll()).not.toContain(PASSWORD);
  });

  it('refuses a directory that is not empty, before calling CHAOS', async () => {
    await writeFile(join(dir, 'keep.txt'), 'mine');
    await expect(recordAccounts({ accounts: [account], outDir: dir, version: '9.9.9' })).rejects.toThrow(
      /not empty/,
    );
    expect(mock.stats().requests).toBe(0);
  });
});
