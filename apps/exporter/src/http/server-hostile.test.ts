import { get as httpGet } from 'node:http';
import { connect } from 'node:net';
import { broadbandLines, lineCount } from '@aaisp/collectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/test-server.ts';
import { lineRowsOf } from '../status-page/line-summary.ts';
import { createSnapshotStore } from '../store/snapshot.ts';

/**
 * Short limits so the slow-client tests finish quickly; the assertions only say "closed before
 * a generous sanity limit", never how fast.
 */
const TIMEOUTS = { headersMs: 1_000, requestMs: 2_000, keepAliveMs: 1_000, checkIntervalMs: 200 };
/** Far above every limit above: a socket still open then was not closed by them at all. */
const SANITY_MS = 8_000;

interface Exchange {
  /** Everything the server sent. */
  readonly response: string;
  /** Whether the server closed the socket before `waitMs`. */
  readonly closed: boolean;
}

/**
 * Sends `data` on a raw socket (optionally dripping `drip.text` every `drip.everyMs`), and
 * collects the answer until the server closes the socket or `waitMs` passes.
 */
function exchange(
  port: number,
  data: string,
  options: {
    readonly waitMs?: number;
    readonly drip?: { readonly text: string; readonly everyMs: number };
  } = {},
): Promise<Exchange> {
  return new Promise((resolve) => {
    let response = '';
    let drip: NodeJS.Timeout | undefined;
    const socket = connect(port, '127.0.0.1', () => {
      if (data !== '') socket.write(data);
      if (options.drip !== undefined) {
        const { text, everyMs } = options.drip;
        drip = setInterval(() => {
          if (!socket.destroyed) socket.write(text);
        }, everyMs);
      }
    });
    const timer = setTimeout(() => finish(false), options.waitMs ?? 5_000);
    function finish(closed: boolean): void {
      clearTimeout(timer);
      clearInterval(drip);
      socket.destroy();
      resolve({ response, closed });
    }
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      response += chunk;
    });
    // The server may close while we still write (an oversized request): that is its answer.
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true));
  });
}

const statusOf = (response: string): number => Number(/^HTTP\/1\.1 (\d{3}) /.exec(response)?.[1] ?? 0);
const request = (method: string, target: string, headers = ''): string =>
  `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Connection: close\r\n\r\n`;

/** One GET on a new connection; the status, or 0 when the request failed. */
function status(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const req = httpGet(url, { agent: false, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.setTimeout(5_000, () => req.destroy());
  });
}

