/**
 * Cancellable waiting, for the `slow` and `timeout` scenarios.
 *
 * @module
 */

/**
 * Resolves after `ms` milliseconds, or as soon as `signal` aborts, whichever comes first; with
 * `ms` undefined, only the abort ends the wait. Never rejects: a client that gives up is not an
 * error for the mock.
 */
export function waitOrAbort(ms: number | undefined, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = ms === undefined ? undefined : setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
