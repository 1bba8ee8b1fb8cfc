/**
 * When a failed request is tried again, per kind of request, written as ky's own retry options:
 * ky sends the retries, waits (exponential back-off with full jitter, or what `Retry-After`
 * asks), and stops waiting on the caller's abort. The three rules ky has no option for are in
 * {@link retryVerdict}, which the transport plugs into ky's `shouldRetry`.
 *
 * @module
 */

import { isKyError, type RetryOptions } from 'ky';
import type { ChaosError, ChaosErrorKind } from './errors.ts';

/** @internal A `RetryPolicy` with every default applied (see `defaults.ts`). */
export interface RetrySettings {
  readonly limit: number;
  readonly backoffLimitMs: number;
  readonly maxRetryAfterMs: number;
}

/** @internal How one request is retried: ky's options, and what {@link retryVerdict} needs. */
export interface RetryPlan {
  /** Everything but `shouldRetry`, which the transport adds (it needs the call's abort signal). */
  readonly options: Omit<RetryOptions, 'shouldRetry'>;
  readonly maxRetryAfterMs: number;
}

/** The first wait of the back-off, in ms: then 2 s, 4 s, … up to `backoffLimitMs`. */
const BACKOFF_BASE_MS = 1000;

/**
 * CHAOS statuses worth another attempt. Not 500: CHAOS's one known 500 (telephony without VoIP)
 * is permanent.
 */
const CHAOS_STATUSES: readonly number[] = [408, 429, 502, 503, 504];

/**
 * CQM statuses worth another attempt: 408, 429 and every 5xx, since a GET is always safe to
 * repeat and no 500 of the CQM host is known to be permanent. Never another 4xx: that is a bad or
 * revoked link.
 */
const CQM_STATUSES: readonly number[] = [408, 429, ...Array.from({ length: 100 }, (_, index) => 500 + index)];

function plan(method: 'get' | 'post', statusCodes: readonly number[], settings: RetrySettings): RetryPlan {
  return {
    options: {
      // ky insists on a whole number; a fractional limit has always meant its floor.
      limit: Math.floor(settings.limit),
      methods: [method],
      statusCodes: [...statusCodes],
      // A Retry-After is honoured on every retried status (a 502 or 504 may send one too), not
      // only on ky's default 413, 429 and 503.
      afterStatusCodes: [...statusCodes],
      // A backstop: retryVerdict fails at once on a longer Retry-After it can read, and this caps
      // the timing headers only ky reads (RateLimit-Reset, RFC 850 dates).
      maxRetryAfter: settings.maxRetryAfterMs,
      retryOnTimeout: true,
      // Full jitter: a random wait in [0, min(cap, 1 s × 2^(n−1))), so many exporters restarted
      // together do not retry in step. The cap sits inside `delay` because ky applies
      // `backoffLimit` after the jitter, which alone would pile long waits up at the cap.
      delay: (attempt) => Math.min(settings.backoffLimitMs, BACKOFF_BASE_MS * 2 ** (attempt - 1)),
      jitter: true,
      backoffLimit: settings.backoffLimitMs,
    },
    maxRetryAfterMs: settings.maxRetryAfterMs,
  };
}

/**
 * @internal A CHAOS command: a POST, retried when it only reads. A write (`kill`, `order`, …) is
 * sent once: a repeat could act twice.
 */
export function chaosRetryPlan(write: boolean, settings: RetrySettings): RetryPlan {
  return plan('post', CHAOS_STATUSES, write ? { ...settings, limit: 0 } : settings);
}

/** @internal A CQM link: a GET, retried like a CHAOS read, plus every 5xx. */
export function cqmRetryPlan(settings: RetrySettings): RetryPlan {
  return plan('get', CQM_STATUSES, settings);
}

/** The kinds of failure worth another attempt; the others are answers (auth, api, schema, …). */
const RETRIED_KINDS: ReadonlySet<ChaosErrorKind> = new Set(['network', 'timeout', 'rate-limit', 'http']);

/**
 * @internal The retry rules ky has no option for, as a `shouldRetry` answer: `false` stops, `true`
 * retries, `undefined` leaves the decision to ky's options (`statusCodes`, `retryOnTimeout`, its
 * network errors). `failure` is what `thrown` maps to.
 */
export function retryVerdict(failure: ChaosError, thrown: unknown, plan: RetryPlan): boolean | undefined {
  // A non-2xx whose body is a CHAOS error answer (auth on a 401, api on a 502) is that answer.
  if (!RETRIED_KINDS.has(failure.kind)) return false;
  // ky would cut a long Retry-After down to maxRetryAfter and retry anyway; the caller would
  // rather have the answer now, with its `retryAfter`, and schedule the wait itself.
  if (failure.retryAfter !== undefined && failure.retryAfter * 1000 > plan.maxRetryAfterMs) return false;
  // ky retries only the network errors it recognises by message. Anything else a fetch throws is
  // no answer either (kind `network`), and has always been retried.
  if (!isKyError(thrown)) return true;
  return undefined;
}
