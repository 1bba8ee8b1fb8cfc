// Timing helpers shared by the packages' benchmarks (like vitest.shared.ts for the tests). They
// print figures; nothing here is a test, and no timing is ever asserted.

/** How often a task runs untimed first (JIT warm-up), then timed. */
export interface TimingRuns {
  readonly warmups?: number;
  readonly runs?: number;
}

/** The median of `samples` (the mean of the two middle values for an even count); NaN when empty. */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  const lower = sorted[middle - 1] ?? upper;
  return sorted.length % 2 === 0 ? (lower + upper) / 2 : upper;
}

/** Runs `task` `warmups` times untimed, then `runs` times timed; answers the median in ms. */
export async function timeMedian(
  task: () => unknown,
  { warmups = 3, runs = 15 }: TimingRuns = {},
): Promise<number> {
  for (let run = 0; run < warmups; run++) await task();
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await task();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/**
 * The raw call the SDK makes for `command` (`broadband/info`): a POST form with the control
 * login pair in the body, read as text. What a bench subtracts to find the SDK's own cost.
 */
export async function postChaosForm(
  baseUrl: string,
  command: string,
  auth: { readonly controlLogin: string; readonly controlPassword: string },
): Promise<string> {
  const body = new URLSearchParams({
    control_login: auth.controlLogin,
    control_password: auth.controlPassword,
  });
  const response = await fetch(new URL(`${command}/json`, baseUrl), { method: 'POST', body });
  if (!response.ok) throw new Error(`mock answered HTTP ${response.status}`);
  return response.text();
}
