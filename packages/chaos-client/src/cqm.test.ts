import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { cqmSecret, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fetchCqm, fetchCqmCsv } from './cqm.ts';
import type { CqmRequestEvent, CqmResponseEvent, FetchCqmOptions } from './cqm-types.ts';
import { maskCqmUrl } from './cqm-url.ts';
import { ChaosError, isChaosError } from './errors.ts';

const SECRET = 's3cr3tS3cr3tS3cr';
const HEADER = 'Time,Period,Polls Sent,%Fail,Latency Min,Av,Max,Traffic (bit/s) Rx,Tx,Score';
/** The real row of docs/chaos-api.md §11.2 (DJ's tests, 2017). */
const REAL_ROW = '2017-09-12 08:00:00,100,100,0,6376000,6807000,7345000,19670,278400,1';
const REAL_CSV = `${HEADER}\n${REAL_ROW}\n`;
const REAL_SAMPLE = {
  start: new Date('2017-09-12T07:00:00Z'),
  periodSeconds: 100,
  pollsSent: 100,
  failedRatio: 0,
  latencySeconds: { min: 0.006376, avg: 0.006807, max: 0.007345 },
  trafficBitsPerSecond: { down: 278400, up: 19670 },
  score: 1,
};

/** Everything an error could leak through: its text, JSON, inspection and whole cause chain. */
function everything(error: unknown): string {
  const parts: string[] = [String(error), inspect(error, { depth: 10 }), JSON.stringify(error) ?? ''];
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    parts.push(String(cause), cause.message, cause.stack ?? '', JSON.stringify(cause) ?? '');
  }
  return parts.join('\n');
}

async function failure(promise: Promise<unknown>): Promise<ChaosError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isChaosError(error)) throw new Error(`expected a ChaosError, got ${String(error)}`);
  return error;
}

/**
 * A real HTTP server on 127.0.0.1, so that network errors and timeouts are undici's own, the ones
 * that could carry the URL. Each test sets `respond`.
 */
