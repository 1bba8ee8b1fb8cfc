/**
 * Turns whatever a request threw (ky's `HTTPError`, `TimeoutError` or `NetworkError`, or anything
 * an injected fetch threw) into a {@link ChaosError}. A ky error holds the request, whose body
 * (CHAOS) or URL (CQM) is a credential: none is kept. A `cause` is a new error with the name, the
 * scrubbed message and the `code` of the original, down its chain.
 *
 * @module
 */

import { isHTTPError, isNetworkError, isTimeoutError } from 'ky';
import { ChaosError } from './errors.ts';

/** @internal What a failure's error says about its request. */
export interface FailureTarget {
  /** Starts every message: `CHAOS broadband/info`, `CQM control.aa.net.uk/cqmdirect.cgi/…/home.csv`. */
  readonly label: string;
  readonly subsystem: string;
  readonly command: string;
  /** Removes the request's secrets from text the SDK did not write (reason phrases, causes). */
  readonly scrub: (text: string) => string;
  /** What a message says when nothing came back: a CHAOS message has always named CHAOS. */
  readonly noAnswer: string;
  /**
   * CHAOS only: the error a non-2xx body stands for, when it is a CHAOS `error` answer
   * (docs/chaos-api.md §10.7), so that its meaning is kept.
   */
  readonly answerError?: ((data: unknown, status: number) => ChaosError | undefined) | undefined;
}

/** RFC 9110's preferred HTTP date, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * @internal Reads `Retry-After` as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Anything else (`5.5`, `-1`, prose) is ignored rather than read as "now".
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (!IMF_FIXDATE.test(trimmed)) return undefined;
  return Math.max(0, Math.ceil((Date.parse(trimmed) - now) / 1000));
}

/**
 * @internal An error safe to keep as `cause`: name, message and `code` only, down the cause chain,
 * never the request or options (whose body or URL holds a credential) a ky error carries. `scrub`
 * cleans each message.
 */
export function strippedCause(
  error: Error,
  scrub: (text: string) => string = (text) => text,
  depth = 0,
): Error {
  const inner =
    depth < 3 && error.cause instanceof Error ? strippedCause(error.cause, scrub, depth + 1) : undefined;
  const stripped = new Error(scrub(error.message), inner === undefined ? undefined : { cause: inner });
  stripped.name = error.name;
  if ('code' in error && typeof error.code === 'string') Object.assign(stripped, { code: error.code });
  return stripped;
}

/** The first `code` down a cause chain (`ECONNRESET`, `UND_ERR_SOCKET`, …). */
function codeOf(error: Error): string | undefined {
  for (let at: unknown = error, depth = 0; at instanceof Error && depth < 4; at = at.cause, depth++) {
    if ('code' in at && typeof at.code === 'string') return at.code;
  }
  return undefined;
}

/**
 * @internal The ChaosError a failed request stands for. `timeoutMs` is the per-attempt timeout,
 * for the message. Not for the caller's abort, which is rethrown as is before this is asked.
 */
export function toChaosError(thrown: unknown, target: FailureTarget, timeoutMs: number): ChaosError {
  const { label, scrub } = target;
  const where = { subsystem: target.subsystem, command: target.command };
  if (isTimeoutError(thrown)) {
    return new ChaosError('timeout', `${label}: no answer within ${timeoutMs} ms`, {
      ...where,
      cause: strippedCause(thrown, scrub),
    });
  }
  if (isHTTPError(thrown)) {
    const { status, statusText, headers } = thrown.response;
    // A 429 is a rate limit whatever its body says.
    const answer = status === 429 ? undefined : target.answerError?.(thrown.data, status);
    if (answer !== undefined) return answer;
    const retryAfter = parseRetryAfter(headers.get('retry-after'));
    const after = retryAfter === undefined ? {} : { retryAfter };
    const cause = strippedCause(thrown, scrub);
    if (status === 429) {
      const wait = retryAfter === undefined ? '' : `; retry after ${retryAfter} s`;
      return new ChaosError('rate-limit', `${label}: rate limited (HTTP 429)${wait}`, {
        ...where,
        status,
        ...after,
        cause,
      });
    }
    // The reason phrase is the server's text: scrubbed, in case it echoes the request. A 503 may
    // say when to come back too.
    const message = `${label}: HTTP ${status} ${scrub(statusText)}`.trimEnd();
    return new ChaosError('http', message, { ...where, status, ...after, cause });
  }
  // No answer. ky wraps the runtime's own network errors; the fetch's error is the one to keep.
  const error = isNetworkError(thrown) && thrown.cause instanceof Error ? thrown.cause : thrown;
  if (!(error instanceof Error)) {
    // Not an Error: nothing safe to keep (a string may be anything, a credential included).
    return new ChaosError('network', `${label}: request failed`, where);
  }
  const code = codeOf(error);
  return new ChaosError('network', `${label}: ${target.noAnswer}${code === undefined ? '' : ` (${code})`}`, {
    ...where,
    cause: strippedCause(error, scrub),
  });
}
