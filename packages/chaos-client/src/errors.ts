/**
 * The one error type the client throws, switchable by `kind`.
 *
 * @module
 */

/**
 * Why a CHAOS call failed.
 *
 * - `auth`: CHAOS refused the credentials ("Control authorisation failed", "Bad control-login").
 * - `unknown-command`: CHAOS does not have that command ("Unknown command"; domain, email, sim).
 * - `api`: CHAOS answered any other `error` string (a bad `service`, a missing attribute, …).
 * - `http`: a non-2xx answer other than 429; `status` says which.
 * - `rate-limit`: HTTP 429; `retryAfter` says how long CHAOS asked us to wait, when it did.
 * - `network`: no answer: connection refused or reset, DNS failure, TLS failure.
 * - `timeout`: no answer within the per-attempt `timeout`.
 * - `schema`: an answer that is not what CHAOS promises (not JSON, a number that is not digits, a
 *   line without `ID`, …); `issues` says what and where.
 */
export type ChaosErrorKind =
  | 'auth'
  | 'unknown-command'
  | 'api'
  | 'http'
  | 'rate-limit'
  | 'network'
  | 'timeout'
  | 'schema';

/** One thing wrong with a CHAOS answer: where (`path`, e.g. `["info", 3, "tx_rate"]`) and what. */
export interface ChaosSchemaIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** What a {@link ChaosError} may carry besides its kind and message. */
export interface ChaosErrorDetails {
  /** `"broadband"`, `"login"`, … */
  readonly subsystem?: string;
  /** `"info"`, `"quota"`, … */
  readonly command?: string;
  /** `http` and `rate-limit`: the HTTP status. */
  readonly status?: number;
  /** `rate-limit`: seconds to wait, from `Retry-After`, when CHAOS sent one. */
  readonly retryAfter?: number;
  /** `schema`: what was wrong, and where. */
  readonly issues?: readonly ChaosSchemaIssue[];
  /** The CHAOS `error` string, for `auth`, `unknown-command` and `api`. */
  readonly chaosMessage?: string;
  /** The underlying error, with any request data stripped (never a credential). */
  readonly cause?: unknown;
}

/**
 * The only error `@aaisp/chaos-client` throws for a failed call. Switch on `kind`.
 *
 * No message, field or `cause` of a `ChaosError` contains a password: the client never attaches
 * an object that holds the request (its body carries the credentials).
 *
 * @example
 * ```ts
 * try {
 *   await client.broadband.info();
 * } catch (error) {
 *   if (isChaosError(error) && error.kind === 'auth') console.error('check AAISP_EXPORTER_AUTH__CONTROL_LOGIN');
 *   else throw error;
 * }
 * ```
 */
export class ChaosError extends Error {
  override readonly name = 'ChaosError';
  readonly kind: ChaosErrorKind;
  readonly subsystem: string | undefined;
  readonly command: string | undefined;
  readonly status: number | undefined;
  readonly retryAfter: number | undefined;
  readonly issues: readonly ChaosSchemaIssue[];
  readonly chaosMessage: string | undefined;

  constructor(kind: ChaosErrorKind, message: string, details: ChaosErrorDetails = {}) {
    super(message, 'cause' in details ? { cause: details.cause } : undefined);
    this.kind = kind;
    this.subsystem = details.subsystem;
    this.command = details.command;
    this.status = details.status;
    this.retryAfter = details.retryAfter;
    this.issues = details.issues ?? [];
    this.chaosMessage = details.chaosMessage;
  }
}

/**
 * Tells whether a value is a {@link ChaosError}. Compares `name`, so it also recognises errors
 * from another copy of this package.
 */
export function isChaosError(error: unknown): error is ChaosError {
  return error instanceof Error && error.name === 'ChaosError' && 'kind' in error;
}
