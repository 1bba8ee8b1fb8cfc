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
import { ChaosError, type ChaosErrorKind, type ChaosSchemaIssue } from './errors.ts';
import {
  BACKOFF_BASE_MS,
  isRetryable,
  parseRetryAfter,
  type RetryPolicy,
  safely,
  sleep,
  strippedCause,
} from './transport.ts';

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
  /** `Latency Min,Ave,Max`, converted from nanoseconds [I] to seconds. */
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
  /** The samples, oldest first (sorted by `start`, duplicates of one start dropped). */
  readonly samples: readonly CqmSample[];
  /** Rows that were not valid samples (never the whole body: a bad header is a `schema` error). */
  readonly skipped: readonly SkippedCqmRow[];
}

/** What a hook sees of one CQM HTTP attempt: the masked URL only. */
export interface CqmRequestEvent {
  /** {@link maskCqmUrl} of the URL, e.g. `control.aa.net.uk/cqmdirect.cgi/…/home.csv`. */
  readonly url: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
}

/** What a hook sees when one CQM attempt ends. */
export interface CqmResponseEvent extends CqmRequestEvent {
  readonly durationMs: number;
  /** `"ok"` or the error kind the attempt ended with. */
  readonly outcome: 'ok' | ChaosErrorKind;
  /** The HTTP status, when an answer arrived. */
  readonly status?: number | undefined;
}

/** Observers of each CQM attempt. A hook that throws is ignored. */
export interface CqmHooks {
  readonly onRequest?: ((event: CqmRequestEvent) => void) | undefined;
  readonly onResponse?: ((event: CqmResponseEvent) => void) | undefined;
}

/** Options of {@link fetchCqm}; the same rules as the CHAOS client's. */
export interface FetchCqmOptions {
  /** Per attempt, ms. Default 30 000. */
  readonly timeout?: number | undefined;
  /** As for CHAOS read commands (a GET is always safe to retry). */
  readonly retry?: RetryPolicy | undefined;
  /** Injectable fetch (tests, proxies). Default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch | undefined;
  readonly hooks?: CqmHooks | undefined;
  readonly signal?: AbortSignal | undefined;
  /** `User-Agent`; default `@aaisp/chaos-client/<version>`. */
  readonly userAgent?: string | undefined;
}

/**
 * The masked form of a CQM link, safe to log: host and path with every segment but the file name
 * replaced by `…` when it may be a secret, no query, fragment or user info.
 *
 * @example
 * ```ts
 * maskCqmUrl('https://control.aa.net.uk/cqmdirect.cgi/Ab12Cd34Ef56Gh78/home.csv');
 * // 'control.aa.net.uk/cqmdirect.cgi/…/home.csv'
 * ```
 */
export function maskCqmUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(not a URL)';
  }
  const segments = parsed.pathname.split('/').filter((segment) => segment !== '');
  const file = segments.pop() ?? '';
  // `cqmdirect.cgi` names the service, not the line: it may stay. Everything else before the
  // file name (the secret, a FireBrick's SHA1 prefix, a date) is masked.
  const masked = segments.map((segment) => (segment === 'cqmdirect.cgi' ? segment : '…'));
  return [parsed.host, ...masked, file].join('/');
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Maps what one attempt threw to a ChaosError that names the link only in its masked form. */
function classify(error: unknown, masked: string, timeoutMs: number): ChaosError {
  const label = `CQM ${masked}`;
  const where = { subsystem: 'cqm', command: 'csv' };
  if (error instanceof ChaosError) return error;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    // undici's messages name no URL, but strippedCause keeps only name, message and code anyway.
    return new ChaosError('timeout', `${label}: no answer within ${timeoutMs} ms`, {
      ...where,
      cause: strippedCause(error),
    });
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code =
    cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  // No cause text: a fetch error's message may quote the URL it failed on.
  const stripped = new Error(code ?? 'fetch failed');
  stripped.name = cause instanceof Error ? cause.name : 'Error';
  if (code !== undefined) Object.assign(stripped, { code });
  return new ChaosError('network', `${label}: no answer${code === undefined ? '' : ` (${code})`}`, {
    ...where,
    cause: stripped,
  });
}

