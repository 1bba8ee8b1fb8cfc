/**
 * `/probe?target=NAME`: one account's series, from the same snapshot `/metrics` serves, so
 * Prometheus can probe each account as its own target (blackbox_exporter's multi-target pattern)
 * as often as it likes without a single extra CHAOS call.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ownedElsewhere } from '../../schedule/shard.ts';
import type { RouteContext, ServerDeps } from '../deps.ts';
import { negotiateFormat } from '../negotiate.ts';
import { send, sendExposition, TEXT } from '../respond.ts';

/**
 * Serves one configured account of this shard; a missing, repeated or unknown target gets a 400
 * or 404 that lists the configured accounts, and one another shard owns a 404 that names it.
 */
export async function probe(
  deps: Pick<ServerDeps, 'store' | 'accounts' | 'shard'>,
  req: IncomingMessage,
  res: ServerResponse,
  { gzip, now }: RouteContext,
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
  const { parts } = deps.store.exposition(format, now(), target);
  await sendExposition(req, res, gzip, format, parts, parts.length, []);
}
