/**
 * The SDK's one HTTP path. CHAOS commands (`chaos-call.ts`), CQM links and `record`'s raw CSV
 * (`cqm.ts`) all go through {@link createTransport}: ky sends each request with the User-Agent,
 * the per-attempt timeout and the request's retry plan (`retry-policy.ts`); this module reads
 * each answer whole inside its attempt, tells the observer about every attempt, and maps every
 * failure to a ChaosError (`error-mapping.ts`).
 *
 * @module
 */

import ky from 'ky';
import { type FailureTarget, toChaosError } from './error-mapping.ts';
import { type ChaosErrorKind, isChaosError } from './errors.ts';
import { type RetryPlan, retryVerdict } from './retry-policy.ts';

/** @internal What every request of one transport shares. */
export interface TransportSettings {
  /** Per attempt, from sending to the last byte of the answer. */
  readonly timeoutMs: number;
  readonly userAgent: string;
  /** The caller's fetch; default the global `fetch`, looked up at each request. */
  readonly fetch: typeof globalThis.fetch | undefined;
}

/** @internal How one attempt ended. */
export interface AttemptEnd {
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
  /** From sending to the end of parsing (or to the failure). */
  readonly durationMs: number;
  readonly outcome: 'ok' | ChaosErrorKind;
  /** The HTTP status, when an answer arrived. */
  readonly status?: number;
}

/**
 * @internal Observers of the attempts. Whatever they throw is ignored, and so is the rejection
 * of a promise they return: observing must not change a request's result.
 */
export interface AttemptObserver {
  readonly onAttempt: (attempt: number) => unknown;
  /** Not called for an attempt cut short by the caller's abort. */
  readonly onAttemptEnd: (end: AttemptEnd) => unknown;
}

/** @internal One request. */
export interface TransportRequest<T> {
  /** Absolute. For a CQM link, a credential: only `failure.label` may name it. */
  readonly url: URL;
  readonly method: 'get' | 'post';
  readonly body?: URLSearchParams | undefined;
  readonly accept: string;
  /** The caller's: its abort rejects with its reason as is, and stops any retry or wait. */
  readonly signal: AbortSignal | undefined;
  readonly retry: RetryPlan;
  readonly failure: FailureTarget;
  readonly observer: AttemptObserver;
  /**
   * Turns the text of a 2xx answer into the result, as part of the last attempt: a ChaosError it
   * throws (`schema`, or CHAOS's `auth`, `api`, …) is that attempt's outcome, and never retried.
   */
  readonly parse: (text: string) => T;
}

/** @internal Performs one request. */
export type Transport = <T>(request: TransportRequest<T>) => Promise<T>;

function safely(observe: () => unknown): void {
  try {
    // An observer typed as returning void may still be async; its rejection is swallowed too.
    const result = observe();
    if (result instanceof Promise) result.catch(() => undefined);
  } catch {
    // A broken observer must not break the request it observes.
  }
}

/**
 * One request's attempts as the observer sees them. An attempt's end may be heard twice (by
 * `shouldRetry`, then by the final catch when ky gives up); only the first counts.
 */
function attemptLog(observer: AttemptObserver) {
  let current: { readonly attempt: number; readonly started: number; ended: boolean } | undefined;
  return {
    start(attempt: number): void {
      current = { attempt, started: performance.now(), ended: false };
      safely(() => observer.onAttempt(attempt));
    },
    end(outcome: 'ok' | ChaosErrorKind, status: number | undefined): void {
      if (current === undefined || current.ended) return;
      current.ended = true;
      const end = {
        attempt: current.attempt,
        durationMs: performance.now() - current.started,
        outcome,
        ...(status === undefined ? {} : { status }),
      };
      safely(() => observer.onAttemptEnd(end));
    },
  };
}

/** Settles as `work` does, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The work was started anyway; its own rejection (the same abort) has no one else to hear it.
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Statuses whose response may not carry a body (the Fetch standard's null body statuses). */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

/**
 * The fetch ky is given. ky's attempt ends when the headers arrive: its per-attempt timeout stops
 * there, and a body that breaks off later is not retried. An answer is only an answer once all of
 * it is in, so this reads the whole body inside the attempt. Both waits end on the request's
 * signal (ky's timeout or the caller's abort), even when an injected fetch ignores it.
 */
function wholeAnswers(fetcher: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const response = await untilAborted(fetcher(input, init), request.signal);
    const body = await untilAborted(response.arrayBuffer(), request.signal);
    const { status, statusText, headers } = response;
    return new Response(NULL_BODY_STATUSES.has(status) ? null : body, { status, statusText, headers });
  };
}

/** @internal Creates the function that performs each request with these settings. */
export function createTransport(settings: TransportSettings): Transport {
  // Looked up at each request, not now: a test's or an instrumentation's fetch may be installed
  // after the client is created.
  const fetcher = settings.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const fetchWhole = wholeAnswers(fetcher);

  return async <T>(request: TransportRequest<T>): Promise<T> => {
    const { signal, failure } = request;
    const log = attemptLog(request.observer);
    const toError = (thrown: unknown) => toChaosError(thrown, failure, settings.timeoutMs);
    let response: Response;
    try {
      response = await ky(request.url, {
        method: request.method,
        ...(request.body === undefined ? {} : { body: request.body }),
        headers: { 'user-agent': settings.userAgent, accept: request.accept },
        timeout: settings.timeoutMs,
        ...(signal === undefined ? {} : { signal }),
        fetch: fetchWhole,
        retry: {
          ...request.retry.options,
          // Called before ky waits, so a failed attempt is reported when it fails, not after the wait.
          shouldRetry: ({ error }) => {
            if (signal?.aborted) return false;
            const mapped = toError(error);
            log.end(mapped.kind, mapped.status);
            return retryVerdict(mapped, error, request.retry);
          },
        },
        hooks: {
          beforeRequest: [
            () => {
              log.start(1);
            },
          ],
          beforeRetry: [
            ({ retryCount }) => {
              log.start(retryCount + 1);
            },
          ],
        },
      });
    } catch (thrown) {
      if (signal?.aborted) throw signal.reason;
      // Mapped here rather than in ky's beforeError hook: ky passes a thrown non-Error by its
      // hooks, and this one place sees everything.
      const error = toError(thrown);
      log.end(error.kind, error.status);
      throw error;
    }
    // Already read by wholeAnswers: this cannot fail or wait.
    const text = await response.text();
    let result: T;
    try {
      result = request.parse(text);
    } catch (error) {
      log.end(isChaosError(error) ? error.kind : 'schema', response.status);
      throw error;
    }
    log.end('ok', response.status);
    return result;
  };
}
