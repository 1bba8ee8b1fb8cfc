import { CHAOS_BASE_URL, DEFAULT_CREDENTIALS } from '@aaisp/chaos-mock';
import { createChaosHandlers } from '@aaisp/chaos-mock/msw';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChaosClientOptions,
  ChaosError,
  type ChaosResponseEvent,
  createChaosClient,
  isChaosError,
} from './index.ts';

const AUTH = {
  controlLogin: DEFAULT_CREDENTIALS.controlLogin,
  controlPassword: DEFAULT_CREDENTIALS.controlPassword,
};
const chaos = createChaosHandlers({ lines: 6 });
const server = setupServer(...chaos.handlers);

/** A client with fast retries, so the retry tests take milliseconds. */
function client(options: Partial<ChaosClientOptions> = {}) {
  return createChaosClient({ auth: AUTH, retry: { limit: 2, backoffLimitMs: 5 }, ...options });
}

async function failure(promise: Promise<unknown>): Promise<ChaosError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isChaosError(error)) throw new Error(`expected a ChaosError, got ${String(error)}`);
  return error;
}

beforeAll(() => {
  server.listen({ onUnhandledFrame: 'error' });
});
afterEach(() => {
  chaos.setScenario('normal');
  chaos.resetStats();
});
afterAll(() => {
  server.close();
});

describe('broadband.info', () => {
  it('answers every line in one call, typed, with numbers parsed and the service choices', async () => {
    const info = await client().broadband.info();
    expect(chaos.stats().byCommand).toEqual({ 'broadband/info': 1 });
    expect(info.lines.map((line) => line.id)).toEqual(['32001', '32002', '32003', '32004', '32005', '32006']);
    expect(info.lines[1]).toEqual({
      id: '32002',
      login: 'test@a.2',
      postcode: 'ZZ99 1AB',
      syncDownBps: 79_987_000,
      syncUpBps: 19_999_000,
      adjustedDownBps: 79_563_000,
      quota: {
        monthlyBytes: 200_000_000_000,
        remainingBytes: 231_845_120_448,
        updatedAt: new Date('2026-07-14T16:00:00Z'),
      },
      raw: expect.objectContaining({ ID: '32002', quota_timestamp: '2026-07-14 17:00:00' }),
    });
    // The mock titles lines "POSTCODE LOGIN", as CHAOS does (docs/chaos-api.md §11.1).
    expect(info.serviceChoices).toEqual([
      { id: '32001', title: 'ZZ99 1AA test@a.1' },
      { id: '32002', title: 'ZZ99 1AB test@a.2' },
      { id: '32003', title: 'ZZ99 1AD test@a.3' },
      { id: '32004', title: 'ZZ99 2AA test2@a.1' },
      { id: '32005', title: 'ZZ99 5XG test3@a.1' },
      { id: '32006', title: 'ZZ99 6NT test3@a.2' },
    ]);
    expect(info.skipped).toEqual([]);
  });

  it('keeps an unlimited line’s quota as monthlyBytes 0 and leaves out what CHAOS left out', async () => {
    const [unlimited, , down, noQuota, , extra] = (await client().broadband.info()).lines;
    expect(unlimited?.quota).toEqual({ monthlyBytes: 0 });
    expect(noQuota?.quota).toBeUndefined();
    expect(noQuota && 'quota' in noQuota).toBe(false);
    expect(noQuota?.postcode).toBe('ZZ99 2AA');
    expect(noQuota?.raw.postcode).toBe('ZZ99 2AA ');
    expect(down).toMatchObject({ syncDownBps: 0, syncUpBps: 0, adjustedDownBps: 0 });
    expect(extra?.raw.unknown_extra).toBe('value-32006');
  });

  it('asks for one line with service', async () => {
    const info = await client().broadband.info({ service: '32003' });
    expect(info.lines.map((line) => line.id)).toEqual(['32003']);
  });

  it('answers an empty account as no lines, not an error', async () => {
    chaos.setScenario('empty');
    expect(await client().broadband.info()).toEqual({ lines: [], serviceChoices: [], skipped: [] });
  });

  it('fails with a schema error naming the line and field for a non-digit number', async () => {
    chaos.setScenario('schema-drift');
    const error = await failure(client().broadband.info());
    expect(error.kind).toBe('schema');
    expect(error.message).toBe(
      'CHAOS broadband/info: line 32001: tx_rate: expected a string of decimal digits (and 2 more lines)',
    );
    expect(error.issues).toEqual([
      { path: ['info', 0, 'tx_rate'], message: 'expected a string of decimal digits' },
      expect.objectContaining({ path: ['info', 1, 'ID'] }),
      { path: ['info', 2, 'quota_remaining'], message: 'expected a string of decimal digits' },
    ]);
    expect(chaos.stats().requests).toBe(1);
  });

  it('with onInvalidLine "skip", keeps the good lines and reports each bad one', async () => {
    chaos.setScenario('schema-drift');
    const info = await client().broadband.info({ onInvalidLine: 'skip' });
    expect(info.lines.map((line) => line.id)).toEqual(['32004', '32005', '32006']);
    expect(info.skipped).toEqual([
      {
        index: 0,
        id: '32001',
        issues: [{ path: ['info', 0, 'tx_rate'], message: 'expected a string of decimal digits' }],
      },
      { index: 1, id: undefined, issues: [expect.objectContaining({ path: ['info', 1, 'ID'] })] },
      {
        index: 2,
        id: '32003',
        issues: [{ path: ['info', 2, 'quota_remaining'], message: 'expected a string of decimal digits' }],
      },
    ]);
  });

  it('treats a body that is not JSON as a schema error, never retried', async () => {
    chaos.setScenario('malformed-json');
    const error = await failure(client().broadband.info());
    expect(error).toMatchObject({ kind: 'schema', message: 'CHAOS broadband/info: the answer is not JSON' });
    expect(chaos.stats().requests).toBe(1);
  });
});

