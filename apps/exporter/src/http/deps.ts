/**
 * What the server and its routes are given: the deps, the limits, and the per-request context a
 * route handler receives. In a module of their own, which imports no route and not the server, so
 * the routes can name these types without importing the module that imports them.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReloadOutcome, ReloadStatus } from '../reload/reload-status.ts';
import type { TierStatus } from '../schedule/scheduler.ts';
import type { ShardPlan } from '../schedule/shard.ts';
import type { LineStore } from '../status-page/line-summary.ts';
import type { SelfMetrics } from '../telemetry/self-metrics.ts';
import type { GzipEncoder } from './gzip.ts';
import type { ServerProtection } from './protect/gate.ts';

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
  /**
   * Reloads the configuration (`POST /-/reload`); never rejects. Absent: the lifecycle API is off
   * (`WEB__ENABLE_LIFECYCLE`), and the endpoint says how to turn it on.
   */
  readonly reload?: ((trigger: 'http') => Promise<ReloadOutcome>) | undefined;
  /** The last configuration load and the last good one, for `/health`. Absent: not reported. */
  readonly reloadStatus?: (() => ReloadStatus) | undefined;
}

/** What a handler gets besides the deps: per-server state and the clock. */
export interface RouteContext {
  /** The server's encoder, whose cache is shared by every request. */
  readonly gzip: GzipEncoder;
  /** `deps.now`, or `Date.now`. */
  readonly now: () => number;
}

/**
 * Answers one request for its path (HEAD's body is dropped by Node), once `handleRequest` (in
 * `handle-request.ts`) has passed it through protection, routing and the route's method check. A handler may declare that it reads only some of the deps.
 */
export type RouteHandler = (
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  context: RouteContext,
) => void | Promise<void>;
