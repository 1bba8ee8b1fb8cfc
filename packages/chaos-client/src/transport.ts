/**
 * One CHAOS call on the wire: a POST form to `<subsystem>/<command>/json` with the credentials in
 * the body only, a per-attempt timeout, retries for read commands, observation hooks, and every
 * failure mapped to a {@link ChaosError}.
 *
 * @module
 */

import ky, { isHTTPError, isNetworkError, isTimeoutError } from 'ky';
import { ChaosError, type ChaosErrorKind } from './errors.ts';
import { isRecord } from './is-record.ts';
import { secretForms } from './secret-forms.ts';

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

/** @internal Everything the transport needs, with defaults applied. */
export interface TransportSettings {
  readonly auth: ChaosAuth;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly retry: {
    readonly limit: number;
    readonly backoffLimitMs: number;
    readonly maxRetryAfterMs: number;
  };
  readonly fetch: typeof globalThis.fetch | undefined;
  readonly userAgent: string;
  readonly signal: AbortSignal | undefined;
  readonly hooks: ChaosHooks;
}

/** @internal One call: which command, its attributes (never credentials), and whether it writes. */
export interface TransportCall<T> {
  readonly subsystem: string;
  readonly command: string;
  readonly params: Readonly<Record<string, string>>;
  readonly write: boolean;
  readonly signal?: AbortSignal | undefined;
  /**
   * Turns the checked answer into the result. It runs inside the attempt, so a `schema` error it
   * throws is what the hooks report for that attempt, and it is never retried.
   */
  readonly parse: (answer: Record<string, unknown>) => T;
}

/** @internal Performs one CHAOS call. */
export type Transport = <T>(call: TransportCall<T>) => Promise<T>;

/** The exact strings CHAOS answers for bad credentials (HAQ; docs/chaos-api.md §2.5). */
const AUTH_ERRORS: ReadonlySet<string> = new Set(['Control authorisation failed', 'Bad control-login']);
const UNKNOWN_COMMAND = 'Unknown command';

/** Statuses worth another attempt. 500 is not: CHAOS's known 500 (no VoIP) is permanent. */
const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 502, 503, 504]);
const BACKOFF_BASE_MS = 1000;

function credentials(auth: ChaosAuth): Record<string, string> {
  if ('accountNumber' in auth) {
    return {
      account_number: auth.accountNumber,
      account_password: auth.accountPassword,
      ...(auth.controlLogin === undefined ? {} : { control_login: auth.controlLogin }),
    };
  }
  return { control_login: auth.controlLogin, control_password: auth.controlPassword };
}

/** RFC 9110's preferred HTTP date, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Reads `Retry-After` as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). Anything
 * else (`5.5`, `-1`, prose) is ignored rather than read as "now".
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
 * never the request or options (whose body holds the credentials) a ky error carries. `scrub`
 * cleans each message: the CQM fetch passes one that removes its link.
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

/**
 * Drops any password from CHAOS's `request` echo. D1 says CHAOS never echoes one, but PRZ's
 * struct has the field [?] (docs/chaos-api.md §2.4, §10.9), and the answer is handed to callers
 * (`raw`, `request().body`).
 */
function redactEcho(answer: Record<string, unknown>): void {
  const echo = answer.request;
  if (!isRecord(echo)) return;
  for (const key of Object.keys(echo)) if (/password/i.test(key)) delete echo[key];
}