describe('the other read commands', () => {
  it('broadband.quota answers each line’s quota, absent for unlimited lines’ missing fields', async () => {
    const { lines } = await client().broadband.quota();
    expect(lines.map((line) => line.id)).toEqual(['32001', '32002', '32003', '32005', '32006']);
    expect(lines[0]?.quota).toEqual({ monthlyBytes: 0 });
    expect(lines[2]?.quota).toEqual({
      monthlyBytes: 100_000_000_000,
      remainingBytes: 61_234_567_890,
      updatedAt: new Date('2026-07-14T08:00:00Z'),
    });
  });

  it('broadband.services answers the line IDs, and [] for an account without lines', async () => {
    expect(await client().broadband.services()).toEqual([
      '32001',
      '32002',
      '32003',
      '32004',
      '32005',
      '32006',
    ]);
    chaos.setScenario('empty');
    expect(await client().broadband.services()).toEqual([]);
  });

  it('broadband.usage answers open records (the shape is unknown)', async () => {
    const usage = await client().broadband.usage({ service: '32002' });
    expect(usage.records).toHaveLength(3);
    expect(usage.records[0]).toEqual(expect.objectContaining({ ID: '32002', duration: '3600' }));
    expect(usage.raw).toMatchObject({ subsystem: 'broadband', command: 'usage' });
  });

  it('login.services and login.info answer the control logins', async () => {
    expect(await client().login.services()).toEqual(['test@a', 'test2@a', 'test3@a']);
    expect((await client().login.info({ service: 'test@a' })).records).toEqual([
      { login: 'test@a', lines: '3' },
    ]);
  });

  it('telephony.ratecard parses pence and keeps the raw strings', async () => {
    const card = await client().telephony.ratecard();
    expect(card.codes[2]).toEqual({
      prefix: '+447',
      rate: 'UK mobile',
      raw: { prefix: '+447', rate: 'UK mobile' },
    });
    expect(card.rates[0]).toEqual({
      rate: 'UK',
      peakPencePerMinute: 1,
      offpeakPencePerMinute: 0.5,
      weekendPencePerMinute: 0.5,
      minChargePence: 0,
      raw: { rate: 'UK', peak_ppm: '1.0', offpeak_ppm: '0.5', weekend_ppm: '0.5', min_charge: '0' },
    });
  });

  it('telephony.services and telephony.info fail with http 500 on an account without VoIP, not retried', async () => {
    expect(await failure(client().telephony.services())).toMatchObject({ kind: 'http', status: 500 });
    expect(await failure(client().telephony.info({ service: '01632960002' }))).toMatchObject({
      kind: 'http',
      status: 500,
    });
    expect(chaos.stats().requests).toBe(2);
  });
});

