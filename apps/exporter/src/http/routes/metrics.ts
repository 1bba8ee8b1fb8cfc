/**
 * `/metrics`: every account's series, from the snapshot the scheduler keeps (a scrape never calls
 * CHAOS), then the exporter's own metrics.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteContext, ServerDeps } from '../deps.ts';
import { negotiateFormat } from '../negotiate.ts';
import { sendExposition } from '../respond.ts';

/** Serves `/metrics` in the format the client asked for, gzipped when it accepts that. */
export async function metrics(
  deps: Pick<ServerDeps, 'store' | 'self'>,
  req: IncomingMessage,
  res: ServerResponse,
  { gzip, now }: RouteContext,
): Promise<void> {
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
