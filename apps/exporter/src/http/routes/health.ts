/**
 * `/health`: liveness, plus what an operator wants to know first when metrics look stale: each
 * account's auth pause (CHAOS refused its credentials: paused until when, tried next when), and
 * each tier's last success, last error (current or past) and next run.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { pausedAccountsOf, type TierStatus } from '../../schedule/scheduler.ts';
import type { ServerDeps } from '../deps.ts';
import { json } from '../respond.ts';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * The `/health` document: liveness, each account's auth pause, and each tier's last success, last
 * error and next run. A pure function of its inputs, so the document can grow without touching the
 * handler.
 *
 * - `accounts.<name>`: `authPaused` is true from CHAOS' refusal of the account's credentials until
 *   a run of it succeeds (no call is made for it meanwhile); `refusals` counts the refusals in a
 *   row; `pausedUntil` is when the pause ends and `nextAttempt` the first tier run after it that
 *   tries again (both `null` when not paused; `pausedUntil` is in the past once the pause has
 *   ended and that run has not happened yet).
 * - `config` (when the exporter reports reloads): whether the last load (the start, a SIGHUP or
 *   `POST /-/reload`) succeeded, what triggered it and when, when the configuration in force was
 *   loaded, and a refused reload's problems (by variable or file and field, never a secret).
 * - `tiers.<name>.lastError` keeps its meaning, the tier's most recent error, and says where it
 *   came from (`account`, `collector`) and whether it is `current`: `false` once that collector of
 *   that account has succeeded since, so a recovered tier no longer reads as failing.
 */
export function healthDocument(
  tiers: readonly TierStatus[],
  deps: Pick<ServerDeps, 'version' | 'demo' | 'shard' | 'accounts' | 'reloadStatus'>,
): unknown {
  const shard = deps.shard;
  const reload = deps.reloadStatus?.();
  const pauses = new Map(pausedAccountsOf(tiers).map((pause) => [pause.account, pause]));
  const accounts = [...new Set([...deps.accounts, ...pauses.keys()])];
  return {
    status: 'up',
    version: deps.version,
    demo: deps.demo,
    shard: shard === undefined ? null : { index: shard.index, count: shard.count, accounts: shard.accounts },
    ...(reload === undefined
      ? {}
      : {
          config: {
            lastReloadSuccessful: reload.last.ok,
            lastReload: { trigger: reload.last.trigger, at: iso(reload.last.atMs) },
            lastReloadSuccess: iso(reload.lastSuccessMs),
            problems: reload.last.ok ? [] : reload.last.problems,
          },
        }),
    accounts: Object.fromEntries(
      accounts.map((account) => {
        const pause = pauses.get(account);
        return [
          account,
          {
            authPaused: pause !== undefined,
            refusals: pause?.refusals ?? 0,
            pausedUntil: iso(pause?.untilMs),
            nextAttempt: iso(pause?.nextAttemptMs),
          },
        ];
      }),
    ),
    tiers: Object.fromEntries(
      tiers.map((tier) => [
        tier.name,
        {
          intervalSeconds: tier.intervalSeconds,
          running: tier.running,
          lastSuccess: iso(tier.lastSuccessMs),
          lastError: tier.lastError
            ? {
                kind: tier.lastError.kind,
                message: tier.lastError.message,
                at: iso(tier.lastError.atMs),
                account: tier.lastError.account,
                collector: tier.lastError.collector,
                current: tier.lastError.current,
              }
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
  deps: Pick<ServerDeps, 'tiers' | 'version' | 'demo' | 'shard' | 'accounts' | 'reloadStatus'>,
  _req: IncomingMessage,
  res: ServerResponse,
): void {
  json(res, 200, healthDocument(deps.tiers(), deps));
}
