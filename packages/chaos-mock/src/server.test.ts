import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_LOGIN, infoOf, optionGroup, postForm, postJson, stateless } from '../test/helpers.ts';
import badLoginFixture from './fixtures/error-bad-control-login-minimal.json' with { type: 'json' };
import authFailedFixture from './fixtures/error-control-authorisation-failed.json' with { type: 'json' };
import {
  AUTH_FAILED,
  BAD_LOGIN,
  DEFAULT_CREDENTIALS,
  type RunningChaosMock,
  startChaosMock,
} from './index.ts';

const PASSWORD = DEFAULT_CREDENTIALS.controlPassword;

describe('startChaosMock: the wire rules of CHAOS v2 over real HTTP', () => {
  let mock: RunningChaosMock;

  beforeAll(async () => {
    mock = await startChaosMock({ lines: 4 });
  });
  afterAll(async () => {
    await mock.close();
  });
  afterEach(() => {
    mock.resetStats();
  });

  it('listens on loopback and gives a base URL with a trailing slash', () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('answers /<subsystem>/<command> with and without the /json suffix alike', async () => {
    const withSuffix = await postJson(mock.url, 'broadband/info/json');
    const without = await postJson(mock.url, 'broadband/info');
    expect(stateless(without)).toEqual(stateless(withSuffix));
    expect(infoOf(withSuffix).map((line) => line.ID)).toEqual(['32001', '32002', '32003', '32004']);
  });

  it('accepts a GET query string, and counts the credential that travelled in the URL', async () => {
    const query = new URLSearchParams(GOOD_LOGIN);
    const response = await fetch(new URL(`broadband/services/json?${query}`, mock.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ services: ['32001', '32002', '32003', '32004'] });
    expect(mock.stats().credentialsInUrl).toBe(1);
  });

  it('accepts a POST JSON body and a multipart form', async () => {
    const json = await fetch(new URL('broadband/services/json', mock.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(GOOD_LOGIN),
    });
    expect(await json.json()).toMatchObject({ services: ['32001', '32002', '32003', '32004'] });
    const form = new FormData();
    form.set('control_login', DEFAULT_CREDENTIALS.controlLogin);
    form.set('control_password', PASSWORD);
    const multipart = await fetch(new URL('broadband/services/json', mock.url), {
      method: 'POST',
      body: form,
    });
    expect(await multipart.json()).toMatchObject({ services: ['32001', '32002', '32003', '32004'] });
    expect(mock.stats().credentialsInUrl).toBe(0);
  });

  it('accepts HTTP Basic auth with a control login or an account number', async () => {
    const basic = (user: string, password: string): Promise<Response> =>
      fetch(new URL('broadband/services/json', mock.url), {
        headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
      });
    expect(await (await basic('test@a', PASSWORD)).json()).toMatchObject({
      services: ['32001', '32002', '32003', '32004'],
    });
    const account = await (await basic('A1234A', 'mock-account-password')).json();
    expect(account).toMatchObject({ services: ['32001', '32002', '32003', '32004'] });
    expect(account).toMatchObject({ request: { account_number: 'A1234A' } });
    expect(await (await basic('test@a', 'wrong')).json()).toMatchObject({ error: AUTH_FAILED });
  });

  it('accepts account-number authentication in a form body', async () => {
    const body = await postJson(mock.url, 'broadband/services/json', {
      account_number: 'A1234A',
      account_password: 'mock-account-password',
    });
    expect(body).toMatchObject({ services: ['32001', '32002', '32003', '32004'] });
    const wrong = await postJson(mock.url, 'broadband/services/json', {
      account_number: 'A1234A',
      account_password: 'x',
    });
    expect(wrong.error).toBe(AUTH_FAILED);
  });

  it('treats attribute names case-insensitively with - and _ interchangeable', async () => {
    const body = await postJson(mock.url, 'broadband/info/json', {
      'Control-Login': 'test@a',
      CONTROL_PASSWORD: PASSWORD,
      SeRvIcE: '32002',
    });
    expect(infoOf(body).map((line) => line.ID)).toEqual(['32002']);
    expect(stateless(body).request).toEqual({
      control_login: 'test@a',
      control_password: '(redacted)',
      service: '32002',
    });
  });

  it('refuses an attribute given twice, as D1 allows each only once', async () => {
    const response = await fetch(new URL(`broadband/info/json?control_login=test@a`, mock.url), {
      method: 'POST',
      body: new URLSearchParams(GOOD_LOGIN),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ error: 'Duplicate attribute control_login' });
  });

  it('never echoes a password in the request envelope, whatever the spelling: it reads "(redacted)"', async () => {
    const response = await postForm(mock.url, 'broadband/info/json', {
      'CONTROL-LOGIN': 'test@a',
      'Control-Password': PASSWORD,
    });
    const text = await response.text();
    expect(text).not.toContain(PASSWORD);
    // As in the 2024 capture (docs/chaos-api.md §11.1).
    expect(stateless(JSON.parse(text)).request).toEqual({
      control_login: 'test@a',
      control_password: '(redacted)',
    });
    const account = await postJson(mock.url, 'broadband/services/json', {
      account_number: 'A1234A',
      account_password: 'mock-account-password',
    });
    expect(JSON.stringify(account)).not.toContain('mock-account-password');
    expect(stateless(account).request).toEqual({ account_number: 'A1234A', account_password: '(redacted)' });
    const failed = await (
      await postForm(mock.url, 'broadband/info/json', { ...GOOD_LOGIN, control_password: 'hunter2' })
    ).text();
    expect(failed).not.toContain('hunter2');
  });

  it('answers a wrong password with HTTP 200 and the reference "Control authorisation failed" body', async () => {
    const response = await postForm(mock.url, 'broadband/info/json', {
      control_login: 'test@a',
      control_password: 'nope',
    });
    expect(response.status).toBe(200);
    expect(stateless(await response.json())).toEqual(stateless(authFailedFixture));
  });

  it('answers an unknown or missing login with HTTP 200, "Bad control-login" in the envelope', async () => {
    const unknown = await postForm(mock.url, 'broadband/info/json', {
      control_login: 'who@a',
      control_password: 'x',
    });
    expect(unknown.status).toBe(200);
    const body = await unknown.json();
    // The bare fixture's only key, plus the envelope (the fixture stays bare for parsers' sake).
    expect(body).toMatchObject(badLoginFixture);
    expect(optionGroup(body, 'Authentication')).toMatchObject({
      option: [{ name: 'control_login', value: 'who@a', error: BAD_LOGIN }, { name: 'control_password' }],
    });
    const missing = await postJson(mock.url, 'broadband/info/json', {});
    expect(missing.error).toBe(BAD_LOGIN);
    expect(stateless(missing).request).toEqual({});
    expect(optionGroup(missing, 'Authentication')).toMatchObject({
      option: [{ name: 'control_login', value: '', error: BAD_LOGIN }, { name: 'control_password' }],
    });
  });

  it('answers every value as a string and the line key as upper-case ID', async () => {
    const info = infoOf(await postJson(mock.url, 'broadband/info/json'));
    expect(info).toHaveLength(4);
    for (const line of info) {
      expect(line.ID).toMatch(/^\d+$/);
      expect(line).not.toHaveProperty('id');
    }
  });

  it('refuses the XML forms of CHAOS (a /xml path, an XML body) with a plain-text 501', async () => {
    const before = mock.stats().requests;
    const suffix = await postForm(mock.url, 'broadband/quota/xml');
    expect(suffix.status).toBe(501);
    expect(suffix.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await suffix.text()).toMatch(/only JSON/);
    for (const type of ['text/xml', 'application/xml; charset=utf-8', 'application/soap+xml']) {
      const body = await fetch(new URL('broadband/services', mock.url), {
        method: 'POST',
        headers: { 'content-type': type },
        body: `<chaos xmlns="https://chaos2.aa.net.uk/" control-login="test@a"><control-password>${PASSWORD}</control-password></chaos>`,
      });
      expect(body.status).toBe(501);
      expect(await body.text()).not.toContain(PASSWORD);
    }
    // Counted like SOAP's 501s: the client did call CHAOS.
    expect(mock.stats().requests).toBe(before + 4);
  });

  it('refuses SOAP with 501, unknown paths with 404 and other methods with 405', async () => {
    expect((await postForm(mock.url, 'broadband/info/soap')).status).toBe(501);
    expect((await fetch(new URL('nothing', mock.url))).status).toBe(404);
    expect((await fetch(new URL('a/b/c/d', mock.url))).status).toBe(404);
    const put = await fetch(new URL('broadband/info/json', mock.url), { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
  });

  it('answers telephony/services and telephony/info with HTTP 500 and an HTML body (no VoIP)', async () => {
    for (const command of ['telephony/services', 'telephony/info']) {
      const response = await postForm(mock.url, `${command}/json`, { ...GOOD_LOGIN, service: '01632960002' });
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toBe('text/html');
      expect(await response.text()).toMatch(/^<!DOCTYPE html>/);
    }
  });

  it('answers "Unknown command" for the domain, email and sim subsystems and for unknown commands', async () => {
    for (const path of ['domain/services', 'email/info', 'sim/services', 'broadband/teleport', 'vpn/info']) {
      const body = await postJson(mock.url, `${path}/json`);
      expect(body.error).toBe('Unknown command');
      const [subsystem, command] = path.split('/');
      expect(body).toMatchObject({ subsystem, command, request: { control_login: 'test@a' } });
    }
  });

  it('counts requests per command, write commands, and credentials in URLs', async () => {
    await postJson(mock.url, 'broadband/info/json');
    await postJson(mock.url, 'broadband/info');
    await postJson(mock.url, 'broadband/kill/json', { ...GOOD_LOGIN, service: '32003' });
    await postJson(mock.url, 'login/adjust/json', { ...GOOD_LOGIN, service: 'test@a' });
    await fetch(
      new URL(`broadband/quota/json?control_password=${PASSWORD}&control_login=test%40a`, mock.url),
    );
    expect(mock.stats()).toEqual({
      requests: 5,
      byCommand: { 'broadband/info': 2, 'broadband/kill': 1, 'login/adjust': 1, 'broadband/quota': 1 },
      writes: 2,
      writesByCommand: { 'broadband/kill': 1, 'login/adjust': 1 },
      credentialsInUrl: 1,
    });
    mock.resetStats();
    expect(mock.stats()).toEqual({
      requests: 0,
      byCommand: {},
      writes: 0,
      writesByCommand: {},
      credentialsInUrl: 0,
    });
  });

  it('refuses a request body over 1 MiB with 413 and keeps serving', async () => {
    const response = await fetch(new URL('broadband/info/json', mock.url), {
      method: 'POST',
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
    expect((await postForm(mock.url, 'broadband/info/json')).status).toBe(200);
  });

  it('is strict about paths: empty segments, a trailing slash or capitals are 404', async () => {
    for (const path of [
      '/broadband//info',
      '//broadband/info/json',
      '/broadband/info/',
      '/Broadband/Info/json',
    ]) {
      const response = await fetch(`${mock.url.slice(0, -1)}${path}`, {
        method: 'POST',
        body: new URLSearchParams(GOOD_LOGIN),
      });
      expect(response.status).toBe(404);
    }
    expect(mock.stats().requests).toBe(0);
  });

  it('counts a credential in the URL even when the path is wrong', async () => {
    await fetch(new URL(`nowhere?control_password=${PASSWORD}`, mock.url));
    expect(mock.stats()).toMatchObject({ requests: 0, credentialsInUrl: 1 });
  });

  it('refuses a login sent both in HTTP Basic and in the body', async () => {
    const response = await fetch(new URL('broadband/info/json', mock.url), {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('test@a:wrong').toString('base64')}` },
      body: new URLSearchParams(GOOD_LOGIN),
    });
    expect(await response.json()).toMatchObject({ error: 'Duplicate attribute control_login' });
  });

  it('trims attribute names, so a padded password name is still never echoed', async () => {
    const text = await (
      await postForm(mock.url, 'broadband/info/json', {
        ' control_login': 'test@a',
        'control_password ': PASSWORD,
      })
    ).text();
    expect(text).not.toContain(PASSWORD);
    expect(stateless(JSON.parse(text)).request).toEqual({
      control_login: 'test@a',
      control_password: '(redacted)',
    });
  });

  it('answers a malformed multipart body with an error, not a crash', async () => {
    const response = await fetch(new URL('broadband/info/json', mock.url), {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: 'this is not multipart',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ error: 'Request multipart body is malformed' });
  });

  it('refuses account auth with a control login that is not the account’s', async () => {
    const body = await postJson(mock.url, 'broadband/services/json', {
      account_number: 'A1234A',
      account_password: 'mock-account-password',
      control_login: 'someone-else@a',
    });
    expect(body.error).toBe(BAD_LOGIN);
    expect(body).not.toHaveProperty('services');
  });

  it('refuses a known scenario option of the wrong type on /_mock/scenario', async () => {
    const response = await fetch(new URL('_mock/scenario', mock.url), {
      method: 'POST',
      body: JSON.stringify({ name: 'slow', options: { delayMs: '500' } }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'option delayMs must be a number' });
    expect(mock.scenario().name).toBe('normal');
  });

  it('is steerable from another process through /_mock/scenario and /_mock/stats', async () => {
    const set = await fetch(new URL('_mock/scenario', mock.url), {
      method: 'POST',
      body: JSON.stringify({ name: 'rate-limit', options: { retryAfterSeconds: 7 } }),
    });
    expect(await set.json()).toEqual({ name: 'rate-limit', options: { retryAfterSeconds: 7 } });
    const limited = await postForm(mock.url, 'broadband/info/json');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    const bad = await fetch(new URL('_mock/scenario', mock.url), { method: 'POST', body: '{"name":"nope"}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: expect.stringContaining('unknown chaos-mock scenario "nope"'),
    });
    await fetch(new URL('_mock/scenario', mock.url), { method: 'POST', body: '{"name":"normal"}' });
    const stats = await (await fetch(new URL('_mock/stats', mock.url))).json();
    expect(stats).toMatchObject({ requests: 1, byCommand: { 'broadband/info': 1 } });
  });
});

describe('startChaosMock options and lifecycle', () => {
  it('accepts its own credentials and refuses the defaults', async () => {
    const mock = await startChaosMock({ credentials: { controlLogin: 'me@a', controlPassword: 's3cret' } });
    try {
      const mine = await postJson(mock.url, 'broadband/services/json', {
        control_login: 'me@a',
        control_password: 's3cret',
      });
      // The default set: seven lines, the capture-shaped 32007 last.
      expect(mine.services).toHaveLength(7);
      const defaults = await postJson(mock.url, 'broadband/services/json');
      expect(defaults.error).toBe(BAD_LOGIN);
      expect(defaults).not.toHaveProperty('services');
    } finally {
      await mock.close();
    }
  });

  it('serves hand-written lines', async () => {
    const mock = await startChaosMock({
      lines: [{ title: 'My line', traits: [], info: { ID: '99', login: 'me@a.1', tx_rate: '1000' } }],
    });
    try {
      const body = await postJson(mock.url, 'broadband/info/json');
      expect(infoOf(body)).toEqual([{ ID: '99', login: 'me@a.1', tx_rate: '1000' }]);
    } finally {
      await mock.close();
    }
  });

  it('rejects bad options before listening', async () => {
    await expect(startChaosMock({ lines: -1 })).rejects.toThrow(RangeError);
    await expect(startChaosMock({ lines: 1.5 })).rejects.toThrow(RangeError);
    // @ts-expect-error: an unknown scenario name is a type error, and a run-time one too.
    await expect(startChaosMock({ scenario: 'nope' })).rejects.toThrow(TypeError);
    await expect(startChaosMock({ scenario: 'slow', scenarioOptions: { delayMs: -5 } })).rejects.toThrow(
      RangeError,
    );
  });

  it('close() drops a request held by the timeout scenario instead of waiting for it', async () => {
    const held = await startChaosMock({ scenario: 'timeout' });
    const attempt = postForm(held.url, 'broadband/info/json').then(
      (response) => response.status,
      (error: unknown) => (error instanceof Error ? error.name : 'unknown'),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(held.stats().requests).toBe(1);
    await held.close();
    expect(await attempt).toBe('TypeError');
  });

  it('keeps every mock’s lines its own: changing one mock’s lines() cannot reach another', async () => {
    const first = await startChaosMock({ lines: 4 });
    const second = await startChaosMock({ lines: 4 });
    try {
      const line = first.lines()[0];
      expect(Object.isFrozen(line?.info)).toBe(true);
      expect(() => {
        if (line) Reflect.set(line.info, 'tx_rate', 'MUTATED');
        Reflect.set(first.lines(), 'length', 0);
      }).not.toThrow();
      expect(first.lines()).toHaveLength(4);
      expect(infoOf(await postJson(second.url, 'broadband/info/json'))[0]?.tx_rate).toBe('1000000000');
      expect(Object.isFrozen(DEFAULT_CREDENTIALS)).toBe(true);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('fails to start on a port already in use, and close() is idempotent', async () => {
    const first = await startChaosMock();
    const port = Number(new URL(first.url).port);
    await expect(startChaosMock({ port })).rejects.toThrow(/EADDRINUSE/);
    await first.close();
    await first.close();
    await expect(fetch(first.url)).rejects.toThrow();
  });
});
