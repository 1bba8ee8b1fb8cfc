/**
 * The tier scheduler: runs each tier's collectors for every account on the tier's interval, and
 * is gentle with CHAOS. Runs of a tier never overlap, first runs are staggered, a failing tier
 * backs off, an auth failure opens a per-account breaker, a command CHAOS does not offer
 * (HTTP 500 or "Unknown command") is re-probed rarely, and at most `concurrencyLimit` requests
 * are in flight.
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
  readonly lastSuccessMs: number | undefined;
  readonly lastError:
    | { readonly kind: RunOutcome; readonly message: string; readonly atMs: number }
    | undefined;
  readonly nextRunMs: number | undefined;
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
/** A failing tier waits up to 8 intervals, so a CHAOS outage costs few calls. */
const MAX_BACKOFF_FACTOR = 8;

interface TierState {
  plan: TierPlan;
  running: Promise<void> | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  lastSuccessMs: number | undefined;
  lastError: TierStatus['lastError'];
  nextRunMs: number | undefined;
  consecutiveFailures: number;
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
    consecutiveFailures: 0,
  }));
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
  ): Promise<boolean | undefined> => {
    const breaker = breakers.get(account);
    if (breaker && now() < breaker.untilMs) return undefined;
    const key = `${account}\u0000${collector}`;
    const until = unavailable.get(key);
    if (until !== undefined && now() < until) return undefined;
    const started = now();
    const logger = log.child({ tier: tier.plan.name, account, collector });
    try {
      await semaphore.run(() => options.collect(account, collector, controller.signal), controller.signal);
      breakers.delete(account);
      if (until !== undefined) {
        unavailable.delete(key);
        logger.info('command available again');
      }
      options.onRun?.({
        tier: tier.plan.name,
        account,
        collector,
        durationMs: now() - started,
        outcome: 'ok',
      });
      return true;
    } catch (error) {
      if (controller.signal.aborted) return undefined;
      const outcome = outcomeOf(error);
      options.onRun?.({
        tier: tier.plan.name,
        account,
        collector,
        durationMs: now() - started,
        outcome,
        error,
      });
      tier.lastError = { kind: outcome, message: messageOf(error), atMs: now() };
      if (outcome === 'auth') {
        const refusals = (breaker?.refusals ?? 0) + 1;
        const waitMs = Math.min(authBackoffMs * 2 ** (refusals - 1), MAX_AUTH_BACKOFF_MS);
        breakers.set(account, { untilMs: now() + waitMs, refusals });
        // Once per refusal, loudly: retrying a bad password against A&A helps nobody.
        logger.error(
          { err: error, pauseMinutes: Math.round(waitMs / 60_000) },
          'CHAOS refused the credentials: no calls for this account until the pause ends. Check AAISP_EXPORTER_AUTH__CONTROL_LOGIN is the base control login (ab123@a, not a line login ab123@a.1) and its password (or the account number pair)',
        );
      } else if (
        outcome === 'unknown-command' ||
        (isChaosError(error) && error.kind === 'http' && error.status === 500)
      ) {
        unavailable.set(key, now() + reprobeMs);
        logger.warn(
          { err: error, reprobeMinutes: Math.round(reprobeMs / 60_000) },
          'CHAOS does not offer this command for this account; it will be tried again rarely',
        );
      } else {
        logger.warn({ err: error }, 'collector run failed');
      }
      return false;
    }
  };

  const run = async (tier: TierState): Promise<void> => {
    const started = now();
    const jobs = options.accounts.flatMap((account) =>
      tier.plan.collectors.map((collector) => runOne(tier, account, collector)),
    );
    const results = await Promise.all(jobs);
    if (stopped) return;
    const attempted = results.filter((result) => result !== undefined);
    const failed = attempted.some((result) => result === false);
    if (attempted.length > 0 && !failed) {
      tier.lastSuccessMs = now();
      tier.consecutiveFailures = 0;
    }
    if (failed) tier.consecutiveFailures++;
    const intervalMs = tier.plan.intervalSeconds * 1000;
    const factor = Math.min(2 ** tier.consecutiveFailures, MAX_BACKOFF_FACTOR);
    // The next run is due one (backed-off) interval after this one started; never two at once.
    schedule(tier, Math.max(0, started + intervalMs * factor - now()));
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
        consecutiveFailures: tier.consecutiveFailures,
      }));
    },
  };
}
