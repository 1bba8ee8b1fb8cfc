/**
 * The public types of the CHAOS client's options: credentials, the retry policy and the hooks'
 * events. Kept apart from the code that uses them, so the transport, the CQM fetch and the client
 * can each import them without importing each other.
 *
 * @module
 */

import type { ChaosErrorKind } from './errors.ts';

/** Control-login credentials: reach the lines of that login (and of logins under a manager). */
export interface ControlLoginAuth {
  /** The base control login, e.g. `ab123@a` (not a line's `ab123@a.1`). */
  readonly controlLogin: string;
  readonly controlPassword: string;
}

/** Account credentials: reach every service on the account. */
export interface AccountAuth {
  /** The accounts-system reference, e.g. `A1234A`. */
  readonly accountNumber: string;
  readonly accountPassword: string;
  /** CHAOS normally expects a control login of the account alongside (D1, docs/chaos-api.md §2.4). */
  readonly controlLogin?: string | undefined;
}

/** Either pair authenticates (docs/chaos-api.md §2.4). */
export type ChaosAuth = ControlLoginAuth | AccountAuth;

/** How a failed read command is retried. Write commands are never retried. */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 2; 0 turns retries off. */
  readonly limit?: number | undefined;
  /** Upper bound of the exponential back-off between attempts, in ms. Default 30 000. */
  readonly backoffLimitMs?: number | undefined;
  /**
   * The longest `Retry-After` the client will wait, in ms. A 429 asking for longer fails at once
   * with `kind: 'rate-limit'` and its `retryAfter`, so the caller can schedule. Default 60 000.
   */
  readonly maxRetryAfterMs?: number | undefined;
}

/** What a hook sees of one HTTP attempt. Never a credential, a URL query or a body. */
export interface ChaosRequestEvent {
  readonly subsystem: string;
  readonly command: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
}

/**
 * What a hook sees when one HTTP attempt ends. An attempt cut short by the caller's abort has no
 * response event.
 */
export interface ChaosResponseEvent extends ChaosRequestEvent {
  /** Wall time of the attempt, in ms, parsing included. */
  readonly durationMs: number;
  /** `"ok"`, or the kind of error the attempt ended with (`schema` when parsing failed). */
  readonly outcome: 'ok' | ChaosErrorKind;
  /**
   * The HTTP status when an answer arrived: the error's status for `http` and `rate-limit`, and
   * 200 for the rest (CHAOS answers `auth`, `api` and `unknown-command` errors with HTTP 200).
   */
  readonly status?: number;
}

/**
 * Observers of each HTTP attempt, e.g. to count requests and time them. A hook that throws is
 * ignored: observing must not change a call's result.
 */
export interface ChaosHooks {
  readonly onRequest?: ((event: ChaosRequestEvent) => void) | undefined;
  readonly onResponse?: ((event: ChaosResponseEvent) => void) | undefined;
}
