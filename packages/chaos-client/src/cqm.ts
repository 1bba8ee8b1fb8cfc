/**
 * A&A's CQM line-quality data (docs/chaos-api.md §11.2): `fetchCqm` GETs one line's
 * `cqmdirect.cgi/<secret>/<name>.csv` and parses its 100-second samples. Not CHAOS: the secret in
 * the path is the only credential, so the URL is treated as a password and only its masked form
 * ({@link maskCqmUrl}) ever appears in an error, a hook event or a log.
 *
 * @module
 */

import packageJson from '../package.json' with { type: 'json' };
import { parseCqmCsv } from './cqm-csv.ts';
import { cqmUrlScrubber, maskCqmUrl } from './cqm-url.ts';
import { ChaosError, type ChaosErrorKind, type ChaosSchemaIssue, isChaosError } from './errors.ts';
import { parseRetryAfter, type RetryPolicy, runAttempts, strippedCause } from './transport.ts';

/**
 * One CQM sample: A&A's measurements of a line over one period (normally 100 s of one LCP echo a
 * second). Each value is absent when its CSV field is absent or empty.
 */
export interface CqmSample {
  /** Start of the sample (the CSV's `Time`, Europe/London wall time). */
  readonly start: Date;
  /** `Period`: seconds in the sample (100). */
  readonly periodSeconds?: number | undefined;
  /** `Polls Sent`: echoes sent in the sample (100 = one a second); 0 may mean the line was down. */
  readonly pollsSent?: number | undefined;
  /** `%Fail` ÷ 100: the share of echoes without an answer, 0..1. */
  readonly failedRatio?: number | undefined;
  /** `Latency Min,Av,Max`, converted from nanoseconds [I] to seconds. */
  readonly latencySeconds: {
    readonly min?: number | undefined;
    readonly avg?: number | undefined;
    readonly max?: number | undefined;
  };
  /**
   * `Traffic (bit/s) Rx,Tx` named from A&A's side [I]: `down` is Tx (A&A transmits, the customer
   * downloads), `up` is Rx.
   */
  readonly trafficBitsPerSecond: {
    readonly down?: number | undefined;
    readonly up?: number | undefined;
  };
  /** `Score`: an integer quality grade whose meaning A&A does not document [?]. */
  readonly score?: number | undefined;
}

/** A row of the CSV that could not be read as a sample; the other rows are kept. */
export interface SkippedCqmRow {
  /** 1-based line number in the body (the header is line 1). */
  readonly line: number;
  readonly issues: readonly ChaosSchemaIssue[];
}

/** One fetch of a line's CQM CSV. */
export interface CqmData {
  /** The samples, oldest first (sorted by `start`; of rows with the same start, the last one). */
  readonly samples: readonly CqmSample[];
  /** Rows that were not valid samples (never the whole body: a bad header is a `schema` error). */
  readonly skipped: readonly SkippedCqmRow[];
  /**
   * Known columns the header lacks, each by the name A&A is known to send (`Latency Min`, `Av`,
   * `Tx`, …): its value is absent from every sample. Empty for the real header and for an empty
   * body. Not empty means A&A's format differs from the one this package knows: worth reporting.
   */
  readonly missingColumns: readonly string[];
  /**
   * Header names that no known column takes (trimmed, cut at 64 characters; a nameless column as
   * `(column N, no name)`), a repeated name included: their values are not read. Empty for the real
   * header.
   */
  readonly unknownColumns: readonly string[];
}

/** What a hook sees of one CQM HTTP attempt: the masked URL only. */
export interface CqmRequestEvent {
  /** {@link maskCqmUrl} of the URL, e.g. `control.aa.net.uk/cqmdirect.cgi/…/home.csv`. */
  readonly url: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
}

/**
 * What a hook sees when one CQM attempt ends. An attempt cut short by the caller's abort has no
 * response event.
 */
export interface CqmResponseEvent extends CqmRequestEvent {
  /** Wall time of the attempt, in ms, reading and parsing the body included. */
  readonly durationMs: number;
  /**
   * `"ok"`, or the error kind the attempt ended with: `http`, `rate-limit`, `network`, `timeout`
   * or `schema` (never a CHAOS kind such as `auth`).
   */
  readonly outcome: 'ok' | ChaosErrorKind;
  /** The HTTP status when an answer arrived (`ok`, `http`, `rate-limit`, `schema`). */
  readonly status?: number | undefined;
}

/**
 * Observers of each CQM attempt, e.g. to count and time fetches. Called synchronously and not
 * awaited; a hook that throws (or returns a promise that rejects) is ignored.
 */