/** The error for a non-2xx answer. */
function statusError(response: Response, masked: string): ChaosError {
  const where = { subsystem: 'cqm', command: 'csv', status: response.status };
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  const after = retryAfter === undefined ? {} : { retryAfter };
  if (response.status === 429) {
    const wait = retryAfter === undefined ? '' : `; retry after ${retryAfter} s`;
    return new ChaosError('rate-limit', `CQM ${masked}: rate limited (HTTP 429)${wait}`, {
      ...where,
      ...after,
    });
  }
  // A 401/403/404 is a bad or revoked link: kind `http`, never `auth`, which is about CHAOS
  // credentials and would make an exporter pause the account's CHAOS calls.
  return new ChaosError('http', `CQM ${masked}: HTTP ${response.status} ${response.statusText}`.trimEnd(), {
    ...where,
    ...after,
  });
}

/**
 * Fetches and parses one line's CQM CSV (docs/chaos-api.md §11.2): a GET with a per-attempt
 * timeout and the CHAOS client's retry rules (network errors, timeouts, HTTP 408/429/502/503/504;
 * `Retry-After` honoured up to `maxRetryAfterMs`). The URL is the credential: errors, their
 * causes and hook events carry only {@link maskCqmUrl}'s form of it.
 *
 * @throws {TypeError} for a URL that is not http(s) (without quoting it).
 * @throws {ChaosError} `http`, `rate-limit`, `network`, `timeout`, or `schema` for a body that is not a CQM CSV.
 * @example
 * ```ts
 * const { samples } = await fetchCqm(process.env.CQM_URL ?? '', { timeout: 10_000 });
 * const newest = samples.at(-1);
 * console.log(newest?.latencySeconds.avg, newest?.failedRatio);
 * ```
 */
export async function fetchCqm(url: string | URL, options: FetchCqmOptions = {}): Promise<CqmData> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new TypeError('fetchCqm: the CQM link is not an absolute URL');
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw new TypeError('fetchCqm: the CQM link must be http(s)');
  }
  const masked = maskCqmUrl(target);
  const timeoutMs = options.timeout ?? DEFAULT_TIMEOUT_MS;
  const limit = options.retry?.limit ?? 2;
  const backoffLimitMs = options.retry?.backoffLimitMs ?? 30_000;
  const maxRetryAfterMs = options.retry?.maxRetryAfterMs ?? 60_000;
  const fetcher = options.fetch ?? globalThis.fetch;
  const headers = {
    'user-agent': options.userAgent ?? `@aaisp/chaos-client/${packageJson.version}`,
    accept: 'text/csv, text/plain;q=0.9, */*;q=0.1',
  };
  const { signal, hooks } = options;

  const attempt = async (): Promise<CqmData> => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const response = await fetcher(target, {
      headers,
      signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw statusError(response, masked);
    }
    return parseCqmCsv(await response.text());
  };

  for (let number = 1; ; number++) {
    const event = { url: masked, attempt: number };
    safely(() => hooks?.onRequest?.(event));
    const started = performance.now();
    try {
      const data = await attempt();
      safely(() =>
        hooks?.onResponse?.({
          ...event,
          durationMs: performance.now() - started,
          outcome: 'ok',
          status: 200,
        }),
      );
      return data;
    } catch (thrown) {
      if (signal?.aborted) throw signal.reason;
      const error = classify(thrown, masked, timeoutMs);
      const status = error.status ?? (error.kind === 'schema' ? 200 : undefined);
      safely(() =>
        hooks?.onResponse?.({
          ...event,
          durationMs: performance.now() - started,
          outcome: error.kind,
          ...(status === undefined ? {} : { status }),
        }),
      );
      if (number > limit || !isRetryable(error)) throw error;
      let delay: number;
      if (error.retryAfter !== undefined) {
        delay = error.retryAfter * 1000;
        if (delay > maxRetryAfterMs) throw error;
      } else {
        // Full jitter, as for CHAOS calls.
        delay = Math.random() * Math.min(backoffLimitMs, BACKOFF_BASE_MS * 2 ** (number - 1));
      }
      await sleep(delay, signal);
    }
  }
}