describe('fetchCqm against a local HTTP server', () => {
  let server: Server;
  let url: string;
  let respond: (request: IncomingMessage, response: ServerResponse) => void;
  let requests: { method: string | undefined; path: string | undefined; userAgent: string | undefined }[];
  let requestEvents: CqmRequestEvent[];
  let responseEvents: CqmResponseEvent[];
  const masked = (): string => maskCqmUrl(url);

  /** Fast retries, hooks recording every event. */
  function fetchIt(options: FetchCqmOptions = {}) {
    return fetchCqm(url, {
      retry: { limit: 2, backoffLimitMs: 1 },
      hooks: {
        onRequest: (event) => requestEvents.push(event),
        onResponse: (event) => responseEvents.push(event),
      },
      ...options,
    });
  }
  const outcomes = () => responseEvents.map((event) => [event.attempt, event.outcome, event.status]);

  /** Answers with each of `answers` in turn, then with the last one again. */
  function answers(...list: ((response: ServerResponse) => void)[]) {
    let index = 0;
    respond = (_request, response) => {
      const answer = list[Math.min(index++, list.length - 1)];
      answer?.(response);
    };
  }
  const csv = (response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/csv' }).end(REAL_CSV);
  };
  const status =
    (code: number, headers: Record<string, string> = {}, reason?: string) =>
    (response: ServerResponse) => {
      if (reason === undefined) response.writeHead(code, headers);
      else response.writeHead(code, reason, headers);
      response.end('error page');
    };

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push({
        method: request.method,
        path: request.url,
        userAgent: request.headers['user-agent'],
      });
      // No kept-alive sockets: afterEach closes them, and a reused closed one would fail the next
      // test's first attempt.
      response.setHeader('connection', 'close');
      respond(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    url = `http://127.0.0.1:${port}/cqmdirect.cgi/${SECRET}/home.csv`;
  });
  beforeEach(() => {
    requests = [];
    requestEvents = [];
    responseEvents = [];
    answers(csv);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    // Hung answers of timeout tests must not keep the server open.
    server.closeAllConnections();
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('GETs the CSV once and parses the real 2017 row exactly', async () => {
    const data = await fetchIt();
    expect(data).toEqual({ samples: [REAL_SAMPLE], skipped: [], missingColumns: [], unknownColumns: [] });
    expect(requests).toEqual([
      {
        method: 'GET',
        path: `/cqmdirect.cgi/${SECRET}/home.csv`,
        userAgent: expect.stringMatching(/^@aaisp\/chaos-client\//),
      },
    ]);
    expect(requestEvents).toEqual([{ url: masked(), attempt: 1 }]);
    expect(responseEvents).toEqual([
      { url: masked(), attempt: 1, durationMs: expect.any(Number), outcome: 'ok', status: 200 },
    ]);
    expect(masked()).toMatch(/^127\.0\.0\.1:\d+\/cqmdirect\.cgi\/…\/home\.csv$/);
  });

  it('takes a URL object and sends the userAgent asked for', async () => {
    await fetchCqm(new URL(url), { userAgent: 'my-dashboard/1.2' });
    expect(requests.map((request) => request.userAgent)).toEqual(['my-dashboard/1.2']);
  });

  it('a 404 is an http error with its status, not retried, naming only the masked link', async () => {
    answers(status(404));
    const error = await failure(fetchIt());
    expect([error.kind, error.status, error.message]).toEqual([
      'http',
      404,
      `CQM ${masked()}: HTTP 404 Not Found`,
    ]);
    expect(requests).toHaveLength(1);
    expect(outcomes()).toEqual([[1, 'http', 404]]);
  });

  it('a 401 or 403 is kind http with its status, never auth (not a CHAOS credential failure)', async () => {
    for (const code of [401, 403]) {
      requests = [];
      answers(status(code));
      const error = await failure(fetchIt());
      expect([error.kind, error.status, requests.length]).toEqual(['http', code, 1]);
    }
  });

  it('retries a 500 and a 502, then succeeds', async () => {
    answers(status(500), status(502), csv);
    const data = await fetchIt();
    expect(data.samples).toEqual([REAL_SAMPLE]);
    expect(outcomes()).toEqual([
      [1, 'http', 500],
      [2, 'http', 502],
      [3, 'ok', 200],
    ]);
    expect(requestEvents.map((event) => event.attempt)).toEqual([1, 2, 3]);
  });

  it('gives up after the retry limit with the last attempt’s error', async () => {
    answers(status(503), status(503), status(500));
    const error = await failure(fetchIt());
    expect([error.kind, error.status]).toEqual(['http', 500]);
    expect(requests).toHaveLength(3);
    answers(status(500));
    requests = [];
    expect((await failure(fetchIt({ retry: { limit: 0 } }))).status).toBe(500);
    expect(requests).toHaveLength(1);
  });

  it('waits the Retry-After a 429 asks for, then succeeds', async () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    answers(status(429, { 'retry-after': '1' }), csv);
    const data = await fetchIt({ retry: { limit: 2, backoffLimitMs: 0 } });
    expect(data.samples).toHaveLength(1);
    expect(outcomes()).toEqual([
      [1, 'rate-limit', 429],
      [2, 'ok', 200],
    ]);
    // The back-off alone would wait 0 ms (backoffLimitMs 0): the 1 000 ms is Retry-After's.
    expect(timers).toHaveBeenCalledWith(expect.any(Function), 1000);
  });

  it('fails at once when Retry-After asks for longer than maxRetryAfterMs', async () => {
    answers(status(429, { 'retry-after': '120' }));
    const error = await failure(fetchIt());
    expect([error.kind, error.status, error.retryAfter]).toEqual(['rate-limit', 429, 120]);
    expect(error.message).toBe(`CQM ${masked()}: rate limited (HTTP 429); retry after 120 s`);
    expect(requests).toHaveLength(1);
  });

  it('a hung answer is a timeout, retried like the CHAOS client does', async () => {
    respond = () => undefined;
    const error = await failure(fetchIt({ timeout: 50, retry: { limit: 1, backoffLimitMs: 1 } }));
    expect([error.kind, error.message]).toEqual(['timeout', `CQM ${masked()}: no answer within 50 ms`]);
    expect(outcomes()).toEqual([
      [1, 'timeout', undefined],
      [2, 'timeout', undefined],
    ]);
  });

  it('a reset connection is a network error with undici’s code, its cause stripped', async () => {
    respond = (request) => request.socket.destroy();
    const error = await failure(fetchIt({ retry: { limit: 0 } }));
    expect([error.kind, error.message]).toEqual(['network', `CQM ${masked()}: no answer (UND_ERR_SOCKET)`]);
    // Only name, message and code survive, down the chain: no socket addresses, no request.
    const chain: unknown[] = [];
    for (let cause = error.cause; cause instanceof Error; cause = cause.cause) chain.push(cause);
    expect(chain.map((cause) => [String(cause), Object.keys(cause ?? {})])).toEqual([
      ['TypeError: fetch failed', ['name']],
      ['SocketError: other side closed', ['name', 'code']],
    ]);
    expect(inspect(error.cause, { depth: 10 })).not.toContain('remotePort');
    expect(outcomes()).toEqual([[1, 'network', undefined]]);
  });

  it('a body cut short after the headers is a network error', async () => {
    respond = (_request, response) => {
      response.writeHead(200, { 'content-length': '10000' });
      response.write(`${HEADER}\n`, () => response.socket?.destroy());
    };
    const error = await failure(fetchIt({ retry: { limit: 0 } }));
    expect(error.kind).toBe('network');
  });

  it('retries a body cut short after the headers: an answer counts once all of it is in', async () => {
    let calls = 0;
    respond = (_request, response) => {
      if (calls++ > 0) return csv(response);
      response.writeHead(200, { 'content-length': '10000' });
      response.write(`${HEADER}\n`, () => response.socket?.destroy());
    };
    const data = await fetchIt();
    expect(data.samples).toEqual([REAL_SAMPLE]);
    expect(outcomes()).toEqual([
      [1, 'network', undefined],
      [2, 'ok', 200],
    ]);
  });

  it('calls an injected fetch as fetch(link, { headers, signal }), once per attempt', async () => {
    const calls: [string, RequestInit | undefined][] = [];
    const data = await fetchCqm(url, {
      userAgent: 'my-dashboard/1.2',
      retry: { limit: 1, backoffLimitMs: 1 },
      fetch: async (input, init) => {
        calls.push([String(input), init]);
        return calls.length === 1 ? new Response('busy', { status: 503 }) : new Response(REAL_CSV);
      },
    });
    expect(data.samples).toEqual([REAL_SAMPLE]);
    const sent = {
      headers: { accept: 'text/csv, text/plain;q=0.9, */*;q=0.1', 'user-agent': 'my-dashboard/1.2' },
      signal: expect.any(AbortSignal),
    };
    expect(calls).toEqual([
      [url, sent],
      [url, sent],
    ]);
  });

  it('fetchCqmCsv resolves to the body as sent, unparsed, through the same request and errors', async () => {
    const body = 'Not,a CQM header\r\n  spaced , "quoted" \r\n\r\n';
    answers(status(503), (response) => {
      response.writeHead(200, { 'content-type': 'text/csv' }).end(body);
    });
    const text = await fetchCqmCsv(url, {
      retry: { limit: 2, backoffLimitMs: 1 },
      hooks: { onResponse: (event) => responseEvents.push(event) },
    });
    expect(text).toBe(body);
    expect(outcomes()).toEqual([
      [1, 'http', 503],
      [2, 'ok', 200],
    ]);
    expect(requests.map((request) => [request.method, request.userAgent])).toEqual([
      ['GET', expect.stringMatching(/^@aaisp\/chaos-client\//)],
      ['GET', expect.stringMatching(/^@aaisp\/chaos-client\//)],
    ]);

    answers(status(404, {}, `No graph ${SECRET}`));
    const error = await failure(fetchCqmCsv(url));
    expect([error.kind, error.status, error.message]).toEqual([
      'http',
      404,
      `CQM ${masked()}: HTTP 404 No graph …`,
    ]);
    expect(everything(error)).not.toContain(SECRET);
    await expect(fetchCqmCsv('not a link')).rejects.toThrow(TypeError);
  });

  it('a body that is not a CQM CSV is a schema error with issues, not retried', async () => {
    respond = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html>Log in</html>');
    };
    const error = await failure(fetchIt());
    expect(error.kind).toBe('schema');
    expect(error.message).toBe(`CQM ${masked()}: the answer is not a CQM CSV: ${error.issues[0]?.message}`);
    expect(error.issues).toEqual([{ path: [1], message: expect.stringContaining('no Time column') }]);
    expect(outcomes()).toEqual([[1, 'schema', 200]]);
  });

  it('a caller’s abort rejects with its reason, mid-attempt or while waiting to retry', async () => {
    respond = () => undefined;
    const controller = new AbortController();
    const pending = fetchIt({ signal: controller.signal });
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    const reason = new Error('shutting down');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    // An attempt ended by the caller's abort gets no response event.
    expect([requestEvents.length, responseEvents.length]).toEqual([1, 0]);

    answers(status(503, { 'retry-after': '30' }));
    const waiting = new AbortController();
    const retrying = fetchIt({ signal: waiting.signal });
    await vi.waitFor(() => expect(responseEvents).toHaveLength(1));
    waiting.abort(reason);
    await expect(retrying).rejects.toBe(reason);
    expect(requests).toHaveLength(2);
  });

  it('a hook that throws or rejects changes nothing', async () => {
    const data = await fetchCqm(url, {
      hooks: {
        onRequest: () => {
          throw new Error('broken observer');
        },
        onResponse: () => Promise.reject(new Error('broken async observer')) as never,
      },
    });
    expect(data.samples).toHaveLength(1);
  });

  describe('the secret never leaks', () => {
    const failures: [string, () => void, FetchCqmOptions?][] = [
      // The reason phrase is the server's text: here it echoes the path.
      ['http', () => answers(status(404, {}, `No graph /cqmdirect.cgi/${SECRET}/home.csv`))],
      ['http (retried)', () => answers(status(500, {}, `oops ${SECRET}`))],
      ['rate-limit', () => answers(status(429, { 'retry-after': '999' }))],
      ['network', () => (respond = (request) => request.socket.destroy())],
      ['timeout', () => (respond = () => undefined), { timeout: 50 }],
      [
        'schema',
        () =>
          (respond = (_request, response) => {
            response.end(`<html>GET ${url} not found; secret ${SECRET}</html>\n${REAL_ROW}`);
          }),
      ],
    ];

    it.each(failures)('not in a %s error, its cause chain, or a hook event', async (_kind, set, options) => {
      set();
      const error = await failure(fetchIt(options));
      expect(error.message).toContain(masked());
      expect(everything(error)).not.toContain(SECRET);
      expect(everything(error)).not.toContain(url);
      expect(JSON.stringify([requestEvents, responseEvents])).not.toContain(SECRET);
      expect(new Set([...requestEvents, ...responseEvents].map((event) => event.url))).toEqual(
        new Set([masked()]),
      );
    });

    it('not in errors an injected fetch throws, even one quoting the URL', async () => {
      const thrown = [
        new TypeError(`fetch failed for ${url}`, { cause: new Error(`GET ${encodeURI(url)}: ECONNRESET`) }),
        `a string with ${url}`,
        new ChaosError('auth', `Control authorisation failed ${SECRET}`),
      ];
      for (const value of thrown) {
        const error = await failure(
          fetchCqm(url, {
            retry: { limit: 0 },
            fetch: () => Promise.reject(value),
          }),
        );
        // Whatever the fetch threw, the kind is ours: never a CHAOS kind such as `auth`.
        expect(error.kind).toBe('network');
        expect(everything(error)).not.toContain(SECRET);
      }
    });

    it('not in the TypeError for a link that is not http(s) or carries user info', async () => {
      for (const bad of [
        `ftp://control.aa.net.uk/cqmdirect.cgi/${SECRET}/home.csv`,
        `control.aa.net.uk/cqmdirect.cgi/${SECRET}/home.csv`,
        `https://me:${SECRET}@control.aa.net.uk/cqmdirect.cgi/x/home.csv`,
      ]) {
        const error: unknown = await fetchCqm(bad, {
          fetch: () => Promise.reject(new Error('called')),
        }).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(TypeError);
        expect(everything(error)).not.toContain(SECRET);
      }
    });
  });

  it('refuses bad numbers with a RangeError before any request', async () => {
    for (const options of [
      { timeout: 0 },
      { timeout: Number.NaN },
      { timeout: 2 ** 31 },
      { retry: { limit: -1 } },
      { retry: { backoffLimitMs: Number.POSITIVE_INFINITY } },
    ]) {
      await expect(fetchCqm(url, options)).rejects.toThrow(RangeError);
    }
    expect(requests).toEqual([]);
  });
});

describe('fetchCqm against @aaisp/chaos-mock', () => {
  let mock: RunningChaosMock;
  // A fixed clock: 2026-01-20 12:00 UTC (GMT), so rows and times are known.
  const NOW = Date.UTC(2026, 0, 20, 12, 0, 0);
  const line = '32001';
  const secret = cqmSecret(line);

  beforeAll(async () => {
    mock = await startChaosMock({ lines: 3, cqm: { now: () => NOW } });
  });
  afterAll(async () => {
    await mock.close();
  });
  beforeEach(() => {
    mock.setScenario('normal');
  });

  it('gets 24 h of 100 s samples ending with the last complete one, oldest first', async () => {
    const { samples, skipped } = await fetchCqm(mock.cqmUrl(line), { retry: { limit: 0 } });
    expect(skipped).toEqual([]);
    expect(samples).toHaveLength(864);
    expect(samples.at(-1)?.start.toISOString()).toBe('2026-01-20T11:58:20.000Z');
    expect(samples[0]?.start.toISOString()).toBe('2026-01-19T12:00:00.000Z');
    const newest = samples.at(-1);
    expect([newest?.periodSeconds, newest?.pollsSent, newest?.failedRatio]).toEqual([100, 100, 0]);
    expect(newest?.latencySeconds.avg).toBeGreaterThan(0.005);
    expect(newest?.latencySeconds.avg).toBeLessThan(0.025);
  });

  it('reads the lossy line’s loss', async () => {
    const { samples } = await fetchCqm(mock.cqmUrl('32002'));
    expect(new Set(samples.map((sample) => sample.failedRatio))).toEqual(new Set([0.2]));
  });

  it('a wrong secret is an http 404, never auth, and names only the masked link', async () => {
    const url = mock.cqmUrl(line).replace(secret, 'WRONGwrongWRONG0');
    const error = await failure(fetchCqm(url, { retry: { limit: 0 } }));
    expect([error.kind, error.status]).toEqual(['http', 404]);
    expect(error.message).toContain('cqmdirect.cgi/…/line32001.csv');
    expect(everything(error)).not.toContain('WRONGwrongWRONG0');
  });

  it('retries the mock’s flaky 502 and succeeds', async () => {
    mock.setScenario('http-502-flaky', { commands: ['cqm/csv'] });
    const events: CqmResponseEvent[] = [];
    const { samples } = await fetchCqm(mock.cqmUrl(line), {
      retry: { limit: 2, backoffLimitMs: 1 },
      hooks: { onResponse: (event) => events.push(event) },
    });
    expect(samples).toHaveLength(864);
    expect(events.map((event) => [event.attempt, event.outcome, event.status])).toEqual([
      [1, 'http', 502],
      [2, 'ok', 200],
    ]);
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('the mock’s reset and hung answers are network and timeout errors without the secret', async () => {
    mock.setScenario('connection-reset', { commands: ['cqm/csv'] });
    const reset = await failure(fetchCqm(mock.cqmUrl(line), { retry: { limit: 0 } }));
    mock.setScenario('timeout', { commands: ['cqm/csv'] });
    const timeout = await failure(fetchCqm(mock.cqmUrl(line), { timeout: 100, retry: { limit: 0 } }));
    expect([reset.kind, timeout.kind]).toEqual(['network', 'timeout']);
    for (const error of [timeout, reset]) expect(everything(error)).not.toContain(secret);
  });
});