export interface CqmHooks {
  readonly onRequest?: ((event: CqmRequestEvent) => void) | undefined;
  readonly onResponse?: ((event: CqmResponseEvent) => void) | undefined;
}

/** Options of {@link fetchCqm}; the same rules as the CHAOS client's. */
export interface FetchCqmOptions {
  /** Per attempt, in ms, from sending to the last byte of the body. Default 30 000. */
  readonly timeout?: number | undefined;
  /**
   * As for CHAOS read commands (default 2 retries, jittered back-off, `Retry-After` honoured up to
   * `maxRetryAfterMs`), except that HTTP 500 is retried too: a GET is always safe to repeat, and
   * no 500 of the CQM host is known to be permanent.
   */
  readonly retry?: RetryPolicy | undefined;
  /** Injectable fetch (tests, proxies). Default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** Observers of each attempt; they see the masked link only. */
  readonly hooks?: CqmHooks | undefined;
  /** Aborts the fetch, retries included: the promise rejects with the signal's reason as is. */
  readonly signal?: AbortSignal | undefined;
  /** `User-Agent`; default `@aaisp/chaos-client/<version>`. */
  readonly userAgent?: string | undefined;
}

/** The longest timer Node allows; a longer `AbortSignal.timeout` would fire at once. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * The options with defaults applied. Bad numbers are a `RangeError` rather than a fetch that
 * never times out or retries forever.
 */
function settings(options: FetchCqmOptions) {
  const { timeout = 30_000, retry = {} } = options;
  if (!Number.isFinite(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_MS) {
    throw new RangeError(`fetchCqm: timeout must be from 1 to ${MAX_TIMEOUT_MS} ms`);
  }
  const { limit = 2, backoffLimitMs = 30_000, maxRetryAfterMs = 60_000 } = retry;
  for (const [name, value] of Object.entries({ limit, backoffLimitMs, maxRetryAfterMs })) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`fetchCqm: retry.${name} must be ≥ 0`);
  }
  return { timeoutMs: timeout, limit, backoffLimitMs, maxRetryAfterMs };
}

/**
 * The link, checked. The TypeErrors quote none of it: a string that is not a URL may still be a
 * mistyped secret.
 */
function checkedUrl(url: string | URL): URL {
  const parsed = URL.parse(String(url));
  if (parsed === null) throw new TypeError('fetchCqm: the CQM link is not an absolute URL');
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TypeError('fetchCqm: the CQM link must be http:// or https://');
  }
  // fetch would refuse it with a message that quotes the whole link.
  if (parsed.username !== '' || parsed.password !== '') {
    throw new TypeError('fetchCqm: the CQM link must not carry a user name or password');
  }
  return parsed;
}

/** Retried: no answer, 408, 429 and every 5xx; never another 4xx (a bad or revoked link). */
function isRetryable(error: ChaosError): boolean {
  if (error.kind === 'network' || error.kind === 'timeout' || error.kind === 'rate-limit') return true;
  return error.kind === 'http' && error.status !== undefined && (error.status === 408 || error.status >= 500);
}

/** Settles as `work` does, or rejects with the signal's reason as soon as it aborts. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The first `code` down a cause chain (`ECONNRESET`, `UND_ERR_SOCKET`, …). */
function codeOf(error: Error): string | undefined {
  for (let at: unknown = error, depth = 0; at instanceof Error && depth < 4; at = at.cause, depth++) {
    if ('code' in at && typeof at.code === 'string') return at.code;
  }
  return undefined;
}

/**
 * Fetches and parses one line's CQM CSV (docs/chaos-api.md §11.2): a GET with a per-attempt
 * timeout and the CHAOS client's retry rules (network errors, timeouts, HTTP 408, 429 and 5xx;
 * `Retry-After` honoured up to `maxRetryAfterMs`). The URL is the credential: errors, their
 * causes and hook events carry only {@link maskCqmUrl}'s form of it.
 *
 * Plain `fetch`, not ky: every ky error's message and `request` hold the full URL, so each would
 * need rewriting, while here every message is written by this function.
 *
 * @throws {TypeError} for a link that is not an absolute http(s) URL or carries user info (the
 * message never quotes it), {RangeError} for a bad `timeout` or `retry` number: both before any
 * request.
 * @throws {ChaosError} `http` (with `status`; a 401/403/404 is a bad link, never `auth`),
 * `rate-limit` (`status`, `retryAfter`), `network`, `timeout`, or `schema` (with `issues`) for a
 * body that is not a CQM CSV. The last attempt's error. A caller's abort rejects with its reason.
 * @example
 * ```ts
 * const { samples } = await fetchCqm(process.env.CQM_URL ?? '', { timeout: 10_000 });
 * const newest = samples.at(-1);
 * console.log(newest?.latencySeconds.avg, newest?.failedRatio);
 * ```
 */
