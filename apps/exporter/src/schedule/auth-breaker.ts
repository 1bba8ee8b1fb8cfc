/**
 * The auth breaker of each account: once CHAOS refuses an account's credentials, no call is made
 * for that account until a pause ends (15 min, doubling up to 4 h), so a bad password never turns
 * into a retry storm against A&A. One success closes it.
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

/** The breakers of every account; one per scheduler. */
export interface AuthBreakers {
  /** The account's breaker while it is open at `nowMs`. */
  openAt(account: string, nowMs: number): OpenBreaker | undefined;
  /**
   * Records a refusal. Several jobs of one account may fail together: only the first opens (or
   * re-opens) the breaker, and only it gets the pause back, so the pause is logged once.
   */
  refuse(account: string, nowMs: number): { readonly pauseMs: number } | undefined;
  /** CHAOS accepted the account: the next refusal starts from the first pause again. */
  close(account: string): void;
}

/** Creates the breakers; `firstPauseMs` doubles per refusal up to {@link MAX_AUTH_PAUSE_MS}. */
export function createAuthBreakers(firstPauseMs: number = DEFAULT_AUTH_PAUSE_MS): AuthBreakers {
  const breakers = new Map<string, OpenBreaker>();
  const openAt = (account: string, nowMs: number): OpenBreaker | undefined => {
    const breaker = breakers.get(account);
    return breaker !== undefined && nowMs < breaker.untilMs ? breaker : undefined;
  };
  return {
    openAt,
    refuse(account, nowMs) {
      if (openAt(account, nowMs) !== undefined) return undefined;
      const refusals = (breakers.get(account)?.refusals ?? 0) + 1;
      const pauseMs = Math.min(firstPauseMs * 2 ** (refusals - 1), MAX_AUTH_PAUSE_MS);
      breakers.set(account, { untilMs: nowMs + pauseMs, refusals });
      return { pauseMs };
    },
    close(account) {
      breakers.delete(account);
    },
  };
}
