/**
 * The tier scheduler: runs each tier's collectors for every account on the tier's interval, and
 * is gentle with CHAOS. Runs of a tier never overlap, first runs are staggered, a failing job
 * (one collector of one account) backs off without slowing the others, an auth failure opens a
 * per-account breaker, a command CHAOS does not offer is re-probed rarely, and at most
 * `concurrencyLimit` requests are in flight.
 *
 * @module
 */

import type { Logger } from 'pino';
import type { CollectorBinding } from '../collectors/index.ts';
import type { CollectJob } from './collect-job.ts';
import { createJobRunner, type JobError, type RunEvent } from './job-runner.ts';
import type { TierName, TierPlan } from './tiers.ts';

export type { JobError, RunEvent, RunOutcome } from './job-runner.ts';

/** What `/health` shows of one tier. Times are ms since the epoch. */
export interface TierStatus {
  readonly name: TierName;
  readonly intervalSeconds: number;
  readonly running: boolean;
  /** The last success of any collector of any account in this tier. */
  readonly lastSuccessMs: number | undefined;
  readonly lastError: JobError | undefined;
  readonly nextRunMs: number | undefined;
  /** The most consecutive failures of any collector of any account in this tier. */
  readonly consecutiveFailures: number;
}

/** What the scheduler needs. */
export interface SchedulerOptions {
  readonly accounts: readonly string[];
  readonly tiers: readonly TierPlan[];
  /** Makes the one CHAOS call of `collector` for `account` and stores its samples; throws on failure. */
  readonly collect: CollectJob;
  readonly concurrencyLimit: number;
  readonly logger: Logger;
  /** Called after every attempted run, e.g. to update self-metrics. */
  readonly onRun?: ((event: RunEvent) => void) | undefined;
  readonly now?: (() => number) | undefined;
  /** Delay between the first runs of successive tiers. Default 2 000 ms. */
  readonly staggerMs?: number | undefined;
  /** First wait after CHAOS refuses an account's credentials; doubles up to 4 h. Default 15 min. */
  readonly authBackoffMs?: number | undefined;
  /** How long a command that CHAOS does not offer is left alone. Default 6 h. */
  readonly reprobeMs?: number | undefined;
}

/** A running scheduler. */
export interface Scheduler {
  /** Starts every tier; the first runs are staggered. */
  start(): void;
  /** Stops the timers, aborts requests in flight and waits for the runs to end. */
  stop(): Promise<void>;
  /** Each tier's state, for `/health`, `/ready` and the status page. */
  status(): readonly TierStatus[];
}

interface TierState {
  plan: TierPlan;
  running: Promise<void> | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  lastSuccessMs: number | undefined;
  lastError: TierStatus['lastError'];
  nextRunMs: number | undefined;
}

/** Creates a scheduler; nothing runs until `start()`. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const now = options.now ?? Date.now;
  const staggerMs = options.staggerMs ?? 2000;
  const controller = new AbortController();
  const log = options.logger.child({ component: 'scheduler' });
  const jobs = createJobRunner({ ...options, now, logger: log, signal: controller.signal });
  const tiers: TierState[] = options.tiers.map((plan) => ({
    plan,
    running: undefined,
    timer: undefined,
    lastSuccessMs: undefined,
    lastError: undefined,
    nextRunMs: undefined,
  }));
  let stopped = false;

  const schedule = (tier: TierState, delayMs: number): void => {
    if (stopped) return;
    tier.nextRunMs = now() + delayMs;
    tier.timer = setTimeout(() => {
      tier.timer = undefined;
      tier.running = run(tier).finally(() => {
        tier.running = undefined;
      });
    }, delayMs);
  };

  const runJob = async (tier: TierState, account: string, collector: CollectorBinding, startedMs: number) => {
    const result = await jobs.run(tier.plan, account, collector, startedMs);
    if (result.kind === 'ok') tier.lastSuccessMs = result.atMs;
    if (result.kind === 'failed') tier.lastError = result.error;
  };

  const run = async (tier: TierState): Promise<void> => {
    const started = now();
    try {
      await Promise.all(
        options.accounts.flatMap((account) =>
          tier.plan.collectors.map((collector) => runJob(tier, account, collector, started)),
        ),
      );
    } catch (error) {
      // Only an observer (onRun, the logger) can throw here; the tier must keep its schedule anyway.
      log.error({ err: error, tier: tier.plan.name }, 'tier run failed unexpectedly');
    }
    // The next run is due one interval after this one started; a run never overlaps the last.
    schedule(tier, Math.max(0, started + tier.plan.intervalSeconds * 1000 - now()));
  };

  /** The highest failure count among a tier's jobs. */
  const failuresOf = (tier: TierState): number => {
    let most = 0;
    for (const account of options.accounts) {
      for (const collector of tier.plan.collectors) most = Math.max(most, jobs.failures(account, collector));
    }
    return most;
  };

  return {
    start() {
      tiers.forEach((tier, index) => {
        schedule(tier, index * staggerMs);
      });
    },
    async stop() {
      stopped = true;
      for (const tier of tiers) {
        if (tier.timer !== undefined) clearTimeout(tier.timer);
        tier.timer = undefined;
        tier.nextRunMs = undefined;
      }
      controller.abort(new Error('exporter stopping'));
      await Promise.all(tiers.map((tier) => tier.running));
    },
    status() {
      return tiers.map((tier) => ({
        name: tier.plan.name,
        intervalSeconds: tier.plan.intervalSeconds,
        running: tier.running !== undefined,
        lastSuccessMs: tier.lastSuccessMs,
        lastError: tier.lastError,
        nextRunMs: tier.nextRunMs,
        consecutiveFailures: failuresOf(tier),
      }));
    },
  };
}
