import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cqmRows, fetchCqmText, postForm } from '../test/helpers.ts';
import {
  AUTH_FAILED,
  CQM_CSV_HEADER,
  CQM_LOSSY_FAIL_PERCENT,
  cqmPath,
  cqmSecret,
  type RunningChaosMock,
  startChaosMock,
} from './index.ts';

const WINTER = Date.parse('2026-01-15T12:00:30Z');
const SUMMER = Date.parse('2026-07-14T16:00:30Z');
const IDS = ['32001', '32002', '32003', '32004', '32005', '32006', '32007'];

/** Resolves with how a fetch ended: its status, or the name of the error it failed with. */
async function outcome(promise: Promise<Response>): Promise<number | string> {
  try {
    const response = await promise;
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    return error instanceof Error ? error.name : 'unknown';
  }
}

describe('the fake CQM over real HTTP: GET <url>cqmdirect.cgi/<secret>/<name>.csv', () => {
  let clock = WINTER;
  let mock: RunningChaosMock;

  beforeAll(async () => {
    mock = await startChaosMock({ cqm: { now: () => clock } });
  });
  afterEach(() => {
    clock = WINTER;
    mock.setScenario('normal');
    mock.resetStats();
    for (const id of IDS) mock.setCqmQuality(id, undefined);
  });
  afterAll(async () => {
    await mock.close();
  });

  it('gives every line a URL under the server root, with the secret derived from the ID', () => {
    expect(mock.cqmUrl('32001')).toBe(`${mock.url}cqmdirect.cgi/PTcVGRjZTRbkpd8i/line32001.csv`);
    expect([...mock.cqmUrls().keys()]).toEqual(IDS);
    for (const [id, url] of mock.cqmUrls()) expect(url).toBe(new URL(cqmPath(id), mock.url).href);
    expect(() => mock.cqmUrl('99999')).toThrow(RangeError);
  });

  it('answers the header and 864 rows of 100 s, oldest first, ending with the last complete sample (winter, GMT)', async () => {
    const answer = await fetchCqmText(mock.cqmUrl('32001'));
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('text/csv; charset=utf-8');
    expect(answer.body.startsWith(`${CQM_CSV_HEADER}\n`)).toBe(true);
    const rows = cqmRows(answer.body);
    expect(rows).toHaveLength(864);
    expect(rows[0]?.[0]).toBe('2026-01-14 12:00:00');
    expect(rows.at(-1)?.[0]).toBe('2026-01-15 11:58:20');
    // Pinned: the healthy line's newest row, byte for byte.
    expect(answer.body.split('\n').at(-2)).toBe(
      '2026-01-15 11:58:20,100,100,0,15726000,16893000,17670000,1086375,9808703,1',
    );
  });

  it('writes Time as BST wall time in summer', async () => {
    clock = SUMMER;
    const rows = cqmRows((await fetchCqmText(mock.cqmUrl('32001'))).body);
    expect(rows).toHaveLength(864);
    expect(rows[0]?.[0]).toBe('2026-07-13 17:00:00');
    expect(rows.at(-1)?.[0]).toBe('2026-07-14 16:58:20');
  });

  it('repeats 01:00–01:59 when the clocks go back, and skips it when they go forward', async () => {
    clock = Date.parse('2026-10-25T12:00:00Z');
    const october = cqmRows((await fetchCqmText(mock.cqmUrl('32001'))).body).map((row) => row[0]);
    expect(october.filter((time) => time === '2026-10-25 01:00:00')).toHaveLength(2);
    expect(october.filter((time) => time?.startsWith('2026-10-25 01:'))).toHaveLength(72);
    clock = Date.parse('2026-03-29T12:00:00Z');
    const march = cqmRows((await fetchCqmText(mock.cqmUrl('32001'))).body).map((row) => row[0]);
    expect(march.filter((time) => time?.startsWith('2026-03-29 01:'))).toEqual([]);
    const before = march.indexOf('2026-03-29 00:58:20');
    expect(march[before + 1]).toBe('2026-03-29 02:00:00');
  });

  it('fills a healthy row: Period = Polls Sent = 100, %Fail 0, latency in ns, traffic in bit/s, Score 1', async () => {
    for (const row of cqmRows((await fetchCqmText(mock.cqmUrl('32001'))).body)) {
      const [, period, polls, fail, min, avg, max, rx, tx, score] = row.map(Number);
      expect([period, polls, fail, score]).toEqual([100, 100, 0, 1]);
      expect(min).toBeLessThanOrEqual(avg ?? 0);
      expect(avg).toBeLessThanOrEqual(max ?? 0);
      expect(avg).toBeGreaterThan(6e6);
      expect(avg).toBeLessThan(21e6);
      expect(rx).toBeGreaterThan(0);
      expect(tx).toBeGreaterThan(rx ?? 0);
    }
  });

  it('shows the lossy line 32002 with a constant %Fail of 20', async () => {
    const rows = cqmRows((await fetchCqmText(mock.cqmUrl('32002'))).body);
    expect(CQM_LOSSY_FAIL_PERCENT).toBe(20);
    expect(new Set(rows.map((row) => row[3]))).toEqual(new Set(['20']));
    expect(rows.every((row) => row[4] !== '')).toBe(true);
  });

  it('shows line 32003 offline 03:00–03:59 UTC as %Fail 100 rows with empty latency', async () => {
    const rows = cqmRows((await fetchCqmText(mock.cqmUrl('32003'))).body);
    expect(rows).toHaveLength(864);
    const offline = rows.filter((row) => row[3] === '100');
    expect(offline).toHaveLength(36);
    expect(offline[0]?.join(',')).toBe('2026-01-15 03:00:00,100,100,100,,,,0,0,1');
    expect(offline.at(-1)?.join(',')).toBe('2026-01-15 03:58:20,100,100,100,,,,0,0,1');
    expect(rows.filter((row) => row[3] !== '100').every((row) => row[3] === '0')).toBe(true);
    clock = SUMMER;
    const summer = cqmRows((await fetchCqmText(mock.cqmUrl('32003'))).body).filter((row) => row[3] === '100');
    expect(summer.map((row) => row[0]).slice(0, 1)).toEqual(['2026-07-14 04:00:00']);
  });

  it('shows line 32006 offline in the same hour as missing rows', async () => {
    const rows = cqmRows((await fetchCqmText(mock.cqmUrl('32006'))).body);
    expect(rows).toHaveLength(864 - 36);
    const times = rows.map((row) => row[0]);
    expect(times.filter((time) => time?.startsWith('2026-01-15 03:'))).toEqual([]);
    expect(times[times.indexOf('2026-01-15 02:58:20') + 1]).toBe('2026-01-15 04:00:00');
    expect(rows.every((row) => row[3] === '0')).toBe(true);
  });

  it('shows line 32004 with latency around 150 ms', async () => {
    const rows = cqmRows((await fetchCqmText(mock.cqmUrl('32004'))).body);
    const averages = rows.map((row) => Number(row[5]));
    const mean = averages.reduce((sum, value) => sum + value, 0) / averages.length;
    expect(mean).toBeGreaterThan(145e6);
    expect(mean).toBeLessThan(155e6);
    expect(Math.min(...rows.map((row) => Number(row[4])))).toBeGreaterThan(100e6);
  });

  it('answers a wrong secret, an unknown name or another format with the same bare 404, echoing nothing', async () => {
    const good = mock.cqmUrl('32001');
    const secret = cqmSecret('32001');
    const wrong = [
      good.replace(secret, 'AAAAAAAAAAAAAAAA'),
      good.replace('line32001', 'line32002'),
      good.replace('line32001', 'nobody'),
      good.replace('.csv', '.tsv'),
      `${mock.url}cqmdirect.cgi/${secret}`,
    ];
    const answers = await Promise.all(wrong.map((url) => fetchCqmText(url)));
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.contentType).toBe('text/html');
      expect(answer.body).toMatch(/^<!DOCTYPE html>/);
      expect(answer.body).not.toContain('cqmdirect');
      expect(answer.body).not.toContain(secret);
      expect(answer.body).not.toContain('AAAAAAAAAAAAAAAA');
    }
    expect(new Set(answers.map((answer) => answer.body)).size).toBe(1);
    expect(mock.cqmStats()).toEqual({ requests: 5, byLine: {}, notFound: 5 });
  });

  it('answers other methods with 405 (Allow: GET), good secret or not, and counts none', async () => {
    for (const url of [mock.cqmUrl('32001'), `${mock.url}cqmdirect.cgi/x/y.csv`]) {
      for (const method of ['POST', 'PUT', 'DELETE', 'HEAD']) {
        const response = await fetch(url, { method });
        expect(response.status).toBe(405);
        expect(response.headers.get('allow')).toBe('GET');
      }
    }
    expect(mock.cqmStats()).toEqual({ requests: 0, byLine: {}, notFound: 0 });
  });

  it('counts CQM requests per line apart from the CHAOS counters, and resets both', async () => {
    await fetchCqmText(mock.cqmUrl('32001'));
    await fetchCqmText(mock.cqmUrl('32001'));
    await fetchCqmText(mock.cqmUrl('32004'));
    await postForm(mock.url, 'broadband/info/json');
    expect(mock.cqmStats()).toEqual({ requests: 3, byLine: { '32001': 2, '32004': 1 }, notFound: 0 });
    expect(mock.stats()).toEqual({
      requests: 1,
      byCommand: { 'broadband/info': 1 },
      writes: 0,
      writesByCommand: {},
      credentialsInUrl: 0,
    });
    mock.resetStats();
    expect(mock.cqmStats()).toEqual({ requests: 0, byLine: {}, notFound: 0 });
  });

  it('slides with the clock: new samples appear, older rows stay byte for byte the same', async () => {
    const first = cqmRows((await fetchCqmText(mock.cqmUrl('32005'))).body);
    clock += 200_000;
    const later = cqmRows((await fetchCqmText(mock.cqmUrl('32005'))).body);
    expect(later).toHaveLength(864);
    expect(later.slice(0, -2)).toEqual(first.slice(2));
    expect(later.at(-1)?.[0]).toBe('2026-01-15 12:01:40');
  });

  it('lets a test change a line’s loss, latency and offline hour at run time, and restore it', async () => {
    mock.setCqmQuality('32001', { failPercent: 50, latencyMs: 40, offline: 'missing' });
    expect(mock.cqmQuality('32001')).toEqual({ failPercent: 50, latencyMs: 40, offline: 'missing' });
    const rows = cqmRows((await fetchCqmText(mock.cqmUrl('32001'))).body);
    expect(rows).toHaveLength(828);
    expect(new Set(rows.map((row) => row[3]))).toEqual(new Set(['50']));
    expect(Number(rows[0]?.[5])).toBeGreaterThan(35e6);
    mock.setCqmQuality('32003', { offline: undefined });
    expect(cqmRows((await fetchCqmText(mock.cqmUrl('32003'))).body).some((row) => row[3] === '100')).toBe(
      false,
    );
    mock.setCqmQuality('32001', undefined);
    expect(mock.cqmQuality('32001').failPercent).toBe(0);
    expect(() => mock.setCqmQuality('32001', { failPercent: 101 })).toThrow(RangeError);
    expect(() => mock.setCqmQuality('99999', { failPercent: 1 })).toThrow(/no line "99999"/);
  });

  it('serves CQM whatever auth-fail, empty, lines-change or schema-drift do to CHAOS', async () => {
    const healthy = (await fetchCqmText(mock.cqmUrl('32001'))).body;
    for (const name of ['auth-fail', 'empty', 'lines-change', 'schema-drift'] as const) {
      mock.setScenario(name);
      const answer = await fetchCqmText(mock.cqmUrl('32001'));
      expect(answer.status).toBe(200);
      expect(answer.body).toBe(healthy);
    }
    mock.setScenario('auth-fail');
    expect(await (await postForm(mock.url, 'broadband/info/json')).json()).toMatchObject({
      error: AUTH_FAILED,
    });
  });

  it('plays the transport faults and malformed-json on CQM too', async () => {
    const url = mock.cqmUrl('32002');
    const full = (await fetchCqmText(url)).body;
    mock.setScenario('http-500');
    const failed = await fetchCqmText(url);
    expect([failed.status, failed.contentType]).toEqual([500, 'text/html']);
    mock.setScenario('rate-limit', { retryAfterSeconds: 4 });
    const limited = await fetch(url);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '4']);
    mock.setScenario('http-502-flaky', { failEvery: 3 });
    const flaky: (number | string)[] = [];
    for (let i = 0; i < 4; i++) flaky.push(await outcome(fetch(url)));
    expect(flaky).toEqual([502, 200, 200, 502]);
    mock.setScenario('connection-reset');
    expect(await outcome(fetch(url))).toBe('TypeError');
    mock.setScenario('timeout', { hangMs: 1 });
    expect(await outcome(fetch(url))).toBe('TypeError');
    mock.setScenario('timeout');
    expect(await outcome(fetch(url, { signal: AbortSignal.timeout(50) }))).toBe('TimeoutError');
    mock.setScenario('slow', { delayMs: 1 });
    expect((await fetchCqmText(url)).body).toBe(full);
    mock.setScenario('malformed-json');
    const cut = await fetchCqmText(url);
    expect(cut.status).toBe(200);
    expect(cut.body).toBe(full.slice(0, Math.floor(full.length / 2)));
    expect(mock.cqmStats().byLine['32002']).toBe(12);
  });

  it('plays a fault for CHAOS and CQM alike by default, for CQM alone with commands: ["cqm/csv"], or for CHAOS alone with excludeCommands', async () => {
    const statuses = async (): Promise<[number, number]> => [
      (await postForm(mock.url, 'broadband/info/json')).status,
      (await fetchCqmText(mock.cqmUrl('32001'))).status,
    ];
    mock.setScenario('http-500');
    expect(await statuses()).toEqual([500, 500]);
    mock.setScenario('http-500', { commands: ['cqm/csv'] });
    expect(await statuses()).toEqual([200, 500]);
    mock.setScenario('http-500', { excludeCommands: ['cqm/csv'] });
    expect(await statuses()).toEqual([500, 200]);
    mock.setScenario('http-500', {
      commands: ['broadband/info', 'cqm/csv'],
      excludeCommands: ['broadband/info'],
    });
    expect(await statuses()).toEqual([200, 500]);
    expect(() => mock.setScenario('http-500', { excludeCommands: [] })).toThrow(/must not be empty/);
    expect(() => mock.setScenario('http-500', { excludeCommands: ['cqm'] })).toThrow(RangeError);
  });

  it('lists the mock CQM URLs and counters on GET /_mock/cqm, and takes excludeCommands on /_mock/scenario', async () => {
    await fetchCqmText(mock.cqmUrl('32007'));
    const listing = await (await fetch(new URL('_mock/cqm', mock.url))).json();
    expect(listing).toEqual({
      urls: Object.fromEntries(mock.cqmUrls()),
      stats: { requests: 1, byLine: { '32007': 1 }, notFound: 0 },
    });
    const set = await fetch(new URL('_mock/scenario', mock.url), {
      method: 'POST',
      body: JSON.stringify({ name: 'http-500', options: { excludeCommands: ['cqm/csv'] } }),
    });
    expect(await set.json()).toEqual({ name: 'http-500', options: { excludeCommands: ['cqm/csv'] } });
    expect((await fetchCqmText(mock.cqmUrl('32007'))).status).toBe(200);
    const bad = await fetch(new URL('_mock/scenario', mock.url), {
      method: 'POST',
      body: JSON.stringify({ name: 'http-500', options: { excludeCommands: 'cqm/csv' } }),
    });
    expect(await bad.json()).toEqual({
      error: 'option excludeCommands must be a list of "subsystem/command" strings',
    });
  });
});

