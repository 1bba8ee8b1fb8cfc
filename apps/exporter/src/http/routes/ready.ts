/**
 * `/ready`: whether there is anything worth scraping yet, for an orchestrator's readiness probe.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TierStatus } from '../../schedule/scheduler.ts';
import type { ShardPlan } from '../../schedule/shard.ts';
import type { ServerDeps } from '../deps.ts';
import { json } from '../respond.ts';

/**
 * Ready once the fast tier has succeeded (or, without a fast tier, any tier), or at once for a
 * shard that owns no account.
 */
export function isReady(tiers: readonly TierStatus[], shard: ShardPlan | undefined): boolean {
  const fast = tiers.find((tier) => tier.name === 'fast');
  // A shard that owns no account has nothing to wait for; never ready, it would stall a
  // StatefulSet's ordered rollout.
  return (
    shard?.accounts.length === 0 ||
    (fast === undefined
      ? tiers.some((tier) => tier.lastSuccessMs !== undefined)
      : fast.lastSuccessMs !== undefined)
  );
}

/** Serves `{ "ready": … }`: 200 when {@link isReady}, 503 until then. */
export function ready(
  deps: Pick<ServerDeps, 'tiers' | 'shard'>,
  _req: IncomingMessage,
  res: ServerResponse,
): void {
  const ready = isReady(deps.tiers(), deps.shard);
  json(res, ready ? 200 : 503, { ready });
}
