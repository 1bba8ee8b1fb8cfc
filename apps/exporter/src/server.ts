/**
 * The exporter's HTTP endpoints. A scrape never calls CHAOS: `/metrics` serves the snapshot the
 * scheduler keeps, rendered once per change, plus the self-metrics.
 *
 * @module
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CONTENT_TYPES, type ExpositionFormat } from '@aaisp/collectors';
import type { Registry } from 'prom-client';
import { registryAsOpenMetrics } from './openmetrics.ts';
import type { TierStatus } from './scheduler.ts';
import type { SnapshotStore } from './snapshot.ts';
import { renderStatusPage } from './status-page.ts';

/** What the endpoints read. */
export interface ServerDeps {
  readonly store: SnapshotStore;
  /** The self-metrics registry (Prometheus text content type). */
  readonly selfRegistry: Registry;
  readonly tiers: () => readonly TierStatus[];
  readonly version: string;
  /** Demo mode: said on `/` and `/health`. */
  readonly demo: boolean;
  readonly now?: (() => number) | undefined;
}

/** The last line of every OpenMetrics exposition (the snapshot's renderer always writes it). */
const OPENMETRICS_EOF = '# EOF\n';

/** Prometheus asks for OpenMetrics in `Accept`; anything else gets the text format. */
function negotiateFormat(accept: string | undefined): ExpositionFormat {
  return accept !== undefined && /application\/openmetrics-text/i.test(accept) ? 'openmetrics' : 'text';
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...extra,
  });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(value, null, 2)}\n`);
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** The `/health` document: liveness plus each tier's last success, last error and next run. */
function healthDocument(tiers: readonly TierStatus[], deps: Pick<ServerDeps, 'version' | 'demo'>): unknown {
  return {
    status: 'up',
    version: deps.version,
    demo: deps.demo,
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
 * Handles one request; {@link createExporterServer} wires it to `node:http`.
 */
async function handleRequest(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const now = deps.now ?? Date.now;
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const routes = ['/', '/metrics', '/health', '/ready'];
  if (!routes.includes(path))
    return send(res, 404, 'text/plain; charset=utf-8', `Not Found. Endpoints: ${routes.join(' ')}\n`);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed\n', { allow: 'GET, HEAD' });
  }
  const tiers = deps.tiers();
  switch (path) {
    case '/metrics': {
      const format = negotiateFormat(req.headers.accept);
      const collected = deps.store.render(format, now());
      const body =
        format === 'openmetrics'
          ? `${collected.slice(0, collected.length - OPENMETRICS_EOF.length)}${await registryAsOpenMetrics(deps.selfRegistry)}${OPENMETRICS_EOF}`
          : `${collected}${collected === '' ? '' : '\n'}${await deps.selfRegistry.metrics()}`;
      return send(res, 200, CONTENT_TYPES[format], body);
    }
    case '/health':
      return json(res, 200, healthDocument(tiers, deps));
    case '/ready': {
      const fast = tiers.find((tier) => tier.name === 'fast');
      const ready =
        fast === undefined
          ? tiers.some((tier) => tier.lastSuccessMs !== undefined)
          : fast.lastSuccessMs !== undefined;
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
        }),
      );
  }
}

/**
 * Creates the HTTP server (not yet listening). Request and header timeouts keep slow or broken
 * clients from holding sockets.
 */
export function createExporterServer(deps: ServerDeps): Server {
  const server = createServer(
    { requestTimeout: 10_000, headersTimeout: 5_000, maxHeaderSize: 16 * 1024 },
    (req, res) => {
      handleRequest(deps, req, res).catch((error: unknown) => {
        if (!res.headersSent)
          send(
            res,
            500,
            'text/plain; charset=utf-8',
            `Internal error: ${error instanceof Error ? error.name : 'unknown'}\n`,
          );
        else res.destroy();
      });
    },
  );
  server.keepAliveTimeout = 5_000;
  return server;
}
