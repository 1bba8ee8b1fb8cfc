import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChaosClient } from '@aaisp/chaos-client';
import { CQM_CSV_HEADER, cqmSecret, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockCqmLines } from '../demo/demo.ts';
import { cqmLinkParts, withoutName } from './cqm-record.ts';
import { type RecordAccount, recordAccounts } from './record.ts';

const LOGIN = 'rec42@a';
const PASSWORD = 'Record-Test-Pa55!';
const NOW = Date.UTC(2026, 0, 20, 12, 0, 0);

describe('record: each configured CQM CSV, with the link removed', () => {
  let mock: RunningChaosMock;
  let dir: string;
  let account: RecordAccount;

  beforeAll(async () => {
    mock = await startChaosMock({
      lines: 3,
      credentials: { controlLogin: LOGIN, controlPassword: PASSWORD },
      cqm: { now: () => NOW },
    });
    const lines = mockCqmLines(mock).map((line) =>
      // A revoked link: the mock answers 404 to a wrong secret.
      line.lineId === '32003'
        ? { ...line, url: line.url.replace(cqmSecret('32003'), 'WRONGwrongWRONG0') }
        : line,
    );
    account = {
      name: 'home',
      client: createChaosClient({
        auth: { controlLogin: LOGIN, controlPassword: PASSWORD },
        baseUrl: mock.url,
        retry: 0,
      }),
      login: LOGIN,
      secrets: [PASSWORD],
      cqm: lines,
    };
  });
  afterAll(async () => {
    await mock.close();
  });
  beforeEach(async () => {
    mock.setScenario('normal');
    dir = await mkdtemp(join(tmpdir(), 'aaisp-record-cqm-'));
    return () => rm(dir, { recursive: true, force: true });
  });

  /** Every file's path and content under the output directory. */
  const everything = async (): Promise<string> => {
    const files = await readdir(dir, { recursive: true, withFileTypes: true });
    const texts = await Promise.all(
      files
        .filter((entry) => entry.isFile())
        .map(
          async (entry) =>
            `${join(entry.parentPath, entry.name)}\n${await readFile(join(entry.parentPath, entry.name), 'utf8')}`,
        ),
    );
    return texts.join('\n');
  };

  it('writes each line’s CSV as sent, an error record for a bad link, and no secret anywhere', async () => {
    const recorded = await recordAccounts({ accounts: [account], outDir: dir, version: '9.9.9' });
    const cqm = recorded.filter((entry) => entry.command === 'cqm/csv');
    expect(cqm.map((entry) => [entry.file.slice(dir.length), entry.outcome])).toEqual([
      ['/home/cqm-32001.csv', 'ok'],
      ['/home/cqm-32002.csv', 'ok'],
      ['/home/cqm-32003.error.json', 'error'],
    ]);
    const csv = (await readFile(join(dir, 'home', 'cqm-32002.csv'), 'utf8')).split('\n');
    expect(csv[0]).toBe(CQM_CSV_HEADER);
    // 24 h of 100 s samples and the trailing newline, as the mock sent them.
    expect(csv).toHaveLength(866);
    expect(csv[864]?.startsWith('2026-01-20 11:58:20,100,100,20,')).toBe(true);
    const error = JSON.parse(await readFile(join(dir, 'home', 'cqm-32003.error.json'), 'utf8'));
    expect(error).toMatchObject({
      command: 'cqm/csv',
      line_id: '32003',
      outcome: 'error',
      error: { kind: 'http', status: 404 },
    });
    expect(error.error.message).toBe(
      'CQM 127.0.0.1/cqmdirect.cgi/…/line32003.csv: http 404'.replace('127.0.0.1', new URL(mock.url).host),
    );
    // CHAOS was recorded as usual beside it.
    expect(recorded.find((entry) => entry.command === 'broadband/info')?.outcome).toBe('ok');
    const all = await everything();
    for (const line of account.cqm ?? []) {
      expect(all).not.toContain(line.url);
      for (const secret of cqmLinkParts(line.url).secrets) expect(all).not.toContain(secret);
    }
    expect(all).not.toContain(PASSWORD);
    expect(await readFile(join(dir, 'README.txt'), 'utf8')).toContain('cqm-<line_id>.csv');
  });

  it('a CQM outage is recorded as errors and leaves the CHAOS records alone', async () => {
    mock.setScenario('http-500', { commands: ['cqm/csv'] });
    const recorded = await recordAccounts({ accounts: [account], outDir: dir, version: '9.9.9' });
    expect(recorded.filter((entry) => entry.command === 'cqm/csv').map((entry) => entry.outcome)).toEqual([
      'error',
      'error',
      'error',
    ]);
    const chaos = Object.fromEntries(recorded.map((entry) => [entry.command, entry.outcome]));
    expect([chaos['broadband/info'], chaos['broadband/quota'], chaos['broadband/services']]).toEqual([
      'ok',
      'ok',
      'ok',
    ]);
    const all = await everything();
    for (const line of account.cqm ?? []) expect(all).not.toContain(cqmSecret(line.lineId));
  });
});

describe('cqmLinkParts and withoutName', () => {
  const line = {
    lineId: '32001',
    url: 'https://control.aa.net.uk/cqmdirect.cgi/Ab12Cd34Ef56Gh78/homer-st.csv',
  };

  it('names the link, its key segment and its name; not cqmdirect.cgi', () => {
    expect(cqmLinkParts(line.url)).toEqual({
      secrets: [line.url, line.url, 'Ab12Cd34Ef56Gh78'],
      name: 'homer-st',
    });
  });

  it('replaces the name as a whole word only', () => {
    expect(withoutName('homer-st.csv homer-street homer-st', line)).toBe(
      'line32001.csv homer-street line32001',
    );
  });
});
