/**
 * Every default of the SDK, declared once, and the checks that apply them to a caller's options.
 * The CHAOS client and the CQM fetch share them: the same timeout, retries and User-Agent.
 *
 * @module
 */

import packageJson from '../package.json' with { type: 'json' };
import type { RetrySettings } from './retry-policy.ts';
import type { RetryPolicy } from './transport-types.ts';

/** The real CHAOS v2 endpoint. */
export const DEFAULT_BASE_URL = 'https://chaos2.aa.net.uk/';

/**
 * The per-attempt timeout of every request, CHAOS and CQM, in ms, unless the caller gives one.
 * Exported so that an application that takes the timeout as a setting of its own can fall back to
 * the same figure instead of repeating it.
 *
 * @example
 * ```ts
 * import { DEFAULT_TIMEOUT_MS, fetchCqmCsv } from '@aaisp/chaos-client';
 *
 * const timeout = Number(process.env.CQM_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS); //=> 30000 when unset
 * const csv = await fetchCqmCsv(url, { timeout });
 * ```
 */
export const DEFAULT_TIMEOUT_MS: number = 30_000;

/** Two retries, back-off up to 30 s, a `Retry-After` honoured up to 60 s. */
const DEFAULT_RETRY: RetrySettings = { limit: 2, backoffLimitMs: 30_000, maxRetryAfterMs: 60_000 };

/** The `User-Agent` of every request, CHAOS and CQM, unless the caller gives one. */
const DEFAULT_USER_AGENT: string = `@aaisp/chaos-client/${packageJson.version}`;

/** The longest timer Node allows: a longer timeout would fire at once (and ky refuses it). */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** @internal The options every request takes, as a caller gives them. */
export interface RequestOptionsInput {
  readonly timeout?: number | undefined;
  readonly retry?: RetryPolicy | undefined;
  readonly userAgent?: string | undefined;
}

/** @internal The same, checked and with the defaults applied. */
export interface RequestSettings {
  readonly timeoutMs: number;
  readonly retry: RetrySettings;
  readonly userAgent: string;
}

/**
 * @internal Applies the defaults. `who` starts the messages (`chaos-client`, `fetchCqm`).
 *
 * @throws {RangeError} for a timeout that is not from 1 to 2 147 483 647 ms, or a retry number
 * that is not finite and ≥ 0: rather than a request that never times out or retries forever.
 */
export function withDefaults(who: string, options: RequestOptionsInput): RequestSettings {
  const { timeout = DEFAULT_TIMEOUT_MS, retry = {}, userAgent = DEFAULT_USER_AGENT } = options;
  if (!Number.isFinite(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_MS) {
    throw new RangeError(`${who}: timeout must be a number from 1 to ${MAX_TIMEOUT_MS} ms, got ${timeout}`);
  }
  const {
    limit = DEFAULT_RETRY.limit,
    backoffLimitMs = DEFAULT_RETRY.backoffLimitMs,
    maxRetryAfterMs = DEFAULT_RETRY.maxRetryAfterMs,
  } = retry;
  for (const [name, value] of Object.entries({ limit, backoffLimitMs, maxRetryAfterMs })) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`${who}: retry ${name} must be a finite number ≥ 0, got ${value}`);
    }
  }
  return { timeoutMs: timeout, retry: { limit, backoffLimitMs, maxRetryAfterMs }, userAgent };
}