describe('errors: one ChaosError with a kind for every failure', () => {
  it('auth: "Control authorisation failed", never retried', async () => {
    const error = await failure(client({ auth: { ...AUTH, controlPassword: 'wrong' } }).broadband.info());
    expect(error).toMatchObject({
      kind: 'auth',
      chaosMessage: 'Control authorisation failed',
      command: 'info',
    });
    expect(chaos.stats().requests).toBe(1);
  });

  it('auth: "Bad control-login" for an unknown login', async () => {
    const error = await failure(
      client({ auth: { controlLogin: 'who@a', controlPassword: 'x' } }).broadband.info(),
    );
    expect(error).toMatchObject({ kind: 'auth', chaosMessage: 'Bad control-login' });
  });

  it('auth: account-number credentials work, and wrong ones fail as auth', async () => {
    const account = { accountNumber: 'A1234A', accountPassword: 'mock-account-password' };
    expect((await client({ auth: account }).broadband.services()).length).toBe(6);
    expect(
      await failure(client({ auth: { ...account, accountPassword: 'x' } }).broadband.services()),
    ).toMatchObject({
      kind: 'auth',
    });
  });

  it('unknown-command: a subsystem CHAOS does not have', async () => {
    const error = await failure(client().request('domain', 'services'));
    expect(error).toMatchObject({ kind: 'unknown-command', subsystem: 'domain', command: 'services' });
  });

  it('api: any other CHAOS error string', async () => {
    const error = await failure(client().broadband.info({ service: '99999' }));
    expect(error).toMatchObject({ kind: 'api', chaosMessage: 'Unknown service' });
    expect(error.message).toBe('CHAOS broadband/info: Unknown service');
  });

  it('http: a 500 is reported with its status and not retried (CHAOS’s known 500 is permanent)', async () => {
    chaos.setScenario('http-500');
    expect(await failure(client().broadband.info())).toMatchObject({ kind: 'http', status: 500 });
    expect(chaos.stats().requests).toBe(1);
  });

  it('http 502 is retried, and a flaky CHAOS succeeds on the retry', async () => {
    chaos.setScenario('http-502-flaky');
    expect((await client().broadband.info()).lines).toHaveLength(6);
    expect(chaos.stats().requests).toBe(2);
  });

  it('rate-limit: honours Retry-After, retries the read, then reports retryAfter', async () => {
    chaos.setScenario('rate-limit', { retryAfterSeconds: 0 });
    const error = await failure(client().broadband.info());
    expect(error).toMatchObject({ kind: 'rate-limit', status: 429, retryAfter: 0 });
    expect(chaos.stats().requests).toBe(3);
  });

  it('rate-limit: a Retry-After longer than maxRetryAfterMs fails at once, leaving the wait to the caller', async () => {
    chaos.setScenario('rate-limit', { retryAfterSeconds: 120, retryAfterFormat: 'http-date' });
    const error = await failure(client().broadband.info());
    expect(error.kind).toBe('rate-limit');
    expect(error.retryAfter).toBeGreaterThanOrEqual(119);
    expect(error.retryAfter).toBeLessThanOrEqual(120);
    expect(chaos.stats().requests).toBe(1);
  });

  it('network: a reset connection, retried for reads', async () => {
    chaos.setScenario('connection-reset');
    const error = await failure(client().broadband.info());
    expect(error).toMatchObject({
      kind: 'network',
      message: expect.stringMatching(/^CHAOS broadband\/info: no answer/),
    });
    expect(chaos.stats().requests).toBe(3);
  });

  it('timeout: no answer within the per-attempt timeout, retried for reads', async () => {
    chaos.setScenario('timeout');
    const error = await failure(client({ timeout: 50 }).broadband.info());
    expect(error).toMatchObject({ kind: 'timeout', message: 'CHAOS broadband/info: no answer within 50 ms' });
    expect(chaos.stats().requests).toBe(3);
  });

  it('isChaosError recognises a ChaosError by name, even from another copy of the package', () => {
    expect(isChaosError(new ChaosError('api', 'x'))).toBe(true);
    const foreign = Object.assign(new Error('x'), { name: 'ChaosError', kind: 'api' });
    expect(isChaosError(foreign)).toBe(true);
    expect(isChaosError(new Error('x'))).toBe(false);
    expect(isChaosError('ChaosError')).toBe(false);
  });
});

