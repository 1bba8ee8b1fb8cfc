/**
 * The state keeper's part in the exporter's life: what is restored at start (auth pauses whose
 * credentials have not changed), written on each breaker change, and kept after a reload (only the
 * accounts and targets still configured).
 *
 * @module
 */

import type { Logger } from 'pino';
import type { AccountConfig } from '../model/account.ts';
import { MAX_AUTH_PAUSE_MS, type OpenBreaker } from '../schedule/auth-breaker.ts';
import type { AuthPauseEvent } from '../schedule/scheduler.ts';
import type { TierPlan } from '../schedule/tiers.ts';
import type { StateKeeper } from './state-keeper.ts';

/** Keeps in the state only the accounts collected and the targets they configure for a planned source. */
export function retainState(
  state: StateKeeper,
  accounts: readonly AccountConfig[],
  tiers: readonly TierPlan[],
): void {
  const byName = new Map(accounts.map((account) => [account.name, account]));
  const sources = new Map(
    tiers.flatMap((tier) => tier.collectors.map((binding) => [binding.source.name, binding.source])),
  );
  state.retain((name, source, target) => {
    const account = byName.get(name);
    if (account === undefined) return false;
    if (source === undefined || target === undefined) return true;
    const targetsOf = sources.get(source)?.targetsOf;
    return targetsOf?.(account).includes(target) === true;
  });
}

/**
 * The auth pauses a previous process left for these accounts, kept only while the credentials are
 * those CHAOS refused: a changed password is tried at once.
 */
export function restoredPauses(
  state: StateKeeper,
  accounts: readonly AccountConfig[],
  logger: Logger,
  now: () => number = Date.now,
): Map<string, OpenBreaker> {
  const restored = new Map<string, OpenBreaker>();
  for (const account of accounts) {
    const saved = state.authPause(account.name);
    if (saved === undefined) continue;
    if (saved.credentials !== state.fingerprint(account.auth)) {
      state.setAuthPause(account.name, undefined);
      logger.info(
        { account: account.name },
        'the credentials changed since CHAOS refused them: the saved auth pause is dropped and the account is tried at once',
      );
      continue;
    }
    // A clock that was wrong when the pause was written (a board without a real-time clock) must
    // not pause the account for longer than the breaker ever would.
    const untilMs = Math.min(saved.untilMs, now() + MAX_AUTH_PAUSE_MS);
    restored.set(account.name, { untilMs, refusals: saved.refusals });
    logger.warn(
      { account: account.name, refusals: saved.refusals, pausedUntil: new Date(untilMs).toISOString() },
      'CHAOS refused these credentials before the restart: the account stays paused until the pause ends or its credentials change',
    );
  }
  return restored;
}

/** Writes an auth pause (or its end) to the state, with the fingerprint of the credentials refused. */
export function rememberPause(
  state: StateKeeper,
  accounts: readonly AccountConfig[],
  event: AuthPauseEvent,
): void {
  if (event.pause === undefined) {
    state.setAuthPause(event.account, undefined);
    return;
  }
  // The fingerprint is a slow hash: only worth it when the pause is written to disk.
  if (!state.persistent) return;
  const account = accounts.find((candidate) => candidate.name === event.account);
  if (account === undefined) return;
  state.setAuthPause(event.account, { ...event.pause, credentials: state.fingerprint(account.auth) });
}
