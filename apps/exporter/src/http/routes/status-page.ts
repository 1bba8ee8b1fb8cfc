/**
 * `/`: the status page, a human-readable view of the same snapshot `/metrics` serves.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderStatusPage } from '../../status-page/status-page.ts';
import type { RouteContext, ServerDeps } from '../deps.ts';
import { send } from '../respond.ts';

/** The status page needs nothing but its own inline CSS: no scripts, images, fonts or frames. */
const STATUS_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Serves the status page, with a strict Content-Security-Policy unless the web-config sets one: the
 * live entries, the expired ones (their lines show as stale), the tiers and a refused reload.
 */
export function statusPage(
  deps: Pick<ServerDeps, 'store' | 'tiers' | 'version' | 'demo' | 'accounts' | 'reloadStatus'>,
  _req: IncomingMessage,
  res: ServerResponse,
  { now }: RouteContext,
): void {
  // One time for the whole page: its lines and its "collected … ago" must agree.
  const nowMs = now();
  send(
    res,
    200,
    'text/html; charset=utf-8',
    renderStatusPage({
      entries: deps.store.entries(nowMs),
      expired: deps.store.expired(nowMs),
      tiers: deps.tiers(),
      version: deps.version,
      demo: deps.demo,
      nowMs,
      accounts: deps.accounts,
      reload: deps.reloadStatus?.(),
    }),
    // A policy from the web-config `headers` wins.
    res.hasHeader('content-security-policy') ? {} : { 'content-security-policy': STATUS_PAGE_CSP },
  );
}
