/**
 * The exporter's HTTP server. A scrape never calls CHAOS: `/metrics` serves the snapshot the
 * scheduler keeps, rendered once per change, plus the self-metrics. With a web-config file the
 * same handler is served over TLS and/or behind basic auth. The pipeline is in `handle-request.ts`,
 * one handler per endpoint in `routes/`, the protection in `protect/`.
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
import type { TierStatus } from '../schedule/scheduler.ts';
import type { ShardPlan } from '../schedule/shard.ts';
import type { LineStore } from '../status-page/line-summary.ts';
import type { SelfMetrics } from '../telemetry/self-metrics.ts';
import { createGzipEncoder } from './gzip.ts';
import { handleRequest } from './handle-request.ts';
import type { ServerProtection } from './protect/gate.ts';
import { httpsOptions } from './protect/tls.ts';
import { ALLOW, send, TEXT } from './respond.ts';

export type { ServerProtection } from './protect/gate.ts';

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
  /** The snapshot of every account's series: `/metrics`, `/probe` and the status page. */
  readonly store: LineStore;
  /** The exporter's own metrics, appended to `/metrics`. */
  readonly self: Pick<SelfMetrics, 'render'>;
  /** The scheduler's tiers as they are now: `/health`, `/ready` and the status page. */
  readonly tiers: () => readonly TierStatus[];
  /** The exporter's version, said on `/` and `/health`. */
  readonly version: string;
  /** Demo mode: said on `/` and `/health`. */
  readonly demo: boolean;
  /** The configured account names (this shard's, when sharded): the targets `/probe?target=NAME` serves. */
  readonly accounts: readonly string[];
  /** This replica's shard, for `/health` and for telling a misrouted probe which shard to ask. */
  readonly shard?: ShardPlan | undefined;
  /** The clock. Default `Date.now`; tests fix it. */
  readonly now?: (() => number) | undefined;
  /** TLS, basic auth and extra headers, from the web-config file. Absent: plain HTTP, open. */
  readonly web?: ServerProtection | undefined;
  /** Default: the limits {@link ServerTimeouts} describes. */
  readonly timeouts?: ServerTimeouts | undefined;
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
