/**
 * The auth breaker of each account: once CHAOS refuses an account's credentials, no call is made
 * for that account until a pause ends (15 min, doubling up to 4 h), so a bad password never turns
 * into a retry storm against A&A. One success closes it.
 *
 * An account counts as paused from the refusal until that success ({@link AuthBreakers.stateOf}),
 * also after its pause has ended and before the next attempt: what `/health`, the status page and
 * `aaisp_account_auth_paused` show does not blink off between the pause's end and the next tier
 * run that tries CHAOS again.
 *
 * @module
 */

/** The default first pause. */
export const DEFAULT_AUTH_PAUSE_MS: number = 15 * 60_000;
/** The longest pause. */
export const MAX_AUTH_PAUSE_MS: number = 4 * 60 * 60_000;

/** An open breaker of one account. */
export interface OpenBreaker {
  /** Calls may resume at this time (ms since the epoch). */
  readonly untilMs: number;
  /** Refusals in a row. */
  readonly refusals: number;
}

/** A refusal that opened (or re-opened) the breaker: its pause, and the breaker it left. */
export interface Refusal extends OpenBreaker {
  /** How long calls are paused, from the refusal. */
  readonly pauseMs: number;
}

/** The breakers of every account; one per scheduler. */
export interface AuthBreakers {
  /** The account's breaker while it is open at `nowMs`. */
  openAt(account: string, nowMs: number): OpenBreaker | undefined;
  /**
   * The account's breaker from CHAOS' last refusal until a success closes it, whatever the time:
   * still there once its pause has ended (`untilMs` in the past) and the next attempt has not yet
   * been made. `undefined`: CHAOS has not refused the account since it last accepted it.
   */
  stateOf(account: string): OpenBreaker | undefined;
  /**
   * Records a refusal. Several jobs of one account may fail together: only the first opens (or
   * re-opens) the breaker, and only it gets the refusal back, so the pause is logged (and
   * reported) once.
   */
  refuse(account: string, nowMs: number): Refusal | undefined;
  /**
   * CHAOS accepted the account: the next refusal starts from the first pause again. Returns
   * whether the account was paused (it had been refused since it was last accepted).
   */
  close(account: string): boolean;
}

/**
 * Creates the breakers; `firstPauseMs` doubles per refusal up to {@link MAX_AUTH_PAUSE_MS}.
 * `restored`: breakers a previous process left (the state file), as they were; an account in it is
 * paused until its pause ends, as if this process had seen the refusals.
 */
export function createAuthBreakers(
  firstPauseMs: number = DEFAULT_AUTH_PAUSE_MS,
  restored: ReadonlyMap<string, OpenBreaker> = new Map(),
): AuthBreakers {
  const breakers = new Map<string, OpenBreaker>(restored);
  const openAt = (account: string, nowMs: number): OpenBreaker | undefined => {
    const breaker = breakers.get(account);
    return breaker !== undefined && nowMs < breaker.untilMs ? breaker : undefined;
  };
  return {
    openAt,
    stateOf: (account) => breakers.get(account),
    refuse(account, nowMs) {
      if (openAt(account, nowMs) !== undefined) return undefined;
      const refusals = (breakers.get(account)?.refusals ?? 0) + 1;
      const pauseMs = Math.min(firstPauseMs * 2 ** (refusals - 1), MAX_AUTH_PAUSE_MS);
      const breaker = { untilMs: nowMs + pauseMs, refusals };
      breakers.set(account, breaker);
      return { ...breaker, pauseMs };
    },
    close: (account) => breakers.delete(account),
  };
}
