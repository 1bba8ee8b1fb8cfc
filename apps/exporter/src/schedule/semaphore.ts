/**
 * A counting semaphore, and {@link mapLimited} on it: what bounds work in flight, wherever it is
 * bounded (the `API__CONCURRENCY_LIMIT` collector runs, a source's targets per run, bcrypt checks).
 *
 * @module
 */

/** Limits how many tasks run at once; the rest wait in order. */
export interface Semaphore {
  /** Runs `task` when a slot is free; an aborted wait rejects with the abort reason. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
}

/** Creates a semaphore with `limit` slots. */
export function createSemaphore(limit: number): Semaphore {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency limit must be ≥ 1, got ${limit}`);
  let active = 0;
  const waiting: (() => void)[] = [];

  const acquire = (signal: AbortSignal | undefined): Promise<void> => {
    if (active < limit) {
      active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        active++;
        resolve();
      };
      const onAbort = (): void => {
        const index = waiting.indexOf(grant);
        if (index >= 0) waiting.splice(index, 1);
        reject(signal?.reason);
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(grant);
    });
  };

  const release = (): void => {
    active--;
    waiting.shift()?.();
  };

  return {
    async run(task, signal) {
      await acquire(signal);
      try {
        return await task();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
  };
}

/**
 * Runs `task` over `items` with at most `limit` in flight, keeping the order of results. Aborting
 * `signal` stops starting new ones (the result then rejects with the abort reason).
 *
 * @example
 * ```ts
 * const sizes = await mapLimited(urls, 4, async (url) => (await fetch(url)).headers.get('content-length'));
 * ```
 */
export function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const semaphore = createSemaphore(limit);
  return Promise.all(items.map((item) => semaphore.run(() => task(item), signal)));
}