/** Maps whatever one attempt threw to a ChaosError (or rethrows a caller's abort). */
function classify(error: unknown, call: TransportCall<unknown>, timeoutMs: number, scrub: Scrub): ChaosError {
  const where = { subsystem: call.subsystem, command: call.command };
  const label = `CHAOS ${call.subsystem}/${call.command}`;
  if (error instanceof ChaosError) return error;
  if (isTimeoutError(error)) {
    return new ChaosError('timeout', `${label}: no answer within ${timeoutMs} ms`, {
      ...where,
      cause: strippedCause(error),
    });
  }
  if (isHTTPError(error)) {
    const status = error.response.status;
    // [?] A non-200 may carry CHAOS's usual `error` body (docs/chaos-api.md §10.7): keep its meaning.
    const data: unknown = error.data;
    if (isRecord(data) && 'error' in data && status !== 429)
      return errorAnswer(data.error, call, scrub, status);
    const retryAfter = parseRetryAfter(error.response.headers.get('retry-after'));
    if (status === 429) {
      const wait = retryAfter === undefined ? '' : `; retry after ${retryAfter} s`;
      return new ChaosError('rate-limit', `${label}: rate limited (HTTP 429)${wait}`, {
        ...where,
        status,
        ...(retryAfter === undefined ? {} : { retryAfter }),
        cause: strippedCause(error),
      });
    }
    return new ChaosError('http', `${label}: HTTP ${status} ${error.response.statusText}`.trimEnd(), {
      ...where,
      status,
      // A 503 may say when to come back too.
      ...(retryAfter === undefined ? {} : { retryAfter }),
      cause: strippedCause(error),
    });
  }
  if (isNetworkError(error) || error instanceof TypeError) {
    const cause = error.cause instanceof Error ? error.cause : error;
    const code = 'code' in cause && typeof cause.code === 'string' ? ` (${cause.code})` : '';
    return new ChaosError('network', `${label}: no answer from CHAOS${code}`, {
      ...where,
      cause: strippedCause(cause),
    });
  }
  const message = scrub(error instanceof Error ? error.message : String(error));
  return new ChaosError('network', `${label}: request failed: ${message}`, {
    ...where,
    ...(error instanceof Error ? { cause: strippedCause(error) } : {}),
  });
}

/** Replaces every credential secret in a text CHAOS (or fetch) sent back. */
type Scrub = (text: string) => string;

/**
 * Maps a top-level CHAOS `error` to its kind. Any `error` key means failure: one that is not a
 * string [?] is an `api` error, never an empty success.
 */
