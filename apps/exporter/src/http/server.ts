/**
 * The exporter's HTTP endpoints. A scrape never calls CHAOS: `/metrics` serves the snapshot the
 * scheduler keeps, rendered once per change, plus the self-metrics. With a web-config file the
 * same handler is served over TLS and/or behind basic auth.
 *
 * @module
 */

import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { CONTENT_TYPES, type ExpositionFormat } from '@aaisp/collectors';
import type { TlsSettings } from '../config/web-config.ts';
import type { TierStatus } from '../schedule/scheduler.ts';
import { ownedElsewhere, type ShardPlan } from '../schedule/shard.ts';
import type { LineStore } from '../status-page/line-summary.ts';
import { renderStatusPage } from '../status-page/status-page.ts';
import type { SelfMetrics } from '../telemetry/self-metrics.ts';
import { acceptsGzip, createGzipEncoder, type GzipEncoder } from './gzip.ts';
import { type BasicAuth, WWW_AUTHENTICATE } from './protect/basic-auth.ts';
import { type ClientCertRefusal, clientCertificateRefusal, httpsOptions } from './protect/tls.ts';

/** How the endpoints are protected (from the web-config file). Absent: plain HTTP, open. */
export interface ServerProtection {
  /** Serve HTTPS with these settings. */
  readonly tls?: TlsSettings | undefined;
  /** Require basic auth (on every path, but see `healthOpen`). */
  readonly auth?: BasicAuth | undefined;
  /** Extra headers on every response. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** With `auth`, still answer `/health` and `/ready` without credentials (orchestrator probes). */
  readonly healthOpen?: boolean | undefined;
}

/** Limits that keep slow or broken clients from holding sockets. Tests shorten them. */
export interface ServerTimeouts {
  /** The whole request, body included, must arrive within this. Default 10 s. */
  readonly requestMs?: number | undefined;
  /** The headers must arrive within this; with TLS, the handshake too. Default 5 s. */
  readonly headersMs?: number | undefined;
  /** An idle keep-alive connection is closed after this. Default 5 s. */
  readonly keepAliveMs?: number | undefined;
  /**
   * How often Node looks for requests past those limits. Default 1 s: Node's own default (30 s)
   * would let a client that never finishes its headers hold a socket for up to 35 s.
   */
  readonly checkIntervalMs?: number | undefined;
}

/** What the endpoints read. */
export interface ServerDeps {
  readonly store: LineStore;
  /** The exporter's own metrics, appended to `/metrics`. */
  readonly self: Pick<SelfMetrics, 'render'>;
  readonly tiers: () => readonly TierStatus[];
  readonly version: string;
  /** Demo mode: said on `/` and `/health`. */
  readonly demo: boolean;
  /** The configured account names (this shard's, when sharded): the targets `/probe?target=NAME` serves. */
  readonly accounts: readonly string[];
  /** This replica's shard, for `/health` and for telling a misrouted probe which shard to ask. */
  readonly shard?: ShardPlan | undefined;
  readonly now?: (() => number) | undefined;
  readonly web?: ServerProtection | undefined;
  readonly timeouts?: ServerTimeouts | undefined;
}

const ROUTES = ['/', '/metrics', '/probe', '/health', '/ready'];
/** The probes `healthOpen` leaves open. */
const PROBES = ['/health', '/ready'];
const ALLOW = 'GET, HEAD';
const TEXT = 'text/plain; charset=utf-8';
/** The status page needs nothing but its own inline CSS: no scripts, images, fonts or frames. */
const STATUS_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const REFUSALS: Readonly<Record<ClientCertRefusal, string>> = {
  'no-certificate': 'a client certificate is required',
  untrusted: 'the client certificate is not signed by the configured client CA',
  'san-not-allowed': 'the client certificate has none of the allowed SANs',
};

/** Prometheus asks for OpenMetrics in `Accept`; anything else gets the text format. */
function negotiateFormat(accept: string | undefined): ExpositionFormat {
  return accept !== undefined && /application\/openmetrics-text/i.test(accept) ? 'openmetrics' : 'text';
}

/** A body, or its parts in order (a cached buffer is written as it is, never copied or re-encoded). */
type Body = string | Buffer | readonly (string | Buffer)[];

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: Body,
  extra: Record<string, string> = {},
): void {
  const parts = typeof body === 'string' || Buffer.isBuffer(body) ? [body] : body;
  let length = 0;
  for (const part of parts) length += typeof part === 'string' ? Buffer.byteLength(part) : part.length;
  res.writeHead(status, {
    'content-type': type,
    'content-length': String(length),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...extra,
  });
  for (const part of parts) res.write(part);
  res.end();
}

