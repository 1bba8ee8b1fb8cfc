/**
 * `/health`: liveness, plus what an operator wants to know first when metrics look stale: each
 * tier's last success, last error and next run.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TierStatus } from '../../schedule/scheduler.ts';
import { json } from '../respond.ts';
import type { ServerDeps } from '../server.ts';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * The `/health` document: liveness plus each tier's last success, last error and next run. A pure
 * function of its inputs, so the document can grow without touching the handler.
 */
export function healthDocument(
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

/** Serves {@link healthDocument} for the tiers as they are now; always 200 (the process is up). */
export function health(
  deps: Pick<ServerDeps, 'tiers' | 'version' | 'demo' | 'shard'>,
  _req: IncomingMessage,
  res: ServerResponse,
): void {
  json(res, 200, healthDocument(deps.tiers(), deps));
}