describe('transport', () => {
  it('POSTs a form to <subsystem>/<command>/json with the credentials in the body only', async () => {
    const seen: { method: string; url: string; type: string | null; body: string }[] = [];
    const spy: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      seen.push({
        method: request.method,
        url: request.url,
        type: request.headers.get('content-type'),
        body: await request.clone().text(),
      });
      return fetch(request);
    };
    await client({ fetch: spy }).broadband.info({ service: '32002' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.url).toBe(`${CHAOS_BASE_URL}broadband/info/json`);
    expect(seen[0]?.type).toMatch(/^application\/x-www-form-urlencoded/);
    expect(new URLSearchParams(seen[0]?.body)).toEqual(
      new URLSearchParams({
        service: '32002',
        control_login: 'test@a',
        control_password: AUTH.controlPassword,
      }),
    );
    expect(chaos.stats().credentialsInUrl).toBe(0);
  });

  it('sends the User-Agent it is given, and its own by default', async () => {
    const agents: (string | null)[] = [];
    const spy: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      agents.push(request.headers.get('user-agent'));
      return fetch(request);
    };
    await client({ fetch: spy }).broadband.services();
    await client({ fetch: spy, userAgent: 'my-bot/1.0' }).broadband.services();
    expect(agents[0]).toMatch(/^@aaisp\/chaos-client\/\d+\.\d+\.\d+$/);
    expect(agents[1]).toBe('my-bot/1.0');
  });

  it('hooks observe every attempt with subsystem, command, attempt, duration and outcome', async () => {
    chaos.setScenario('http-502-flaky');
    const requests: unknown[] = [];
    const responses: ChaosResponseEvent[] = [];
    await client({
      hooks: { onRequest: (event) => requests.push(event), onResponse: (event) => responses.push(event) },
    }).broadband.info();
    expect(requests).toEqual([
      { subsystem: 'broadband', command: 'info', attempt: 1 },
      { subsystem: 'broadband', command: 'info', attempt: 2 },
    ]);
    expect(responses).toEqual([
      {
        subsystem: 'broadband',
        command: 'info',
        attempt: 1,
        durationMs: expect.any(Number),
        outcome: 'http',
        status: 502,
      },
      {
        subsystem: 'broadband',
        command: 'info',
        attempt: 2,
        durationMs: expect.any(Number),
        outcome: 'ok',
        status: 200,
      },
    ]);
  });

  it('a hook that throws does not change the result', async () => {
    const info = await client({
      hooks: {
        onRequest: () => {
          throw new Error('observer bug');
        },
      },
    }).broadband.info();
    expect(info.lines).toHaveLength(6);
  });

  it('retry: 0 makes exactly one attempt', async () => {
    chaos.setScenario('connection-reset');
    await failure(client({ retry: 0 }).broadband.info());
    expect(chaos.stats().requests).toBe(1);
  });

  it('rethrows the caller’s abort reason, not a ChaosError, and stops retrying', async () => {
    chaos.setScenario('timeout');
    const controller = new AbortController();
    const call = client().broadband.info({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutting down')), 20);
    await expect(call).rejects.toThrow('shutting down');
    expect(chaos.stats().requests).toBe(1);
  });

  it('the client-wide signal aborts every call', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(client({ signal: controller.signal }).broadband.info()).rejects.toThrow('stopped');
  });
});