describe('fake CQM options and determinism', () => {
  it('answers two mocks with the same clock byte for byte alike', async () => {
    const options = { cqm: { now: () => SUMMER } };
    const [one, other] = await Promise.all([startChaosMock(options), startChaosMock(options)]);
    try {
      for (const id of IDS) {
        const a = await fetchCqmText(one.cqmUrl(id));
        const b = await fetchCqmText(other.cqmUrl(id));
        expect(a.body.length).toBeGreaterThan(50_000);
        expect(a.body).toBe(b.body);
      }
    } finally {
      await one.close();
      await other.close();
    }
  });

  it('takes a short period: 10-second samples with Polls Sent 10 and whole failed polls on the lossy line', async () => {
    let clock = Date.parse('2026-01-15T12:00:05Z');
    const mock = await startChaosMock({
      lines: 2,
      cqm: { periodSeconds: 10, windowSeconds: 600, now: () => clock },
    });
    try {
      const rows = cqmRows((await fetchCqmText(mock.cqmUrl('32002'))).body);
      expect(rows).toHaveLength(60);
      expect(rows[0]?.slice(0, 4)).toEqual(['2026-01-15 11:50:00', '10', '10', '20']);
      expect(rows.at(-1)?.[0]).toBe('2026-01-15 11:59:50');
      expect((10 * Number(rows[0]?.[3])) / 100).toBe(2);
      clock += 10_000;
      expect(cqmRows((await fetchCqmText(mock.cqmUrl('32002'))).body).at(-1)?.[0]).toBe(
        '2026-01-15 12:00:00',
      );
    } finally {
      await mock.close();
    }
  });

  it('serves hand-written lines by their IDs', async () => {
    const mock = await startChaosMock({
      lines: [{ title: 'x', traits: [], info: { ID: '40001', login: 'me@a.1' } }],
      cqm: { now: () => WINTER },
    });
    try {
      expect([...mock.cqmUrls().keys()]).toEqual(['40001']);
      expect(cqmRows((await fetchCqmText(mock.cqmUrl('40001'))).body)).toHaveLength(864);
    } finally {
      await mock.close();
    }
  });

  it('refuses bad cqm options before listening', async () => {
    await expect(startChaosMock({ cqm: { periodSeconds: 0 } })).rejects.toThrow(RangeError);
    await expect(startChaosMock({ cqm: { periodSeconds: 100, windowSeconds: 50 } })).rejects.toThrow(
      RangeError,
    );
  });
});
