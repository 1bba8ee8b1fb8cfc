import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_LOGIN, infoOf, optionGroup, postForm, postJson, stateless } from '../test/helpers.ts';
import noLines from './fixtures/broadband-info-no-lines.json' with { type: 'json' };
import servicesEmpty from './fixtures/broadband-services-empty.json' with { type: 'json' };
import { AUTH_FAILED, type RunningChaosMock, SCENARIOS, startChaosMock } from './index.ts';

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

describe('fault scenarios, switched while the mock runs, over real HTTP', () => {
  let mock: RunningChaosMock;
  const ids = async (): Promise<string[]> =>
    infoOf(await postJson(mock.url, 'broadband/info/json')).map((line) => line.ID ?? '(none)');

  beforeAll(async () => {
    mock = await startChaosMock({ lines: 6 });
  });
  afterEach(() => {
    mock.setScenario('normal');
    mock.resetStats();
  });
  afterAll(async () => {
    await mock.close();
  });

  it('knows exactly the twelve documented scenarios', () => {
    expect(SCENARIOS).toEqual([
      'normal',
      'auth-fail',
      'http-500',
      'http-502-flaky',
      'rate-limit',
      'timeout',
      'slow',
      'malformed-json',
      'schema-drift',
      'empty',
      'lines-change',
      'connection-reset',
    ]);
  });

  it('normal answers every line, and reports its scenario', async () => {
    expect(await ids()).toEqual(['32001', '32002', '32003', '32004', '32005', '32006']);
    expect(mock.scenario()).toEqual({ name: 'normal', options: {} });
  });

  it('auth-fail answers HTTP 200 "Control authorisation failed" even to good credentials, then recovers', async () => {
    mock.setScenario('auth-fail');
    const response = await postForm(mock.url, 'broadband/info/json');
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ subsystem: 'broadband', command: 'info', error: AUTH_FAILED });
    expect(stateless(body).request).toEqual({ control_login: 'test@a', control_password: '(redacted)' });
    // The same text on the control_login option (docs/chaos-api.md §11.1), and no line listed.
    expect(optionGroup(body, 'Authentication')).toMatchObject({
      option: [{ name: 'control_login', error: AUTH_FAILED }, { name: 'control_password' }],
    });
    expect(body).not.toHaveProperty('info');
    expect(JSON.stringify(body)).not.toContain('32001');
    mock.setScenario('normal');
    expect(await ids()).toHaveLength(6);
  });

  it('http-500 answers every command with HTTP 500 and an HTML body', async () => {
    mock.setScenario('http-500');
    for (const path of ['broadband/info/json', 'broadband/services/json', 'telephony/ratecard/json']) {
      const response = await postForm(mock.url, path);
      expect(response.status).toBe(500);
      expect(await response.text()).toContain('<h1>Internal Server Error</h1>');
    }
    expect(mock.stats().requests).toBe(3);
  });

  it('http-502-flaky fails every other request by default, or one in failEvery', async () => {
    mock.setScenario('http-502-flaky');
    const statuses: (number | string)[] = [];
    for (let i = 0; i < 4; i++) statuses.push(await outcome(postForm(mock.url, 'broadband/info/json')));
    expect(statuses).toEqual([502, 200, 502, 200]);
    mock.setScenario('http-502-flaky', { failEvery: 3 });
    statuses.length = 0;
    for (let i = 0; i < 4; i++) statuses.push(await outcome(postForm(mock.url, 'broadband/info/json')));
    expect(statuses).toEqual([502, 200, 200, 502]);
  });

  it('rate-limit answers 429 with Retry-After in seconds or as an HTTP date', async () => {
    mock.setScenario('rate-limit');
    const seconds = await postForm(mock.url, 'broadband/info/json');
    expect(seconds.status).toBe(429);
    expect(seconds.headers.get('retry-after')).toBe('30');
    mock.setScenario('rate-limit', { retryAfterSeconds: 120, retryAfterFormat: 'http-date' });
    const before = Date.now();
    const dated = await postForm(mock.url, 'broadband/info/json');
    expect(dated.status).toBe(429);
    const until = Date.parse(dated.headers.get('retry-after') ?? '');
    expect(until - before).toBeGreaterThan(115_000);
    expect(until - before).toBeLessThanOrEqual(121_000);
  });

  it('timeout never answers: the client gives up; with hangMs the mock resets the connection', async () => {
    mock.setScenario('timeout');
    expect(
      await outcome(
        postForm(mock.url, 'broadband/info/json', GOOD_LOGIN, { signal: AbortSignal.timeout(200) }),
      ),
    ).toBe('TimeoutError');
    mock.setScenario('timeout', { hangMs: 50 });
    expect(await outcome(postForm(mock.url, 'broadband/info/json'))).toBe('TypeError');
    expect(mock.stats().requests).toBe(2);
  });

  it('slow answers normally, only later than a short client timeout', async () => {
    mock.setScenario('slow', { delayMs: 10_000 });
    expect(
      await outcome(
        postForm(mock.url, 'broadband/info/json', GOOD_LOGIN, { signal: AbortSignal.timeout(100) }),
      ),
    ).toBe('TimeoutError');
    mock.setScenario('slow', { delayMs: 20 });
    expect(await ids()).toHaveLength(6);
  });

  it('malformed-json answers HTTP 200 with a truncated JSON body', async () => {
    mock.setScenario('malformed-json');
    const response = await postForm(mock.url, 'broadband/info/json');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(text.startsWith('{"subsystem":"broadband","command":"info"')).toBe(true);
  });

  it('schema-drift breaks one number, one ID and one quota, and leaves the other lines alone', async () => {
    const good = infoOf(await postJson(mock.url, 'broadband/info/json'));
    mock.setScenario('schema-drift');
    const drifted = infoOf(await postJson(mock.url, 'broadband/info/json'));
    expect(drifted).toHaveLength(6);
    expect(drifted[0]).toEqual({ ...good[0], tx_rate: '1 Gb/s' });
    expect(drifted[1]).not.toHaveProperty('ID');
    expect(drifted[2]?.quota_remaining).toBe('-1073741824');
    expect(drifted.slice(3)).toEqual(good.slice(3));
    const quota = await postJson(mock.url, 'broadband/quota/json');
    const entries = infoOf({ info: quota.quota });
    expect(entries[0]).toEqual({ ID: '32001', quota_monthly: '1 TB' });
    expect(entries[1]).not.toHaveProperty('ID');
    expect(entries[2]).toMatchObject({ ID: '32003', quota_remaining: '-1073741824' });
    expect(mock.lines().map((line) => line.info.ID)).toEqual(good.map((line) => line.ID));
  });

  it('empty answers an account without lines, as the no-lines fixtures show', async () => {
    mock.setScenario('empty');
    expect(stateless(await postJson(mock.url, 'broadband/info/json'))).toEqual(stateless(noLines));
    expect(stateless(await postJson(mock.url, 'broadband/services/json'))).toEqual(stateless(servicesEmpty));
    expect(await postJson(mock.url, 'broadband/quota/json')).not.toHaveProperty('quota');
    expect((await postJson(mock.url, 'login/services/json')).services).toEqual(['test@a']);
    expect(mock.lines()).toEqual([]);
  });

  it('lines-change drops the last line and adds a new one on every other answer', async () => {
    mock.setScenario('lines-change');
    const first = await ids();
    const second = await ids();
    const third = await ids();
    expect(first).toEqual(['32001', '32002', '32003', '32004', '32005', '32006']);
    expect(second).toEqual(['32001', '32002', '32003', '32004', '32005', '32007']);
    expect(third).toEqual(first);
    await ids();
    expect(mock.lines().map((line) => line.info.ID)).toEqual(second);
  });

  it('connection-reset drops the connection without an answer', async () => {
    mock.setScenario('connection-reset');
    const error = await postForm(mock.url, 'broadband/info/json').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ cause: { code: 'ECONNRESET' } });
  });

  it('plays a scenario for the listed commands only', async () => {
    mock.setScenario('http-500', { commands: ['telephony/ratecard'] });
    expect((await postForm(mock.url, 'telephony/ratecard/json')).status).toBe(500);
    expect(await ids()).toHaveLength(6);
    mock.setScenario('http-502-flaky', { commands: ['broadband/info'] });
    const statuses: (number | string)[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(await outcome(postForm(mock.url, 'broadband/info/json')));
      statuses.push(await outcome(postForm(mock.url, 'broadband/quota/json')));
    }
    expect(statuses).toEqual([502, 200, 200, 200, 502, 200]);
  });

  it('answers transport faults before checking credentials', async () => {
    mock.setScenario('rate-limit');
    const response = await postForm(mock.url, 'broadband/info/json', {
      control_login: 'test@a',
      control_password: 'wrong',
    });
    expect(response.status).toBe(429);
  });

  it('refuses an unknown scenario or a bad option and keeps the current one', () => {
    mock.setScenario('slow', { delayMs: 5 });
    // @ts-expect-error: not a scenario name
    expect(() => mock.setScenario('meltdown')).toThrow(/unknown chaos-mock scenario "meltdown"/);
    expect(() => mock.setScenario('http-502-flaky', { failEvery: 0 })).toThrow(RangeError);
    expect(mock.scenario()).toEqual({ name: 'slow', options: { delayMs: 5 } });
  });

  it('counts every request a scenario answered, whatever it answered, and never a write', async () => {
    const seen: Record<string, number | string> = {};
    for (const scenario of SCENARIOS) {
      mock.setScenario(
        scenario,
        scenario === 'timeout' ? { hangMs: 1 } : scenario === 'slow' ? { delayMs: 1 } : {},
      );
      seen[scenario] = await outcome(postForm(mock.url, 'broadband/info/json'));
    }
    expect(seen).toEqual({
      normal: 200,
      'auth-fail': 200,
      'http-500': 500,
      'http-502-flaky': 502,
      'rate-limit': 429,
      timeout: 'TypeError',
      slow: 200,
      'malformed-json': 200,
      'schema-drift': 200,
      empty: 200,
      'lines-change': 200,
      'connection-reset': 'TypeError',
    });
    expect(mock.stats()).toMatchObject({
      requests: SCENARIOS.length,
      byCommand: { 'broadband/info': SCENARIOS.length },
      writes: 0,
      credentialsInUrl: 0,
    });
  });

  it('refuses commands that are empty or not "subsystem/command", and fractional numbers', () => {
    expect(() => mock.setScenario('http-500', { commands: [] })).toThrow(/must not be empty/);
    expect(() => mock.setScenario('http-500', { commands: ['broadband/info/json'] })).toThrow(
      /"broadband\/info\/json" is not "subsystem\/command"/,
    );
    expect(() => mock.setScenario('rate-limit', { retryAfterSeconds: 1.5 })).toThrow(RangeError);
    expect(() => mock.setScenario('http-502-flaky', { failEvery: 1.5 })).toThrow(RangeError);
    expect(mock.scenario().name).toBe('normal');
  });

  it('malformed-json also cuts error bodies', async () => {
    mock.setScenario('malformed-json');
    const error = await (await postForm(mock.url, 'domain/info/json')).text();
    expect(() => JSON.parse(error)).toThrow(SyntaxError);
  });

  it('a request in flight when the scenario switches answers as it began but leaves the new scenario alone', async () => {
    mock.setScenario('slow', { delayMs: 150 });
    const late = postJson(mock.url, 'broadband/info/json');
    await new Promise((resolve) => setTimeout(resolve, 50));
    mock.setScenario('empty');
    expect(infoOf(await late)).toHaveLength(6);
    expect(mock.lines()).toEqual([]);
    mock.setScenario('slow', { delayMs: 150 });
    const inFlight = postJson(mock.url, 'broadband/info/json');
    await new Promise((resolve) => setTimeout(resolve, 50));
    mock.setScenario('lines-change');
    await inFlight;
    // The alternation starts from the line set, untouched by the request that began earlier.
    expect(await ids()).toEqual(['32001', '32002', '32003', '32004', '32005', '32006']);
    expect(await ids()).toEqual(['32001', '32002', '32003', '32004', '32005', '32007']);
  });
});
