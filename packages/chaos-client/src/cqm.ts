/**
 * A&A's CQM line-quality data (docs/chaos-api.md §11.2): `fetchCqm` GETs one line's
 * `cqmdirect.cgi/<secret>/<name>.csv` and parses its 100-second samples; `fetchCqmCsv` GETs the
 * same CSV as text. Not CHAOS, but the same transport: User-Agent, timeout, retries and error
 * mapping. The secret in the path is the only credential, so the URL is treated as a password
 * and only its masked form ({@link maskCqmUrl}) ever appears in an error, a hook event or a log.
 *
 * @module
 */

import { parseCqmCsv } from './cqm-csv.ts';
import type { CqmData, FetchCqmOptions } from './cqm-types.ts';
import { cqmUrlScrubber, maskCqmUrl } from './cqm-url.ts';
import { withDefaults } from './defaults.ts';
import { ChaosError, isChaosError } from './errors.ts';
import { cqmRetryPlan } from './retry-policy.ts';
import { createTransport } from './transport.ts';

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

/**
 * An injected fetch has always been called as `fetch(link, { headers, signal })`, and one written
 * against that (reading its input as a string) must keep working. ky hands the transport a
 * Request; this passes its parts on in that older form. A GET has no body to lose.
 */
function asLinkFetch(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  return (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    return fetch(new URL(request.url), {
      headers: Object.fromEntries(request.headers),
      signal: request.signal,
    });
  };
}

/**
 * GETs a CQM link through the transport and hands the text of a 2xx answer to `parse` (given the
 * error label), inside the last attempt.
 */
async function requestCqm<T>(
  url: string | URL,
  options: FetchCqmOptions,
  parse: (text: string, label: string) => T,
): Promise<T> {
  const target = checkedUrl(url);
  const { timeoutMs, retry, userAgent } = withDefaults('fetchCqm', options);
  const masked = maskCqmUrl(target);
  const label = `CQM ${masked}`;
  const transport = createTransport({
    timeoutMs,
    userAgent,
    fetch: options.fetch === undefined ? undefined : asLinkFetch(options.fetch),
  });
  const { hooks } = options;
  return transport({
    url: target,
    method: 'get',
    accept: 'text/csv, text/plain;q=0.9, */*;q=0.1',
    signal: options.signal,
    retry: cqmRetryPlan(retry),
    failure: {
      label,
      subsystem: 'cqm',
      command: 'csv',
      scrub: cqmUrlScrubber(target, String(url)),
      noAnswer: 'no answer',
    },
    observer: {
      onAttempt: (attempt) => hooks?.onRequest?.({ url: masked, attempt }),
      onAttemptEnd: (end) => hooks?.onResponse?.({ url: masked, ...end }),
    },
    parse: (text) => parse(text, label),
  });
}

/**
 * Fetches and parses one line's CQM CSV (docs/chaos-api.md §11.2): a GET with a per-attempt
 * timeout and the CHAOS client's retry rules (network errors, timeouts, HTTP 408, 429 and 5xx;
 * `Retry-After` honoured up to `maxRetryAfterMs`). The URL is the credential: errors, their
 * causes and hook events carry only {@link maskCqmUrl}'s form of it.
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
  return requestCqm(url, options, (text, label) => {
    try {
      return parseCqmCsv(text);
    } catch (error) {
      if (!isChaosError(error)) throw error;
      const first = error.issues[0]?.message ?? error.message;
      throw new ChaosError('schema', `${label}: the answer is not a CQM CSV: ${first}`, {
        subsystem: 'cqm',
        command: 'csv',
        issues: error.issues,
      });
    }
  });
}

/**
 * GETs one line's CQM CSV and resolves to its text as sent (decoded as UTF-8), unparsed: for a
 * tool that keeps or forwards the CSV itself, such as a bug report. The same request as
 * {@link fetchCqm}'s, with the same options, User-Agent, retries and errors, less `schema`: any
 * 2xx body is the answer.
 *
 * @throws {TypeError} for a link that is not an absolute http(s) URL or carries user info (the
 * message never quotes it), {RangeError} for a bad `timeout` or `retry` number: both before any
 * request.
 * @throws {ChaosError} `http` (with `status`), `rate-limit` (`status`, `retryAfter`), `network` or
 * `timeout`, naming the link only masked. The last attempt's error. A caller's abort rejects with
 * its reason.
 * @example
 * ```ts
 * const csv = await fetchCqmCsv(process.env.CQM_URL ?? '', { retry: { limit: 0 } });
 * await writeFile('cqm.csv', csv);
 * ```
 */
export async function fetchCqmCsv(url: string | URL, options: FetchCqmOptions = {}): Promise<string> {
  return requestCqm(url, options, (text) => text);
}