/**
 * An exposition: the first `headParts` of the snapshot's `cached` parts, then `tail`, gzipped when
 * the client accepts it. Both vary with the request's `Accept` (format) and `Accept-Encoding`.
 */
async function sendExposition(
  req: IncomingMessage,
  res: ServerResponse,
  gzip: GzipEncoder,
  format: ExpositionFormat,
  cached: readonly Buffer[],
  headParts: number,
  tail: readonly (string | Buffer)[],
): Promise<void> {
  const vary = { vary: 'Accept, Accept-Encoding' };
  if (!acceptsGzip(req.headers['accept-encoding'])) {
    return send(res, 200, CONTENT_TYPES[format], [...cached.slice(0, headParts), ...tail], vary);
  }
  const body = await gzip.encode(cached, headParts, tail);
  send(res, 200, CONTENT_TYPES[format], body, { ...vary, 'content-encoding': 'gzip' });
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(value, null, 2)}\n`);
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** The `/health` document: liveness plus each tier's last success, last error and next run. */
function healthDocument(
  tiers: readonly TierStatus[],
  deps: Pick<ServerDeps, 'version' | 'demo' | 'shard'>,
): unknown {
  const shard = deps.shard;
  return {
    status: 'up',
    version: deps.version,
    demo: deps.demo,
    shard: shard === undefined ? null : { index: shard.index, count: shard.count, accounts: shard.accounts },
    tiers: Object.fromEntries(
      tiers.map((tier) => [
        tier.name,
        {
          intervalSeconds: tier.intervalSeconds,
          running: tier.running,
          lastSuccess: iso(tier.lastSuccessMs),
          lastError: tier.lastError
            ? { kind: tier.lastError.kind, message: tier.lastError.message, at: iso(tier.lastError.atMs) }
            : null,
          nextRun: iso(tier.nextRunMs),
          consecutiveFailures: tier.consecutiveFailures,
        },
      ]),
    ),
  };
}

/**
 * `/probe?target=NAME`: one account's series, from the same snapshot `/metrics` serves, so
 * Prometheus can probe each account as its own target (blackbox_exporter's multi-target pattern)
 * as often as it likes without a single extra CHAOS call.
 */
async function probe(
  deps: ServerDeps,
  gzip: GzipEncoder,
  req: IncomingMessage,
  res: ServerResponse,
  nowMs: number,
): Promise<void> {
  // The whole query after the first `?` (a later `?` is legal inside it); the base is a dummy.
  const targets = new URL(req.url ?? '/', 'http://probe.invalid').searchParams.getAll('target');
  const known = deps.accounts.length === 0 ? '(none)' : deps.accounts.join(', ');
  const [target] = targets;
  if (targets.length !== 1 || target === undefined || target === '') {
    send(
      res,
      400,
      TEXT,
      `Bad Request: /probe needs exactly one ?target=NAME; configured accounts: ${known}\n`,
    );
    return;
  }
  const elsewhere = deps.shard === undefined ? undefined : ownedElsewhere(deps.shard, target);
  if (elsewhere !== undefined) {
    send(res, 404, TEXT, `Not Found: ${elsewhere}\n`);
    return;
  }
  if (!deps.accounts.includes(target)) {
    // The name is echoed (shortened) as JSON, so odd characters show as what they are.
    send(
      res,
      404,
      TEXT,
      `Not Found: unknown target ${JSON.stringify(target.slice(0, 64))}; configured accounts: ${known}\n`,
    );
    return;
  }
  const format = negotiateFormat(req.headers.accept);
  const { parts } = deps.store.exposition(format, nowMs, target);
  await sendExposition(req, res, gzip, format, parts, parts.length, []);
}

/**
 * Handles one request; {@link createExporterServer} wires it to `node:http`.
 */
async function handleRequest(
  deps: ServerDeps,
  gzip: GzipEncoder,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const now = deps.now ?? Date.now;
  const web = deps.web;
  for (const [name, value] of Object.entries(web?.headers ?? {})) res.setHeader(name, value);
  if (web?.tls !== undefined && req.socket instanceof TLSSocket) {
    const refusal = clientCertificateRefusal(req.socket, web.tls);
    if (refusal !== undefined)
      return send(res, 403, TEXT, `Forbidden: ${REFUSALS[refusal]}\n`, { connection: 'close' });
  }
  // Only the path counts: no file is ever read, so `..`, `//` or `%00` simply match no route.
  const path = (req.url ?? '/').split(/[?#]/)[0] ?? '/';
  // Auth comes before routing, so a client without credentials learns nothing, not even which
  // paths exist.
  if (web?.auth !== undefined && !(web.healthOpen === true && PROBES.includes(path))) {
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    const result = await web.auth.check(req.headers.authorization, gone.signal);
    if (!result.ok && result.kind === 'busy')
      return send(res, 503, TEXT, 'Service Unavailable: too many password checks waiting\n', {
        'retry-after': '1',
      });
    if (!result.ok) return send(res, 401, TEXT, 'Unauthorized\n', { 'www-authenticate': WWW_AUTHENTICATE });
  }
  if (!ROUTES.includes(path)) return send(res, 404, TEXT, `Not Found. Endpoints: ${ROUTES.join(' ')}\n`);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, TEXT, 'Method Not Allowed\n', { allow: ALLOW });
  }
  const tiers = deps.tiers();
  switch (path) {
    case '/metrics': {
      const format = negotiateFormat(req.headers.accept);
      const { parts, byteLength } = deps.store.exposition(format, now());
      // The self-metrics go before OpenMetrics' `# EOF` (the snapshot's last part, written after
      // them) and after a blank line in the text format.
      return format === 'openmetrics'
        ? sendExposition(req, res, gzip, format, parts, parts.length - 1, [
            await deps.self.render('openmetrics'),
            ...parts.slice(-1),
          ])
        : sendExposition(req, res, gzip, format, parts, parts.length, [
            byteLength === 0 ? '' : '\n',
            await deps.self.render('text'),
          ]);
    }
    case '/probe':
      return probe(deps, gzip, req, res, now());
    case '/health':
      return json(res, 200, healthDocument(tiers, deps));
    case '/ready': {
      const fast = tiers.find((tier) => tier.name === 'fast');
      // A shard that owns no account has nothing to wait for; never ready, it would stall a
      // StatefulSet's ordered rollout.
      const ready =
        deps.shard?.accounts.length === 0 ||
        (fast === undefined
          ? tiers.some((tier) => tier.lastSuccessMs !== undefined)
          : fast.lastSuccessMs !== undefined);
      return json(res, ready ? 200 : 503, { ready });
    }
    default:
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        renderStatusPage({
          entries: deps.store.entries(now()),
          tiers,
          version: deps.version,
          demo: deps.demo,
          nowMs: now(),
          accounts: deps.accounts,
        }),
        // A policy from the web-config `headers` wins.
        res.hasHeader('content-security-policy') ? {} : { 'content-security-policy': STATUS_PAGE_CSP },
      );
  }
}

