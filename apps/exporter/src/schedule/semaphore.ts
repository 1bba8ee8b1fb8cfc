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
    // An aborted caller gets no slot, free or not: its work must not start.
    if (signal?.aborted) return Promise.reject(signal.reason);
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
 * Runs `task` over `items` with at most `limit` in flight, keeping the order of results. The first
 * task to reject rejects the whole (with its reason) and no task starts after it: the rest would
 * be work nobody reads. Aborting `signal` likewise stops starting new ones (the result then
 * rejects with the abort reason). Tasks already running are not interrupted: a task that should
 * stop takes the caller's `signal` itself.
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
  // Aborted by the first rejection: the tasks still waiting for a slot then reject at once
  // instead of starting (Promise.all alone would reject but let them all run).
  const failed = new AbortController();
  const stop = signal === undefined ? failed.signal : AbortSignal.any([signal, failed.signal]);
  const guarded = async (item: T): Promise<R> => {
    // A free slot is taken without looking at the signal, and one may be granted in the same tick
    // as another task fails: either way, nothing starts once the run is over.
    stop.throwIfAborted();
    try {
      return await task(item);
    } catch (error) {
      // Before the slot is released, so the release cannot hand it to the next waiting task.
      failed.abort(error);
      throw error;
    }
  };
  return Promise.all(items.map((item) => semaphore.run(() => guarded(item), stop)));
}
