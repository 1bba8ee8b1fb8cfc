/**
 * The request pipeline: protection first, then the path, the method, and the route's handler.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteHandler, ServerDeps } from './deps.ts';
import type { GzipEncoder } from './gzip.ts';
import { refuseClientCertificate, refuseUnauthenticated, setExtraHeaders } from './protect/gate.ts';
import { ALLOW, send, TEXT } from './respond.ts';
import { health } from './routes/health.ts';
import { metrics } from './routes/metrics.ts';
import { probe } from './routes/probe.ts';
import { ready } from './routes/ready.ts';
import { RELOAD_METHODS, reload } from './routes/reload.ts';
import { statusPage } from './routes/status-page.ts';

/** A route: its handler and the methods it takes. */
interface Route {
  readonly handle: RouteHandler;
  readonly methods: readonly string[];
}

/** What the read-only endpoints take (HEAD's body is dropped by Node). */
const READ = ALLOW.split(', ');

/**
 * Path → route, in the order the 404 lists them. A map: no path can hit an object's prototype.
 * `/-/healthy` and `/-/ready` are Prometheus' own probe paths, so a probe written for Prometheus
 * works here unchanged: the same handlers as `/health` and `/ready`, and the same protection
 * (`PROBES` in `protect/gate.ts`).
 */
const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['/', { handle: statusPage, methods: READ }],
  ['/metrics', { handle: metrics, methods: READ }],
  ['/probe', { handle: probe, methods: READ }],
  ['/health', { handle: health, methods: READ }],
  ['/ready', { handle: ready, methods: READ }],
  ['/-/healthy', { handle: health, methods: READ }],
  ['/-/ready', { handle: ready, methods: READ }],
  ['/-/reload', { handle: reload, methods: RELOAD_METHODS }],
]);

const ENDPOINTS = [...ROUTES.keys()].join(' ');

/**
 * Handles one request; `createExporterServer` (in `server.ts`) wires it to `node:http` and answers
 * 500 if this rejects.
 */
export async function handleRequest(
  deps: ServerDeps,
  gzip: GzipEncoder,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  setExtraHeaders(deps.web, res);
  if (refuseClientCertificate(deps.web, req, res)) return;
  // Only the path counts: no file is ever read, so `..`, `//` or `%00` simply match no route.
  const path = (req.url ?? '/').split(/[?#]/)[0] ?? '/';
  // Auth comes before routing, so a client without credentials learns nothing, not even which
  // paths exist.
  if (await refuseUnauthenticated(deps.web, path, req, res)) return;
  const route = ROUTES.get(path);
  if (route === undefined) return send(res, 404, TEXT, `Not Found. Endpoints: ${ENDPOINTS}\n`);
  if (req.method === undefined || !route.methods.includes(req.method)) {
    return send(res, 405, TEXT, 'Method Not Allowed\n', { allow: route.methods.join(', ') });
  }
  return route.handle(deps, req, res, { gzip, now: deps.now ?? Date.now });
}