export async function fetchCqm(url: string | URL, options: FetchCqmOptions = {}): Promise<CqmData> {
  const target = checkedUrl(url);
  const { timeoutMs, ...retry } = settings(options);
  const masked = maskCqmUrl(target);
  const label = `CQM ${masked}`;
  const scrub = cqmUrlScrubber(target, String(url));
  const where = { subsystem: 'cqm', command: 'csv' };
  const fetcher = options.fetch ?? globalThis.fetch;
  const headers = {
    'user-agent': options.userAgent ?? `@aaisp/chaos-client/${packageJson.version}`,
    accept: 'text/csv, text/plain;q=0.9, */*;q=0.1',
  };
  const { signal, hooks } = options;
  /** The errors this call made; anything else thrown (even a ChaosError) is the fetch's. */
  const ours = new WeakSet<ChaosError>();
  const own = (error: ChaosError): ChaosError => {
    ours.add(error);
    return error;
  };
  /** The current attempt's HTTP status, once its answer arrived. */
  let answered: number | undefined;

  const statusError = (response: Response): ChaosError => {
    const status = response.status;
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    const after = retryAfter === undefined ? {} : { retryAfter };
    if (status === 429) {
      const wait = retryAfter === undefined ? '' : `; retry after ${retryAfter} s`;
      return own(
        new ChaosError('rate-limit', `${label}: rate limited (HTTP 429)${wait}`, {
          ...where,
          status,
          ...after,
        }),
      );
    }
    // A 401/403/404 is a bad or revoked link: kind `http`, never `auth`, which is about CHAOS
    // credentials and would make an exporter pause the account's CHAOS calls. The reason phrase
    // is the server's text: scrubbed, in case it echoes the path.
    const message = `${label}: HTTP ${status} ${scrub(response.statusText)}`.trimEnd();
    return own(new ChaosError('http', message, { ...where, status, ...after }));
  };

  const attempt = async (): Promise<CqmData> => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const attemptSignal = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    let text: string;
    try {
      const response = await abortable(fetcher(target, { headers, signal: attemptSignal }), attemptSignal);
      answered = response.status;
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw statusError(response);
      }
      text = await abortable(response.text(), attemptSignal);
    } catch (error) {
      if (isChaosError(error) && ours.has(error)) throw error;
      if (timeout.aborted && !signal?.aborted) {
        throw own(
          new ChaosError('timeout', `${label}: no answer within ${timeoutMs} ms`, {
            ...where,
            ...(error instanceof Error ? { cause: strippedCause(error, scrub) } : {}),
          }),
        );
      }
      throw error;
    }
    try {
      return parseCqmCsv(text);
    } catch (error) {
      if (!isChaosError(error)) throw error;
      const first = error.issues[0]?.message ?? error.message;
      throw own(
        new ChaosError('schema', `${label}: the answer is not a CQM CSV: ${first}`, {
          ...where,
          issues: error.issues,
        }),
      );
    }
  };

  /** Maps whatever the fetch threw to a `network` error that names the link only masked. */
  const classify = (thrown: unknown): ChaosError => {
    if (isChaosError(thrown) && ours.has(thrown)) return thrown;
    if (!(thrown instanceof Error)) {
      // Not an Error: nothing safe to keep (a string may be anything, the URL included).
      return new ChaosError('network', `${label}: request failed`, where);
    }
    const code = codeOf(thrown);
    return new ChaosError('network', `${label}: no answer${code === undefined ? '' : ` (${code})`}`, {
      ...where,
      cause: strippedCause(thrown, scrub),
    });
  };

  return runAttempts({
    ...retry,
    signal,
    attempt: () => {
      answered = undefined;
      return attempt();
    },
    classify,
    isRetryable,
    onAttempt: (number) => hooks?.onRequest?.({ url: masked, attempt: number }),
    onAttemptEnd: (number, durationMs, error) => {
      const status = error === undefined || error.kind === 'schema' ? answered : error.status;
      return hooks?.onResponse?.({
        url: masked,
        attempt: number,
        durationMs,
        outcome: error?.kind ?? 'ok',
        ...(status === undefined ? {} : { status }),
      });
    },
  });
}