describe('request(): the escape hatch', () => {
  it('answers the validated envelope of any read command', async () => {
    const { body } = await client().request('broadband', 'services');
    expect(body).toMatchObject({ subsystem: 'broadband', command: 'services', services: expect.any(Array) });
  });

  it('refuses write commands unless allowWrite is set, without calling CHAOS', async () => {
    for (const command of ['kill', 'adjust', 'order', 'cease', 'reboot']) {
      await expect(client().request('broadband', command, { service: '32001' })).rejects.toThrow(TypeError);
    }
    expect(chaos.stats()).toMatchObject({ requests: 0, writes: 0 });
    await client().request('broadband', 'kill', { service: '32001' }, { allowWrite: true });
    expect(chaos.stats()).toMatchObject({ requests: 1, writes: 1 });
  });

  it('never retries a write, even one that may be retried as a read', async () => {
    chaos.setScenario('http-502-flaky');
    await failure(client().request('broadband', 'kill', { service: '32001' }, { allowWrite: true }));
    expect(chaos.stats().writes).toBe(1);
  });

  it('refuses credentials passed as parameters and names that are not commands', async () => {
    await expect(client().request('broadband', 'info', { 'Control-Password': 'x' })).rejects.toThrow(
      /pass credentials in options.auth/,
    );
    await expect(client().request('broadband', '../info')).rejects.toThrow(TypeError);
    expect(chaos.stats().requests).toBe(0);
  });
});

describe('what CHAOS might echo', () => {
  it('drops a password from the request echo before handing the answer out [?]', async () => {
    server.use(
      http.post(`${CHAOS_BASE_URL}broadband/services/json`, () =>
        HttpResponse.json({
          subsystem: 'broadband',
          command: 'services',
          request: { control_login: 'test@a', control_password: AUTH.controlPassword },
          services: ['1'],
        }),
      ),
    );
    try {
      const { body } = await client().request('broadband', 'services');
      expect(body.request).toEqual({ control_login: 'test@a' });
      expect(JSON.stringify(body)).not.toContain(AUTH.controlPassword);
    } finally {
      server.resetHandlers(...chaos.handlers);
    }
  });

  it('an async hook that rejects is ignored too', async () => {
    const info = await client({
      hooks: { onResponse: async () => Promise.reject(new Error('observer bug')) },
    }).broadband.info();
    expect(info.lines).toHaveLength(6);
  });
});