describe('the server under hostile input', () => {
  const store = createSnapshotStore({ summarize: lineRowsOf });
  let server: TestServer;
  let port = 0;
  let base = '';
  /** A well-behaved scraper running beside every test: each of its statuses. */
  const background: number[] = [];
  let stopBackground = false;
  let backgroundLoop: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    server = await startTestServer({ store, timeouts: TIMEOUTS });
    port = server.port;
    base = server.base;
    store.set({
      account: 'default',
      collector: broadbandLines,
      collectedAtMs: Date.now(),
      maxAgeMs: 3_600_000,
      samples: [{ metric: lineCount.name, labels: {}, value: 1 }],
    });
    backgroundLoop = (async () => {
      while (!stopBackground) {
        background.push(await status(`${base}/metrics`));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
  });
  afterAll(async () => {
    stopBackground = true;
    await backgroundLoop;
    await server.close();
  });

  it('answers a 64 KiB URL with 414 or 431, then serves a normal request', async () => {
    const { response } = await exchange(port, request('GET', `/${'a'.repeat(64 * 1024)}`));
    expect([414, 431]).toContain(statusOf(response));
    expect(await status(`${base}/metrics`)).toBe(200);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'TRACE', 'OPTIONS', 'PROPFIND'])(
    '%s on /metrics gets 405 with Allow: GET, HEAD',
    async (method) => {
      const body = method === 'TRACE' ? '' : 'Content-Length: 5\r\n';
      const { response } = await exchange(port, `${request(method, '/metrics', body)}${body ? 'hello' : ''}`);
      expect(statusOf(response)).toBe(405);
      expect(response).toMatch(/\r\nallow: GET, HEAD\r\n/i);
    },
  );

  it('answers CONNECT with 405 and opens no tunnel', async () => {
    const { response, closed } = await exchange(
      port,
      'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\nSSH-2.0-probe\r\n',
    );
    expect(statusOf(response)).toBe(405);
    expect(response).toMatch(/\r\nallow: GET, HEAD\r\n/i);
    expect(response).not.toContain('SSH');
    expect(closed).toBe(true);
  });

  it.each([
    ['an unknown method', 'FOO /metrics HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a lower-case method', 'get /metrics HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a method with a control character', 'G\x01T /metrics HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['no method', '/metrics HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['binary garbage', '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n'],
    ['a NUL in the path', 'GET /metrics\x00 HTTP/1.1\r\nHost: x\r\n\r\n'],
  ])('answers %s with 400', async (_title, data) => {
    const { response } = await exchange(port, data);
    expect(statusOf(response)).toBe(400);
  });

  it.each([
    ['garbage', 'garbage'],
    ['a huge list', 'text/plain;q=0.1,'.repeat(600)],
    ['a bad q value', '*/*;q=abc'],
    ['only punctuation', ';;;,,,==//'],
    ['JSON', 'application/json'],
  ])('serves the text format for an Accept of %s', async (_title, accept) => {
    const { response } = await exchange(port, request('GET', '/metrics', `Accept: ${accept}\r\n`));
    expect(statusOf(response)).toBe(200);
    expect(response).toMatch(/\r\ncontent-type: text\/plain; version=0\.0\.4; charset=utf-8\r\n/i);
    expect(response).toContain('aaisp_broadband_lines 1');
  });

  it.each([
    ['/../../etc/passwd', 404],
    ['/%2e%2e/%2e%2e/etc/passwd', 404],
    ['/metrics/../health', 404],
    ['/metrics/../../../../etc/passwd', 404],
    ['//metrics', 404],
    ['/metrics%00', 404],
    ['/metrics%2f..%2f..%2fetc%2fpasswd', 404],
    ['/..%5c..%5cetc%5cpasswd', 404],
    ['/etc/passwd', 404],
    ['http://127.0.0.1/../../etc/passwd', 404],
    ['/nope?x=1', 404],
    ['/metrics/', 404],
    ['/metrics?file=../../etc/passwd', 200],
    ['/health#../../etc/passwd', 200],
  ])('%s gets %i and never a file', async (target, expected) => {
    const { response } = await exchange(port, request('GET', target));
    expect(statusOf(response)).toBe(expected);
    expect(response).not.toContain('root:');
  });

  it('serves a request with 200 modest headers', async () => {
    const headers = Array.from({ length: 200 }, (_, index) => `X-Flood-${index}: ${'v'.repeat(40)}\r\n`).join(
      '',
    );
    const { response } = await exchange(port, request('GET', '/metrics', headers));
    expect(statusOf(response)).toBe(200);
  });

  it.each([
    ['one 20 KiB header', `X-Big: ${'b'.repeat(20 * 1024)}\r\n`],
    [
      '400 headers of 60 bytes',
      Array.from({ length: 400 }, (_, index) => `X-F-${index}: ${'v'.repeat(50)}\r\n`).join(''),
    ],
  ])('answers %s with 431', async (_title, headers) => {
    const { response } = await exchange(port, request('GET', '/metrics', headers));
    expect(statusOf(response)).toBe(431);
  });

  it('closes a slowloris connection (a header line at a time, never finished) by the headers timeout', async () => {
    const { response, closed } = await exchange(port, 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n', {
      waitMs: SANITY_MS,
      drip: { text: 'X-Slow: 1\r\n', everyMs: 250 },
    });
    expect(closed).toBe(true);
    expect(response === '' || statusOf(response) === 408).toBe(true);
  });

  it('closes a connection that never sends a byte', async () => {
    const { closed } = await exchange(port, '', { waitMs: SANITY_MS });
    expect(closed).toBe(true);
  });

  it.each([
    ['a Content-Length body', 'Content-Length: 1000000\r\n'],
    ['a chunked body', 'Transfer-Encoding: chunked\r\n'],
  ])('closes a GET whose %s never ends, by the request timeout', async (_title, header) => {
    const { closed } = await exchange(port, `GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n${header}\r\n`, {
      waitMs: SANITY_MS,
      drip: { text: header.startsWith('Transfer') ? '1\r\nx\r\n' : 'x', everyMs: 250 },
    });
    expect(closed).toBe(true);
  });

  it('kept serving the well-behaved scraper throughout', async () => {
    // Let it run once more after the last hostile test.
    const count = background.length;
    while (background.length === count) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(background.length).toBeGreaterThan(10);
    expect(background.filter((code) => code !== 200)).toEqual([]);
  });
});
