/**
 * The shape of a route handler: what `handleRequest` (in `handle-request.ts`) hands each endpoint once the request
 * has passed protection, routing and the method check.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GzipEncoder } from '../gzip.ts';
import type { ServerDeps } from '../server.ts';

/** What a handler gets besides the deps: per-server state and the clock. */
export interface RouteContext {
  /** The server's encoder, whose cache is shared by every request. */
  readonly gzip: GzipEncoder;
  /** `deps.now`, or `Date.now`. */
  readonly now: () => number;
}

/**
 * Answers one GET or HEAD request for its path (HEAD's body is dropped by Node). A handler may
 * declare that it reads only some of the deps.
 */
export type RouteHandler = (
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  context: RouteContext,
) => void | Promise<void>;
