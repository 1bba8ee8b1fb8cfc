/**
 * The fake CHAOS as a real `node:http` server on loopback, for integration tests, the exporter's
 * demo mode and anyone poking at it with curl. The fake CQM answers under the same root URL
 * (`<url>cqmdirect.cgi/<secret>/<name>.csv`).
 *
 * @module
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  type ChaosMockControls,
  type ChaosMockOptions,
  controlsOf,
  createMockBackend,
  type MockBackend,
} from './backend.ts';
import { CQM_PATH_PREFIX } from './cqm-url.ts';
import { isRecord } from './is-record.ts';
import { isScenarioName, SCENARIOS, type ScenarioOptions } from './scenarios.ts';
import { waitOrAbort } from './wait.ts';

/** Options for {@link startChaosMock}. */
export interface StartChaosMockOptions extends ChaosMockOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on. Default `127.0.0.1`: the mock is for this machine only. */
  readonly host?: string;
}

/** A running mock. */
export interface RunningChaosMock extends ChaosMockControls {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:40123/`; commands are relative to it. */
  readonly url: string;
  /** Stops listening, drops every open connection (held `timeout` requests included) and resolves when closed. */
  close(): Promise<void>;
}

/** Request bodies larger than this are refused: CHAOS requests are a handful of attributes. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Paths under this prefix control the mock; CHAOS has no such subsystem, so nothing collides. */
const CONTROL_PREFIX = '/_mock/';

/** Paths under this prefix are the fake CQM's; no CHAOS path has a dot in its first segment. */
const CQM_PREFIX = `/${CQM_PATH_PREFIX}`;

class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function toHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = `${JSON.stringify(value)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * `GET /_mock/stats`, `GET /_mock/cqm` (each line's CQM URL and the CQM counters) and
 * `GET|POST /_mock/scenario` (`{"name":"auth-fail","options":{…}}`) let a shell script or a test
 * in another process steer the standalone mock.
 */
async function control(
  backend: MockBackend,
  controls: ChaosMockControls,
  request: Request,
  path: string,
  res: ServerResponse,
): Promise<void> {
  if (path === 'stats' && request.method === 'GET') return sendJson(res, 200, backend.stats());
  if (path === 'cqm' && request.method === 'GET') {
    // Mock URLs with fake secrets: safe to hand out, unlike A&A's.
    return sendJson(res, 200, {
      urls: Object.fromEntries(controls.cqmUrls()),
      stats: controls.cqmStats(),
    });
  }
  if (path === 'scenario' && request.method === 'GET') return sendJson(res, 200, backend.scenario());
  if (path === 'scenario' && request.method === 'POST') {
    const usage = 'body must be JSON: {"name": "<scenario>", "options": {…}}';
    let parsed: unknown;
    try {
      parsed = JSON.parse(await request.text());
    } catch {
      return sendJson(res, 400, { error: usage });
    }
    if (!isRecord(parsed) || typeof parsed.name !== 'string') return sendJson(res, 400, { error: usage });
    if (!isScenarioName(parsed.name)) {
      return sendJson(res, 400, {
        error: `unknown chaos-mock scenario "${parsed.name}"; known: ${SCENARIOS.join(', ')}`,
      });
    }
    try {
      backend.setScenario(parsed.name, readScenarioOptions(parsed.options ?? {}));
    } catch (error) {
      return sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
    }
    return sendJson(res, 200, backend.scenario());
  }
  return sendJson(res, 404, {
    error: 'control paths: GET /_mock/stats, GET /_mock/cqm, GET|POST /_mock/scenario',
  });
}

/**
 * Reads scenario options from untrusted JSON.
 * @throws {TypeError} for a known option of the wrong type, so a typo is a 400, not a silent default.
 */
function readScenarioOptions(raw: unknown): ScenarioOptions {
  if (!isRecord(raw)) throw new TypeError('options must be an object');
  const options: { -readonly [K in keyof ScenarioOptions]: ScenarioOptions[K] } = {};
  for (const name of ['delayMs', 'retryAfterSeconds', 'failEvery', 'hangMs'] as const) {
    const value = raw[name];
    if (value === undefined) continue;
    if (typeof value !== 'number') throw new TypeError(`option ${name} must be a number`);
    options[name] = value;
  }
  const format = raw.retryAfterFormat;
  if (format !== undefined) {
    if (format !== 'seconds' && format !== 'http-date') {
      throw new TypeError('option retryAfterFormat must be "seconds" or "http-date"');
    }
    options.retryAfterFormat = format;
  }
  for (const name of ['commands', 'excludeCommands'] as const) {
    const commands = raw[name];
    if (commands === undefined) continue;
    if (!Array.isArray(commands) || !commands.every((item) => typeof item === 'string')) {
      throw new TypeError(`option ${name} must be a list of "subsystem/command" strings`);
    }
    options[name] = commands;
  }
  return options;
}

function reset(socket: Socket): void {
  if (!socket.destroyed) socket.resetAndDestroy();
}

/**
 * Starts the fake CHAOS on a real HTTP server.
 *
 * Every request to `/<subsystem>/<command>[/json]` is answered as CHAOS would (see the
 * package README for the wire rules and scenarios), every `GET /cqmdirect.cgi/<secret>/<name>.csv`
 * as A&A's CQM would (`cqmUrl(lineId)` gives a line's URL); `/_mock/stats`, `/_mock/cqm` and
 * `/_mock/scenario` steer it from outside the process.
 *
 * @throws {TypeError | RangeError} for a bad option, before anything listens.
 * @example
 * ```ts
 * const mock = await startChaosMock({ lines: 3 });
 * const body = new URLSearchParams({ control_login: 'test@a', control_password: 'mock-control-password' });
 * const info = await (await fetch(new URL('broadband/info/json', mock.url), { method: 'POST', body })).json();
 * mock.setScenario('auth-fail');
 * await mock.close();
 * ```
 */
export async function startChaosMock(options: StartChaosMockOptions = {}): Promise<RunningChaosMock> {
  const backend = createMockBackend(options);
  const inFlight = new Set<AbortController>();
  let origin = '';
  // Set once listening, before any request can arrive.
  let controls: ChaosMockControls | undefined;

  const server = createServer((req, res) => {
    const controller = new AbortController();
    inFlight.add(controller);
    res.on('close', () => {
      inFlight.delete(controller);
      if (!res.writableFinished) controller.abort();
    });
    void respond(req, res, controller.signal).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: `chaos-mock failed: ${String(error)}` });
      else res.destroy();
    });
  });

  const respond = async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> => {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) return sendJson(res, 413, { error: error.message });
      throw error;
    }
    // Concatenated, not resolved: `new URL('//x/y', origin)` would read `x` as a host name.
    const url = new URL(`${origin}${req.url ?? '/'}`);
    const method = req.method ?? 'GET';
    const request = new Request(url, {
      method,
      headers: toHeaders(req),
      signal,
      ...(method === 'GET' || method === 'HEAD' || body.length === 0 ? {} : { body }),
    });
    if (url.pathname.startsWith(CONTROL_PREFIX) && controls) {
      return control(backend, controls, request, url.pathname.slice(CONTROL_PREFIX.length), res);
    }
    const outcome = url.pathname.startsWith(CQM_PREFIX)
      ? await backend.handleCqm(request, url.pathname)
      : await backend.handle(request, url.pathname);
    if (outcome.type === 'response') return writeResponse(outcome.response, res);
    if (outcome.type === 'reset') return reset(req.socket);
    await waitOrAbort(outcome.hangMs, signal);
    reset(req.socket);
  };

  const port = options.port ?? 0;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('chaos-mock: server has no TCP address');
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${urlHost}:${address.port}`;
  controls = controlsOf(backend, `${origin}/`);

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/`,
    ...controls,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const controller of inFlight) controller.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
