/**
 * Polling, for the tests, the bench and the scripts: one {@link waitFor} and one {@link sleep},
 * and {@link waitForReady} for the exporter's `/ready`.
 *
 * @module
 */

/** Resolves after `ms` milliseconds (the global timer, so Vitest's fake timers govern it too). */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long {@link waitFor} polls, and how often. */
export interface WaitOptions {
  /** Gives up after this long. Default 15 s. */
  readonly limitMs?: number;
  /** Pauses this long between two checks. Default 50 ms. */
  readonly intervalMs?: number;
}

/**
 * Calls `check` until it returns a value other than `undefined`, and resolves with it. A check
 * that throws counts as not yet: polling goes on, and the last error is reported (message and
 * `cause`) if time runs out. There is always one check, and one more when the limit is reached.
 *
 * @param what - what is awaited, for the error: `'the exporter to be ready'`.
 * @throws {Error} `timed out after … waiting for ${what}` when `limitMs` passes without a value.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  options: WaitOptions = {},
): Promise<T> {
  const { limitMs = 15_000, intervalMs = 50 } = options;
  const until = Date.now() + limitMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    const left = until - Date.now();
    if (left <= 0) break;
    await sleep(Math.min(intervalMs, left));
  }
  const reason =
    lastError === undefined
      ? ''
      : `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
  throw new Error(`timed out after ${limitMs} ms waiting for ${what}${reason}`, { cause: lastError });
}

/**
 * Polls `${url}/ready` until it answers 200 (the first fast-tier run has stored its data). Each
 * answer is read to the end, so the keep-alive socket is reused rather than left half-read.
 *
 * @throws {Error} when it is not ready within `limitMs` (default a minute: a first run that
 *   never succeeds is a bug, not a slow start).
 */
export async function waitForReady(url: string, options: WaitOptions = {}): Promise<void> {
  await waitFor(
    `${url}/ready to answer 200`,
    async () => {
      const response = await fetch(`${url}/ready`);
      await response.arrayBuffer();
      return response.status === 200 ? true : undefined;
    },
    { limitMs: 60_000, ...options },
  );
}