function errorAnswer(
  value: unknown,
  call: TransportCall<unknown>,
  scrub: Scrub,
  status?: number,
): ChaosError {
  const chaosMessage = scrub(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
  const kind: ChaosErrorKind = AUTH_ERRORS.has(chaosMessage)
    ? 'auth'
    : chaosMessage === UNKNOWN_COMMAND
      ? 'unknown-command'
      : 'api';
  const http = status === undefined ? '' : ` (HTTP ${status})`;
  return new ChaosError(kind, `CHAOS ${call.subsystem}/${call.command}: ${chaosMessage}${http}`, {
    subsystem: call.subsystem,
    command: call.command,
    chaosMessage,
    ...(status === undefined ? {} : { status }),
  });
}

function isRetryable(error: ChaosError): boolean {
  if (error.kind === 'network' || error.kind === 'timeout' || error.kind === 'rate-limit') return true;
  return error.kind === 'http' && error.status !== undefined && RETRY_STATUSES.has(error.status);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function safely(hook: () => unknown): void {
  try {
    // A hook typed as returning void may still be async; its rejection is swallowed too.
    const result = hook();
    if (result instanceof Promise) result.catch(() => undefined);
  } catch {
    // A broken observer must not break the call it observes.
  }
}

/**
 * @internal One request's attempts and how to judge them. The CHAOS transport and the CQM fetch
 * share {@link runAttempts}, so both retry on the same rules.
 */
export interface Attempts<T> {
  /** Retries after the first attempt. */
  readonly limit: number;
  readonly backoffLimitMs: number;
  readonly maxRetryAfterMs: number;
  /** The caller's signal: its abort rejects with its reason as is, and stops any retry. */
  readonly signal: AbortSignal | undefined;
  readonly attempt: (signal: AbortSignal | undefined) => Promise<T>;
  /** Maps what a failed attempt threw to a ChaosError (not called after the caller's abort). */
  readonly classify: (thrown: unknown) => ChaosError;
  readonly isRetryable: (error: ChaosError) => boolean;
  /**
   * Before each attempt (1-based). Whatever it throws is ignored, and so is the rejection of a
   * promise it returns (pass a hook's result on, so that an async hook's failure is swallowed).
   */
  readonly onAttempt: (attempt: number) => unknown;
  /** After each attempt not cut short by the caller's abort; `error` is undefined on success. */
  readonly onAttemptEnd: (attempt: number, durationMs: number, error: ChaosError | undefined) => unknown;
}

/**
 * @internal Runs attempts until one succeeds, one fails for good or the retries run out. Between
 * attempts it waits what `Retry-After` asked for (failing at once when that exceeds
 * `maxRetryAfterMs`), else an exponential back-off with full jitter.
 */
export async function runAttempts<T>(attempts: Attempts<T>): Promise<T> {
  const { signal } = attempts;
  for (let number = 1; ; number++) {
    safely(() => attempts.onAttempt(number));
    const started = performance.now();
    try {
      const result = await attempts.attempt(signal);
      safely(() => attempts.onAttemptEnd(number, performance.now() - started, undefined));
      return result;
    } catch (thrown) {
      if (signal?.aborted) throw signal.reason;
      const error = attempts.classify(thrown);
      safely(() => attempts.onAttemptEnd(number, performance.now() - started, error));
      if (number > attempts.limit || !attempts.isRetryable(error)) throw error;
      let delay: number;
      if (error.retryAfter !== undefined) {
        delay = error.retryAfter * 1000;
        // The server asked for a longer wait than we may spend: give the caller the answer now.
        if (delay > attempts.maxRetryAfterMs) throw error;
      } else {
        // Full jitter, so many exporters restarted together do not retry in step.
        delay = Math.random() * Math.min(attempts.backoffLimitMs, BACKOFF_BASE_MS * 2 ** (number - 1));
      }
      await sleep(delay, signal);
    }
  }
}

/** @internal Creates the function that performs one CHAOS call with the given settings. */
export function createTransport(settings: TransportSettings): Transport {
  const http = ky.create({
    baseUrl: settings.baseUrl,
    timeout: settings.timeoutMs,
    retry: 0,
    headers: { 'user-agent': settings.userAgent, accept: 'application/json' },
    ...(settings.fetch === undefined ? {} : { fetch: settings.fetch }),
  });
  const auth = credentials(settings.auth);
  const secrets = secretForms(
    [auth.control_password, auth.account_password].filter(
      (secret): secret is string => typeof secret === 'string' && secret.length > 0,
    ),
  );
  const scrub: Scrub = (text) => secrets.reduce((clean, secret) => clean.replaceAll(secret, '***'), text);

  const attempt = async <T>(call: TransportCall<T>, signal: AbortSignal | undefined): Promise<T> => {
    // Credentials only ever travel in the form body: never in the path or a query string.
    const body = new URLSearchParams({ ...call.params, ...auth });
    const text = await http
      .post(`${encodeURIComponent(call.subsystem)}/${encodeURIComponent(call.command)}/json`, {
        body,
        ...(signal === undefined ? {} : { signal }),
      })
      .text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // No cause: JSON.parse's message quotes the body, and the body is not ours to repeat.
      throw new ChaosError('schema', `CHAOS ${call.subsystem}/${call.command}: the answer is not JSON`, {
        subsystem: call.subsystem,
        command: call.command,
        issues: [{ path: [], message: `not JSON (${text.length} bytes)` }],
      });
    }
    if (!isRecord(parsed)) {
      throw new ChaosError(
        'schema',
        `CHAOS ${call.subsystem}/${call.command}: the answer is not a JSON object`,
        {
          subsystem: call.subsystem,
          command: call.command,
          issues: [{ path: [], message: 'expected an object' }],
        },
      );
    }
    // CHAOS reports failures as HTTP 200 with a top-level `error` string (docs/chaos-api.md §2.5).
    redactEcho(parsed);
    if ('error' in parsed) throw errorAnswer(parsed.error, call, scrub);
    return call.parse(parsed);
  };

  return async <T>(call: TransportCall<T>): Promise<T> => {
    const signal =
      settings.signal && call.signal
        ? AbortSignal.any([settings.signal, call.signal])
        : (call.signal ?? settings.signal);
    const event = (attempt: number): ChaosRequestEvent => ({
      subsystem: call.subsystem,
      command: call.command,
      attempt,
    });
    return runAttempts({
      limit: call.write ? 0 : settings.retry.limit,
      backoffLimitMs: settings.retry.backoffLimitMs,
      maxRetryAfterMs: settings.retry.maxRetryAfterMs,
      signal,
      attempt: (attemptSignal) => attempt(call, attemptSignal),
      classify: (thrown) => classify(thrown, call, settings.timeoutMs, scrub),
      isRetryable,
      onAttempt: (number) => settings.hooks.onRequest?.(event(number)),
      onAttemptEnd: (number, durationMs, error) => {
        if (error === undefined) {
          return settings.hooks.onResponse?.({ ...event(number), durationMs, outcome: 'ok', status: 200 });
        }
        const status =
          error.status ?? (error.kind === 'network' || error.kind === 'timeout' ? undefined : 200);
        return settings.hooks.onResponse?.({
          ...event(number),
          durationMs,
          outcome: error.kind,
          ...(status === undefined ? {} : { status }),
        });
      },
    });
  };
}
