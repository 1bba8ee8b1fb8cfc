/**
 * The tier scheduler: runs each tier's collectors for every account on the tier's interval, and
 * is gentle with CHAOS. Runs of a tier never overlap, first runs are staggered, a failing job
 * (one collector of one account) backs off without slowing the others, an auth failure opens a
 * per-account breaker, a command CHAOS does not offer is re-probed rarely, and at most
 * `concurrencyLimit` requests are in flight.
 *
 * @module
 */

import { type ChaosErrorKind, isChaosError } from '@aaisp/chaos-client';
import type { Logger } from 'pino';
import { type CollectorBinding, nameOf } from '../collectors/index.ts';
import { createAuthBreakers } from './auth-breaker.ts';
import { type BackoffState, freshBackoff, isBackingOff, recordFailure, recordSuccess } from './backoff.ts';
import type { CollectJob } from './collect-job.ts';
import { createUnavailable, DEFAULT_REPROBE_MS, meansUnavailable } from './reprobe.ts';
import { createSemaphore } from './semaphore.ts';
import type { TierName, TierPlan } from './tiers.ts';

/** Why one collector run of one account ended the way it did. */
export type RunOutcome = 'ok' | ChaosErrorKind | 'internal';

/** Reported after every collector run that was attempted. */
export interface RunEvent {
  readonly tier: TierName;
  readonly account: string;
  /** The collector's name. */
  readonly collector: string;
  readonly durationMs: number;
  readonly outcome: RunOutcome;
  /** The error, when the outcome is not `ok`. */
  readonly error?: unknown;
}

/** What `/health` shows of one tier. Times are ms since the epoch. */
export interface TierStatus {
  readonly name: TierName;
  readonly intervalSeconds: number;
  readonly running: boolean;
  /** The last success of any collector of any account in this tier. */
  readonly lastSuccessMs: number | undefined;
  readonly lastError:
    | { readonly kind: RunOutcome; readonly message: string; readonly atMs: number }
    | undefined;
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

function outcomeOf(error: unknown): RunOutcome {
  return isChaosError(error) ? error.kind : 'internal';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Creates a scheduler; nothing runs until `start()`. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const now = options.now ?? Date.now;
  const staggerMs = options.staggerMs ?? 2000;
  const reprobeMs = options.reprobeMs ?? DEFAULT_REPROBE_MS;
  const semaphore = createSemaphore(options.concurrencyLimit);
  const controller = new AbortController();
  const log = options.logger.child({ component: 'scheduler' });
  const tiers: TierState[] = options.tiers.map((plan) => ({
    plan,
    running: undefined,
    timer: undefined,
    lastSuccessMs: undefined,
    lastError: undefined,
    nextRunMs: undefined,
  }));
  const jobs = new Map<string, BackoffState>();
  const breakers = createAuthBreakers(options.authBackoffMs);
  const unavailable = createUnavailable(reprobeMs);
  let stopped = false;
  const jobKey = (account: string, collector: CollectorBinding): string =>
    `${account}\u0000${nameOf(collector)}`;

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

  /** Logs a failure by what it means: a paused account, a command CHAOS lacks, or a retry. */
  const onFailure = (
    error: unknown,
    key: string,
    job: BackoffState,
    account: string,
    collector: CollectorBinding,
    logger: Logger,
  ): void => {
    if (outcomeOf(error) === 'auth') {
      const opened = breakers.refuse(account, now());
      if (opened !== undefined) {
        logger.error(
          { err: error, pauseMinutes: Math.round(opened.pauseMs / 60_000) },
          'CHAOS refused the credentials: no calls for this account until the pause ends. Check that its control login is the base login (ab123@a, not a line login ab123@a.1) and its password, or the account number pair',
        );
      }
    } else if (meansUnavailable(error, collector.optional)) {
      unavailable.rest(key, now());
      logger.warn(
        { err: error, reprobeMinutes: Math.round(reprobeMs / 60_000) },
        'CHAOS does not offer this command for this account; it will be tried again rarely',
      );
    } else {
      logger.warn(
        { err: error, retryInSeconds: Math.round((job.notBeforeMs - now()) / 1000) },
        'collector run failed',
      );
    }
  };

  const runOne = async (
    tier: TierState,
    account: string,
    collector: CollectorBinding,
    runStartedMs: number,
  ): Promise<void> => {
    const key = jobKey(account, collector);
    const job = jobs.get(key) ?? freshBackoff();
    jobs.set(key, job);
    const skip =
      breakers.openAt(account, now()) !== undefined ||
      unavailable.isResting(key, now()) ||
      isBackingOff(job, now());
    if (skip) return;
    const started = now();
    const name = nameOf(collector);
    const logger = log.child({ tier: tier.plan.name, account, collector: name });
    const report = { tier: tier.plan.name, account, collector: name };
    try {
      await semaphore.run(() => options.collect(account, collector, controller.signal), controller.signal);
      breakers.close(account);
      if (unavailable.clear(key)) logger.info('command available again');
      recordSuccess(job);
      tier.lastSuccessMs = now();
      options.onRun?.({ ...report, durationMs: now() - started, outcome: 'ok' });
    } catch (error) {
      if (controller.signal.aborted) return;
      const outcome = outcomeOf(error);
      tier.lastError = { kind: outcome, message: messageOf(error), atMs: now() };
      recordFailure(job, {
        intervalMs: tier.plan.intervalSeconds * 1000,
        runStartedMs,
        nowMs: now(),
        retryAfterSeconds: isChaosError(error) ? error.retryAfter : undefined,
      });
      onFailure(error, key, job, account, collector, logger);
      options.onRun?.({ ...report, durationMs: now() - started, outcome, error });
    }
  };

  const run = async (tier: TierState): Promise<void> => {
    const started = now();
    try {
      await Promise.all(
        options.accounts.flatMap((account) =>
          tier.plan.collectors.map((collector) => runOne(tier, account, collector, started)),
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
      for (const collector of tier.plan.collectors) {
        most = Math.max(most, jobs.get(jobKey(account, collector))?.failures ?? 0);
      }
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