/**
 * `CONNECT` never reaches the request handler: Node emits `connect`, and with no listener it drops
 * the socket without a word. Answer it like any other method the exporter does not serve.
 */
function refuseConnect(web: ServerProtection | undefined, socket: Duplex): void {
  socket.on('error', () => socket.destroy());
  const body = 'Method Not Allowed\n';
  const extra = Object.entries(web?.headers ?? {}).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(
    `HTTP/1.1 405 Method Not Allowed\r\nallow: ${ALLOW}\r\ncontent-type: ${TEXT}\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n${extra.join('')}\r\n${body}`,
  );
}

/**
 * Creates the server (not yet listening): `node:https` when `deps.web.tls` is set, `node:http`
 * otherwise, with the same handler and limits. Request, header and (with TLS) handshake timeouts
 * keep slow or broken clients from holding sockets.
 */
export function createExporterServer(deps: ServerDeps): Server {
  const timeouts = deps.timeouts;
  const headersMs = timeouts?.headersMs ?? 5_000;
  const options: ServerOptions = {
    requestTimeout: timeouts?.requestMs ?? 10_000,
    headersTimeout: headersMs,
    connectionsCheckingInterval: timeouts?.checkIntervalMs ?? 1_000,
    maxHeaderSize: 16 * 1024,
  };
  const gzip = createGzipEncoder();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handleRequest(deps, gzip, req, res).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, 500, TEXT, `Internal error: ${error instanceof Error ? error.name : 'unknown'}\n`);
      else res.destroy();
    });
  };
  const tls = deps.web?.tls;
  // Node's TLS handshake limit is 120 s by default; a client that never finishes it is as slow as
  // one that never finishes its headers.
  const server: Server =
    tls === undefined
      ? createServer(options, handler)
      : createHttpsServer({ ...options, ...httpsOptions(tls), handshakeTimeout: headersMs }, handler);
  server.keepAliveTimeout = timeouts?.keepAliveMs ?? 5_000;
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => refuseConnect(deps.web, socket));
  return server;
}
