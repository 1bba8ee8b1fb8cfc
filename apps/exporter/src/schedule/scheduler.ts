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
import { createSemaphore } from './semaphore.ts';
import type { CollectorName, TierName, TierPlan } from './tiers.ts';

/** Why one collector run of one account ended the way it did. */
export type RunOutcome = 'ok' | ChaosErrorKind | 'internal';

/** Reported after every collector run that was attempted. */
export interface RunEvent {
  readonly tier: TierName;
  readonly account: string;
  readonly collector: CollectorName;
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
  readonly collect: (account: string, collector: CollectorName, signal: AbortSignal) => Promise<void>;
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

const MAX_AUTH_BACKOFF_MS = 4 * 60 * 60_000;
/** A failing job waits up to 8 intervals, so a CHAOS outage costs few calls. */
const MAX_BACKOFF_FACTOR = 8;
/**
 * Commands whose HTTP 500 means "not on this account" (telephony without VoIP, RK). A 500 from
 * a broadband command is treated as a passing fault and backed off normally.
 */
const OPTIONAL_COLLECTORS: ReadonlySet<CollectorName> = new Set(['login_services', 'telephony_ratecard']);

/** Back-off state of one collector of one account. */
interface JobState {
  failures: number;
  /** Skip runs before this time (ms since the epoch). */
  notBeforeMs: number;
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
  const authBackoffMs = options.authBackoffMs ?? 15 * 60_000;
  const reprobeMs = options.reprobeMs ?? 6 * 60 * 60_000;
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
  const jobs = new Map<string, JobState>();
  /** Auth breaker per account: when calls may resume, and how many refusals in a row. */
  const breakers = new Map<string, { untilMs: number; refusals: number }>();
  /** Commands CHAOS does not offer, per account, until their re-probe time. */
  const unavailable = new Map<string, number>();
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

  const runOne = async (
    tier: TierState,
    account: string,
    collector: CollectorName,
    runStartedMs: number,
  ): Promise<void> => {
    const key = `${account}\u0000${collector}`;
    const job = jobs.get(key) ?? { failures: 0, notBeforeMs: 0 };
    jobs.set(key, job);
    const skip = (): boolean => {
      const breaker = breakers.get(account);
      const until = unavailable.get(key);
      return (
        (breaker !== undefined && now() < breaker.untilMs) ||
        (until !== undefined && now() < until) ||
        now() < job.notBeforeMs
      );
    };
    if (skip()) return;
    const started = now();
    const logger = log.child({ tier: tier.plan.name, account, collector });
    const intervalMs = tier.plan.intervalSeconds * 1000;
    try {
      await semaphore.run(() => options.collect(account, collector, controller.signal), controller.signal);
      breakers.delete(account);
      if (unavailable.delete(key)) logger.info('command available again');
      job.failures = 0;
      job.notBeforeMs = 0;
      tier.lastSuccessMs = now();
      options.onRun?.({
        tier: tier.plan.name,
        account,
        collector,
        durationMs: now() - started,
        outcome: 'ok',
      });
    } catch (error) {
      if (controller.signal.aborted) return;
      const outcome = outcomeOf(error);
      tier.lastError = { kind: outcome, message: messageOf(error), atMs: now() };
      job.failures++;
      // The first failure retries on the next tick; then 2, 4 and at most 8 intervals apart.
      const backoffMs = intervalMs * Math.min(2 ** (job.failures - 1), MAX_BACKOFF_FACTOR);
      const retryAfterMs =
        isChaosError(error) && error.retryAfter !== undefined ? error.retryAfter * 1000 : 0;
      // Counted from the run's start, not from the failure: a slow failing call must not make the
      // job miss the very next tick.
      job.notBeforeMs = Math.max(runStartedMs + backoffMs - 1, now() + retryAfterMs);
      if (outcome === 'auth') {
        // Another job of this account may have opened the breaker while this one waited: one pause, one log line.
        const open = breakers.get(account);
        if (!(open && now() < open.untilMs)) {
          const refusals = (open?.refusals ?? 0) + 1;
          const waitMs = Math.min(authBackoffMs * 2 ** (refusals - 1), MAX_AUTH_BACKOFF_MS);
          breakers.set(account, { untilMs: now() + waitMs, refusals });
          logger.error(
            { err: error, pauseMinutes: Math.round(waitMs / 60_000) },
            'CHAOS refused the credentials: no calls for this account until the pause ends. Check that its control login is the base login (ab123@a, not a line login ab123@a.1) and its password, or the account number pair',
          );
        }
      } else if (
        outcome === 'unknown-command' ||
        (OPTIONAL_COLLECTORS.has(collector) &&
          isChaosError(error) &&
          error.kind === 'http' &&
          error.status === 500)
      ) {
        unavailable.set(key, now() + reprobeMs);
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
      options.onRun?.({
        tier: tier.plan.name,
        account,
        collector,
        durationMs: now() - started,
        outcome,
        error,
      });
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
        most = Math.max(most, jobs.get(`${account}\u0000${collector}`)?.failures ?? 0);
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
