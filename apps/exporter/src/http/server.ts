/**
 * The exporter's HTTP server. A scrape never calls CHAOS: `/metrics` serves the snapshot the
 * scheduler keeps, rendered once per change, plus the self-metrics. With a web-config file the
 * same handler is served over TLS and/or behind basic auth. The pipeline is in `handle-request.ts`,
 * one handler per endpoint in `routes/`, the protection in `protect/`, and what they are all given
 * in `deps.ts`.
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
import { createServer as createHttpsServer, Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { TlsSettings } from '../config/web-config.ts';
import type { ServerDeps } from './deps.ts';
import { createGzipEncoder } from './gzip.ts';
import { handleRequest } from './handle-request.ts';
import type { ServerProtection } from './protect/gate.ts';
import { httpsOptions } from './protect/tls.ts';
import { ALLOW, send, TEXT } from './respond.ts';

// Re-exported so callers keep one import for the server and its inputs. The types live in
// `deps.ts`, which imports no route, so the routes can name them without an import cycle.
export type { ServerDeps, ServerTimeouts } from './deps.ts';
export type { ServerProtection } from './protect/gate.ts';

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
 *
 * Given a function, each request is served with what it returns then: a reload swaps the deps
 * (accounts, users, headers) without closing the socket. The scheme and the timeouts are the
 * first deps', for the server's life; new certificates go in with {@link reloadCertificates}.
 */
export function createExporterServer(deps: ServerDeps | (() => ServerDeps)): Server {
  const current = typeof deps === 'function' ? deps : () => deps;
  const first = current();
  const timeouts = first.timeouts;
  const headersMs = timeouts?.headersMs ?? 5_000;
  const options: ServerOptions = {
    requestTimeout: timeouts?.requestMs ?? 10_000,
    headersTimeout: headersMs,
    connectionsCheckingInterval: timeouts?.checkIntervalMs ?? 1_000,
    maxHeaderSize: 16 * 1024,
  };
  const gzip = createGzipEncoder();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handleRequest(current(), gzip, req, res).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, 500, TEXT, `Internal error: ${error instanceof Error ? error.name : 'unknown'}\n`);
      else res.destroy();
    });
  };
  const tls = first.web?.tls;
  // Node's TLS handshake limit is 120 s by default; a client that never finishes it is as slow as
  // one that never finishes its headers.
  const server: Server =
    tls === undefined
      ? createServer(options, handler)
      : createHttpsServer({ ...options, ...httpsOptions(tls), handshakeTimeout: headersMs }, handler);
  server.keepAliveTimeout = timeouts?.keepAliveMs ?? 5_000;
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => refuseConnect(current().web, socket));
  return server;
}

/**
 * Gives an HTTPS server from {@link createExporterServer} new TLS settings (certificates, client CA,
 * client certificate policy, versions) for the connections that come next; those open keep theirs.
 */
export function reloadCertificates(server: Server, tls: TlsSettings): void {
  if (!(server instanceof HttpsServer)) throw new Error('the server does not serve TLS');
  const options = httpsOptions(tls);
  server.setSecureContext(options);
  // Not part of the secure context: Node's TLS server reads these two properties for each new
  // connection (tlsConnectionListener), but its types do not declare them.
  Object.assign(server, {
    requestCert: options.requestCert === true,
    rejectUnauthorized: options.rejectUnauthorized !== false,
  });
}
