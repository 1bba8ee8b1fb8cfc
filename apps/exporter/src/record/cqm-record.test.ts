import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChaosClient } from '@aaisp/chaos-client';
import { CQM_CSV_HEADER, cqmName, cqmSecret, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CqmLineConfig } from '../config/config.ts';
import { cqmLinkParts, cqmRedactions, maskedCqmLink } from './cqm-record.ts';
import { type RecordAccount, recordAccounts } from './record.ts';

const LOGIN = 'rec42@a';
const PASSWORD = 'Record-Test-Pa55!';
const NOW = Date.UTC(2026, 0, 20, 12, 0, 0);
/** Names a user might give their graphs: personal, one with a space (so it travels encoded). */
const NAMES: Readonly<Record<string, string>> = {
  '32001': 'Smith-Home',
  '32002': 'Flat 4 Smith',
  '32003': 'Smithy',
};

describe('record: each configured CQM CSV, with the link and its name removed', () => {
  let mock: RunningChaosMock;
  let dir: string;
  let account: RecordAccount;
  let lines: CqmLineConfig[];
  /**
   * The mock serves only `line<ID>.csv`, so this asks it for the line's own name while the
   * exporter sees the user's; for line 32002 it also makes the answer quote the link, its secret
   * and its name (as an error page or a proxy might), which must not survive either.
   */
  let fetchAsA: typeof globalThis.fetch;

  beforeAll(async () => {
    mock = await startChaosMock({
      lines: 3,
      credentials: { controlLogin: LOGIN, controlPassword: PASSWORD },
      cqm: { now: () => NOW },
    });
    lines = [...mock.cqmUrls()].map(([lineId, url]) => ({
      lineId,
      url: url.replace(cqmName(lineId), encodeURIComponent(NAMES[lineId] ?? '')),
    }));
    // A revoked link: the mock answers 404 to a wrong secret.
    lines[2] = {
      lineId: '32003',
      url: (lines[2]?.url ?? '').replace(cqmSecret('32003'), 'WRONGwrongWRONG0'),
    };
    const byUrl = new Map(lines.map((line) => [line.url, line]));
    fetchAsA = async (input, init) => {
      const line = byUrl.get(String(input));
      if (line === undefined) throw new Error('a test fetched a link it did not configure');
      const asked = String(input).replace(/[^/]*$/, `${cqmName(line.lineId)}.csv`);
      const response = await fetch(asked, init);
      if (line.lineId !== '32002') return response;
      const echo = `# asked for ${line.url} (${cqmSecret('32002')}, ${NAMES['32002']}, ${decodeURIComponent(line.url)})\n`;
      return new Response(`${await response.text()}${echo}`, { status: response.status });
    };
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
    mock.resetStats();
    dir = await mkdtemp(join(tmpdir(), 'aaisp-record-cqm-'));
    return () => rm(dir, { recursive: true, force: true });
  });

  /** Every file's path (relative to the output) and content. */
  const everything = async (): Promise<string> => {
    const files = await readdir(dir, { recursive: true, withFileTypes: true });
    const texts = await Promise.all(
      files
        .filter((entry) => entry.isFile())
        .map(async (entry) => {
          const path = join(entry.parentPath, entry.name);
          return `${path.slice(dir.length)}\n${await readFile(path, 'utf8')}`;
        }),
    );
    return texts.join('\n');
  };

  /** Nothing of any link but its masked, renamed form: no link, key, name (in any spelling). */
  const expectNoLinkIn = (text: string): void => {
    for (const line of lines) {
      expect(text).not.toContain(line.url);
      expect(text).not.toContain(decodeURIComponent(line.url));
      expect(text).not.toContain(new URL(line.url).pathname);
    }
    for (const secret of [cqmSecret('32001'), cqmSecret('32002'), 'WRONGwrongWRONG0']) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/smith|flat%204|flat 4/i);
    expect(text).not.toContain(PASSWORD);
  };

  it('writes each line’s CSV as sent, an error record for a bad link, and no link or name anywhere', async () => {
    const recorded = await recordAccounts({
      accounts: [account],
      outDir: dir,
      version: '9.9.9',
      fetch: fetchAsA,
    });
    const cqm = recorded.filter((entry) => entry.command === 'cqm/csv');
    expect(cqm.map((entry) => [entry.file.slice(dir.length), entry.outcome])).toEqual([
      ['/home/cqm-32001.csv', 'ok'],
      ['/home/cqm-32002.csv', 'ok'],
      ['/home/cqm-32003.error.json', 'error'],
    ]);
    expect(mock.cqmStats()).toMatchObject({ requests: 3, byLine: { '32001': 1, '32002': 1 }, notFound: 1 });

    const healthy = await readFile(join(dir, 'home', 'cqm-32001.csv'), 'utf8');
    expect(healthy).toBe(await (await fetch(mock.cqmUrl('32001'))).text());
    const rows = healthy.split('\n');
    expect(rows[0]).toBe(CQM_CSV_HEADER);
    // 24 h of 100 s samples and the trailing newline, as the mock sent them.
    expect(rows).toHaveLength(866);
    expect(rows[864]?.startsWith('2026-01-20 11:58:20,100,100,0,')).toBe(true);

    const lossy = (await readFile(join(dir, 'home', 'cqm-32002.csv'), 'utf8')).split('\n');
    expect(lossy[0]).toBe(CQM_CSV_HEADER);
    expect(lossy[864]?.startsWith('2026-01-20 11:58:20,100,100,20,')).toBe(true);
    // The quoted link is cut out, its name (raw, encoded) replaced: the row says which line it was.
    expect(lossy[865]).toBe('# asked for [redacted] ([redacted], line32002, [redacted])');
    expect(lossy).toHaveLength(867);

    const error = JSON.parse(await readFile(join(dir, 'home', 'cqm-32003.error.json'), 'utf8'));
    expect(error).toMatchObject({
      command: 'cqm/csv',
      line_id: '32003',
      outcome: 'error',
      error: { kind: 'http', status: 404 },
    });
    expect(error.error.message).toBe(`CQM ${new URL(mock.url).host}/cqmdirect.cgi/…/line32003.csv: http 404`);

    // CHAOS was recorded as usual beside it.
    expect(recorded.find((entry) => entry.command === 'broadband/info')?.outcome).toBe('ok');
    const all = await everything();
    expectNoLinkIn(all);
    const readme = await readFile(join(dir, 'README.txt'), 'utf8');
    expect(readme).toContain('cqm-<line_id>.csv');
    expect(readme).toContain('replaced by line<ID>');
  });

  it('saves a CSV whose header is not the known format byte for byte, for a bug report', async () => {
    // The exporter cannot read a renamed column; the user can still send A&A's CSV as it came.
    const changed = (body: string): string =>
      body.replace(',Av,', ',Mean latency,').replace(',Score\n', ',Score,New\n');
    const recorded = await recordAccounts({
      accounts: [{ ...account, cqm: lines.slice(0, 1) }],
      outDir: dir,
      version: '9.9.9',
      fetch: async (input, init) => {
        const response = await fetchAsA(input, init);
        return new Response(changed(await response.text()), { status: response.status });
      },
    });
    expect(recorded.filter((entry) => entry.command === 'cqm/csv').map((entry) => entry.outcome)).toEqual([
      'ok',
    ]);
    const saved = await readFile(join(dir, 'home', 'cqm-32001.csv'), 'utf8');
    expect(saved.split('\n')[0]).toBe(
      'Time,Period,Polls Sent,%Fail,Latency Min,Mean latency,Max,Traffic (bit/s) Rx,Tx,Score,New',
    );
    expect(saved).toBe(changed(await (await fetch(mock.cqmUrl('32001'))).text()));
  });

  it('a CQM outage (http 500) is recorded as errors and leaves the CHAOS records alone', async () => {
    mock.setScenario('http-500', { commands: ['cqm/csv'] });
    const recorded = await recordAccounts({
      accounts: [account],
      outDir: dir,
      version: '9.9.9',
      fetch: fetchAsA,
    });
    expect(recorded.filter((entry) => entry.command === 'cqm/csv').map((entry) => entry.outcome)).toEqual([
      'error',
      'error',
      'error',
    ]);
    const first = JSON.parse(await readFile(join(dir, 'home', 'cqm-32001.error.json'), 'utf8'));
    expect(first.error).toEqual({
      kind: 'http',
      status: 500,
      message: `CQM ${new URL(mock.url).host}/cqmdirect.cgi/…/line32001.csv: http 500`,
    });
    const chaos = recorded.filter((entry) => entry.command !== 'cqm/csv');
    expect(chaos).toHaveLength(9);
    const outcomes = Object.fromEntries(chaos.map((entry) => [entry.command, entry.outcome]));
    expect(outcomes).toMatchObject({
      'broadband/info': 'ok',
      'broadband/quota': 'ok',
      'broadband/services': 'ok',
      'broadband/usage': 'ok',
    });
    const info = JSON.parse(await readFile(join(dir, 'home', 'broadband-info.json'), 'utf8'));
    expect(info.answer.info).toHaveLength(3);
    expectNoLinkIn(await everything());
  });

  it('a hung CQM answer is a timeout, and a reset connection a network error, neither with the link', async () => {
    mock.setScenario('timeout', { commands: ['cqm/csv'] });
    const hung = await recordAccounts({
      accounts: [{ ...account, cqm: lines.slice(0, 1) }],
      outDir: join(dir, 'hung'),
      version: '9.9.9',
      fetch: fetchAsA,
      cqmTimeoutMs: 200,
    });
    expect(hung.filter((entry) => entry.command === 'cqm/csv').map((entry) => entry.outcome)).toEqual([
      'error',
    ]);
    const timeout = JSON.parse(await readFile(join(dir, 'hung', 'home', 'cqm-32001.error.json'), 'utf8'));
    expect(timeout.error).toEqual({
      kind: 'timeout',
      message: `CQM ${new URL(mock.url).host}/cqmdirect.cgi/…/line32001.csv: timeout`,
    });

    mock.setScenario('connection-reset', { commands: ['cqm/csv'] });
    await recordAccounts({
      accounts: [{ ...account, cqm: lines.slice(0, 1) }],
      outDir: join(dir, 'reset'),
      version: '9.9.9',
      fetch: fetchAsA,
    });
    const reset = JSON.parse(await readFile(join(dir, 'reset', 'home', 'cqm-32001.error.json'), 'utf8'));
    expect(reset.error.kind).toBe('network');
    expect(reset.error.message).toBe(`CQM ${new URL(mock.url).host}/cqmdirect.cgi/…/line32001.csv: network`);
    expectNoLinkIn(await everything());
  });

  it('fetches through the SDK: the User-Agent it is given, one attempt even for a flaky 502', async () => {
    mock.setScenario('http-502-flaky', { commands: ['cqm/csv'] });
    const agents: (string | null)[] = [];
    const recorded = await recordAccounts({
      accounts: [{ ...account, cqm: lines.slice(0, 1) }],
      outDir: dir,
      version: '9.9.9',
      userAgent: 'aaisp-exporter/9.9.9 (record)',
      fetch: async (input, init) => {
        agents.push(new Headers(init?.headers).get('user-agent'));
        return fetchAsA(input, init);
      },
    });
    expect(agents).toEqual(['aaisp-exporter/9.9.9 (record)']);
    expect(mock.cqmStats().requests).toBe(1);
    expect(recorded.filter((entry) => entry.command === 'cqm/csv').map((entry) => entry.outcome)).toEqual([
      'error',
    ]);
    const error = JSON.parse(await readFile(join(dir, 'home', 'cqm-32001.error.json'), 'utf8'));
    expect(error.error).toEqual({
      kind: 'http',
      status: 502,
      message: `CQM ${new URL(mock.url).host}/cqmdirect.cgi/…/line32001.csv: http 502`,
    });
  });

  it('mentions no CQM in the README of an account without links', async () => {
    await recordAccounts({ accounts: [{ ...account, cqm: undefined }], outDir: dir, version: '9.9.9' });
    expect(await readFile(join(dir, 'README.txt'), 'utf8')).not.toContain('cqm');
    expect((await readdir(join(dir, 'home'))).filter((name) => name.startsWith('cqm-'))).toEqual([]);
    expect(mock.cqmStats().requests).toBe(0);
  });
});