describe('answers from a CHAOS that strays from the known shapes [?]', () => {
  const answer = (body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}) => {
    server.use(
      http.post(`${CHAOS_BASE_URL}:subsystem/:command/json`, () =>
        HttpResponse.json(body, { status, headers }),
      ),
    );
  };
  afterEach(() => {
    server.resetHandlers();
  });

  it('an `error` that is not a string is still a failure, never an empty success', async () => {
    answer({ error: ['Control authorisation failed'] });
    expect(await failure(client().broadband.info())).toMatchObject({ kind: 'api' });
  });

  it('a CHAOS error body on a non-200 status keeps its meaning and the status', async () => {
    answer({ error: 'Control authorisation failed' }, 401);
    expect(await failure(client().broadband.info())).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('scrubs the password from any error text CHAOS sends back', async () => {
    answer({ error: `Control authorisation failed for ${AUTH.controlPassword}` });
    const error = await failure(client().broadband.info());
    expect(error.message).not.toContain(AUTH.controlPassword);
    expect(error.chaosMessage).toBe('Control authorisation failed for ***');
  });

  it('scrubs a password with quotes, backslashes or spaces in its JSON-escaped and encoded forms too', async () => {
    const password = 'pa"ss\\w rd/ü';
    const auth = { controlLogin: 'test@a', controlPassword: password };
    // A non-string CHAOS `error` is stringified, which escapes `"` and `\\`; an echo of the body is form-encoded.
    answer({
      error: {
        control_password: password,
        echo: `control_password=${new URLSearchParams({ p: password }).toString().slice(2)}`,
        url: encodeURIComponent(password),
      },
    });
    const error = await failure(client({ auth }).broadband.info());
    for (const form of [
      password,
      JSON.stringify(password).slice(1, -1),
      encodeURIComponent(password),
      new URLSearchParams({ p: password }).toString().slice(2),
    ]) {
      expect(error.message).not.toContain(form);
      expect(error.chaosMessage ?? '').not.toContain(form);
    }
    expect(error.chaosMessage).toBe('{"control_password":"***","echo":"control_password=***","url":"***"}');
  });

  it('a malformed choice or group drops only itself from serviceChoices', async () => {
    answer({
      options: [
        { title: 'Other', option: 'not a list' },
        {
          title: 'Service',
          option: [
            { name: 'service', choice: [{ title: 'All lines' }, { value: 7 }, { value: '1', title: 'L1' }] },
          ],
        },
      ],
      info: [{ ID: '1', login: 'a@a.1', postcode: '   ' }],
    });
    const info = await client().broadband.info();
    expect(info.serviceChoices).toEqual([{ id: '1', title: 'L1' }]);
    expect(info.lines[0]).toEqual({
      id: '1',
      login: 'a@a.1',
      raw: { ID: '1', login: 'a@a.1', postcode: '   ' },
    });
  });

  it('info that is not a list is a schema error', async () => {
    answer({ info: { ID: '1' } });
    expect(await failure(client().broadband.info())).toMatchObject({
      kind: 'schema',
      issues: [{ path: ['info'], message: 'expected a list' }],
    });
  });

  it('services given as objects are read by their ID or login', async () => {
    answer({ services: [{ login: 'a@a' }, 'b@a', { ID: '3' }] });
    expect(await client().login.services()).toEqual(['a@a', 'b@a', '3']);
  });

  it('usage under another key is still found as open records', async () => {
    answer({ subsystem: 'broadband', command: 'usage', request: {}, hours: [{ tx: '1' }, { tx: '2' }] });
    expect((await client().broadband.usage({ service: '1' })).records).toEqual([{ tx: '1' }, { tx: '2' }]);
  });

  it('waits out a 503’s Retry-After before retrying', async () => {
    let calls = 0;
    const times: number[] = [];
    server.use(
      http.post(`${CHAOS_BASE_URL}broadband/services/json`, () => {
        calls++;
        times.push(Date.now());
        return calls === 1
          ? new HttpResponse('busy', { status: 503, headers: { 'retry-after': '1' } })
          : HttpResponse.json({ services: ['1'] });
      }),
    );
    expect(await client().broadband.services()).toEqual(['1']);
    expect(calls).toBe(2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('an abort during the back-off stops the wait at once', async () => {
    chaos.setScenario('rate-limit', { retryAfterSeconds: 30 });
    server.resetHandlers();
    const controller = new AbortController();
    const call = client({ retry: { limit: 2, maxRetryAfterMs: 60_000 } }).broadband.info({
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('stop waiting')), 100);
    await expect(call).rejects.toThrow('stop waiting');
    expect(chaos.stats().requests).toBe(1);
  });
});

describe('createChaosClient options', () => {
  it('refuses missing credentials, a bad timeout or retry, and a base URL with credentials', () => {
    expect(() => createChaosClient({ auth: { controlLogin: 'a@a', controlPassword: '' } })).toThrow(
      TypeError,
    );
    expect(() => createChaosClient({ auth: AUTH, timeout: 0 })).toThrow(RangeError);
    expect(() => createChaosClient({ auth: AUTH, retry: -1 })).toThrow(RangeError);
    expect(() => createChaosClient({ auth: AUTH, baseUrl: 'https://u:p@chaos2.aa.net.uk/' })).toThrow(
      TypeError,
    );
    expect(() => createChaosClient({ auth: AUTH, baseUrl: 'https://chaos2.aa.net.uk/?x=1' })).toThrow(
      TypeError,
    );
  });
});