describe('cqmLinkParts, cqmRedactions and maskedCqmLink', () => {
  const line = {
    lineId: '32001',
    url: 'https://control.aa.net.uk/cqmdirect.cgi/Ab12Cd34Ef56Gh78/homer-st.csv',
  };

  it('names the link, its key segment and its name; not cqmdirect.cgi', () => {
    expect(cqmLinkParts(line.url)).toEqual({
      secrets: [line.url, 'Ab12Cd34Ef56Gh78'],
      names: ['homer-st'],
    });
    expect(cqmRedactions([line])).toEqual({
      secrets: [line.url, 'Ab12Cd34Ef56Gh78'],
      names: [{ name: 'homer-st', replacement: 'line32001' }],
    });
  });

  it('keeps a name as written and decoded, and a FireBrick date segment out of the secrets', () => {
    const firebrick =
      'https://fb.example/cqm/0123456789abcdef0123456789abcdef01234567/2026-01-20/My%20Flat.csv';
    expect(cqmLinkParts(firebrick)).toEqual({
      secrets: [
        firebrick,
        'https://fb.example/cqm/0123456789abcdef0123456789abcdef01234567/2026-01-20/My Flat.csv',
        '0123456789abcdef0123456789abcdef01234567',
      ],
      names: ['My%20Flat', 'My Flat'],
    });
  });

  it('replaces no name of digits only or under 3 characters, and treats a non-URL as one secret', () => {
    expect(cqmLinkParts('https://control.aa.net.uk/cqmdirect.cgi/Ab12Cd34Ef56Gh78/32001.csv').names).toEqual(
      [],
    );
    expect(cqmLinkParts('https://control.aa.net.uk/cqmdirect.cgi/Ab12Cd34Ef56Gh78/ab.csv').names).toEqual([]);
    expect(cqmLinkParts('not a link')).toEqual({ secrets: ['not a link'], names: [] });
  });

  it('masks a link with its name already line<ID>, whatever the name', () => {
    expect(maskedCqmLink(line)).toBe('control.aa.net.uk/cqmdirect.cgi/…/line32001.csv');
    expect(
      maskedCqmLink({ lineId: '7', url: 'https://control.aa.net.uk/cqmdirect.cgi/Ab12Cd34Ef56Gh78/ab.csv' }),
    ).toBe('control.aa.net.uk/cqmdirect.cgi/…/line7.csv');
  });
});
