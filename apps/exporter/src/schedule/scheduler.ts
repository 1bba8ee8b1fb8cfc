/**
 * The tier scheduler: runs each tier's collectors on the tier's interval, each for the accounts
 * it runs for (every account, or those with targets for its source), and is gentle with CHAOS.
 * Runs of a tier never overlap, first runs are staggered, a failing job (one collector of one
 * account) backs off without slowing the others, an auth failure opens a per-account breaker for
 * the sources that send CHAOS credentials, a command CHAOS does not offer is re-probed rarely,
 * and at most `concurrencyLimit` jobs run at once (a job whose source has several targets, such
 * as per-line links, fetches up to its `targetsAtOnce` of them inside its one slot).
 *
 * @module
 */

import type { Logger } from 'pino';
import { type CollectorBinding, nameOf } from '../collectors/index.ts';
import { jobKey } from '../model/job-key.ts';
import type { TierName } from '../model/tiers.ts';
import type { OpenBreaker } from './auth-breaker.ts';
import type { CollectJob } from './collect-job.ts';
import { type AuthPauseEvent, createJobRunner, type JobError, type RunEvent } from './job-runner.ts';
import { type TierPlan, tierAccounts, tierJobs } from './tiers.ts';

export type { AuthPauseEvent, JobError, RunEvent, RunOutcome } from './job-runner.ts';
export { RUN_ERROR_KINDS } from './job-runner.ts';

/** A tier's last error, with the job it came from. */
export interface TierError extends JobError {
  readonly account: string;
  /** The collector's name. */
  readonly collector: string;
  /**
   * Whether that job (this collector of this account) is still failing: `false` once it has
   * succeeded since, so the error is past (kept, so an operator still sees what happened).
   */
  readonly current: boolean;
}

/** An account whose calls the auth breaker pauses, as one tier sees it. Times are ms since the epoch. */
export interface AccountPause {
  readonly account: string;
  /** CHAOS' refusals in a row. */
  readonly refusals: number;
  /**
   * When the pause ends: no call is made for the account before it. In the past once the pause
   * has ended and no run has tried yet (the account stays paused until a run succeeds).
   */
  readonly untilMs: number;
  /**
   * The first run of the tier at or after the pause's end (and its jobs' back-off) that may call
   * CHAOS for the account, predicted from the tier's timetable; `undefined` once the scheduler
   * stopped.
   */
  readonly nextAttemptMs: number | undefined;
}

/** What `/health` shows of one tier. Times are ms since the epoch. */
export interface TierStatus {
  readonly name: TierName;
  readonly intervalSeconds: number;
  readonly running: boolean;
  /** The last success of any collector of any account in this tier. */
  readonly lastSuccessMs: number | undefined;
  /** The tier's most recent error, current or past (see {@link TierError.current}). */
  readonly lastError: TierError | undefined;
  readonly nextRunMs: number | undefined;
  /** The most consecutive failures of any collector of any account in this tier. */
  readonly consecutiveFailures: number;
  /**
   * The accounts this tier's runs skip because CHAOS refused their credentials (their auth
   * breaker), each with the tier's next attempt. Absent or empty: none.
   */
  readonly pausedAccounts?: readonly AccountPause[] | undefined;
}

/**
 * The paused accounts of every tier, one entry per account: its next attempt is the earliest of
 * any tier's. For `/health` and the status page.
 */
export function pausedAccountsOf(tiers: readonly TierStatus[]): AccountPause[] {
  const byAccount = new Map<string, AccountPause>();
  for (const pause of tiers.flatMap((tier) => tier.pausedAccounts ?? [])) {
    const seen = byAccount.get(pause.account);
    const earliest = [seen?.nextAttemptMs, pause.nextAttemptMs].filter((ms) => ms !== undefined);
    byAccount.set(pause.account, {
      ...pause,
      nextAttemptMs: earliest.length === 0 ? undefined : Math.min(...earliest),
    });
  }
  return [...byAccount.values()];
}

/** What the scheduler runs: one configuration's accounts, tiers and collect job. */
export interface SchedulerPlan {
  readonly accounts: readonly string[];
  readonly tiers: readonly TierPlan[];
  /** Runs `collector` for `account` (its source's calls) and stores its samples; throws on failure. */
  readonly collect: CollectJob;
}

/** A reloaded configuration's plan, and which of its accounts are not what they were. */
export interface Replan extends SchedulerPlan {
  /** Accounts to collect at once: new ones, and changed ones (credentials, lines). */
  readonly fresh: readonly string[];
  /**
   * Accounts whose back-offs, commands at rest and auth breaker are forgotten: removed ones, and
   * those with new credentials (so a fixed password is tried at once).
   */
  readonly forget: readonly string[];
}

/** What the scheduler needs. */
export interface SchedulerOptions extends SchedulerPlan {
  readonly concurrencyLimit: number;
  readonly logger: Logger;
  /** Called after every attempted run, e.g. to update self-metrics. */
  readonly onRun?: ((event: RunEvent) => void) | undefined;
  /** Called when an account's auth breaker opens or closes, e.g. to update self-metrics. */
  readonly onAuthPause?: ((event: AuthPauseEvent) => void) | undefined;
  readonly now?: (() => number) | undefined;
  /** Delay between the first runs of successive tiers. Default 2 000 ms. */
  readonly staggerMs?: number | undefined;
  /** First wait after CHAOS refuses an account's credentials; doubles up to 4 h. Default 15 min. */
  readonly authBackoffMs?: number | undefined;
  /** How long a command that CHAOS does not offer is left alone. Default 6 h. */
  readonly reprobeMs?: number | undefined;
  /** Auth breakers a previous process left open (the state file), by account. */
  readonly restoredPauses?: ReadonlyMap<string, OpenBreaker> | undefined;
}

/** A running scheduler. */
export interface Scheduler {
  /** Starts every tier; the first runs are staggered. */
  start(): void;
  /** Stops the timers, aborts requests in flight and waits for the runs to end. */
  stop(): Promise<void>;
  /** Each tier's state, for `/health`, `/ready` and the status page. */
  status(): readonly TierStatus[];
  /**
   * Applies a reloaded configuration without losing what it knows: runs in flight are aborted and
   * waited for, then each tier keeps its timetable, last success and last error, and every job
   * its back-off and breaker, except for the accounts in `forget`. The `fresh` accounts' jobs run
   * at once, as does a tier that is new or whose run the reload interrupted. Resolves once the new
   * plan is in force (its first runs started, not finished).
   */
  reconfigure(next: Replan): Promise<void>;
}

interface TierState {
  plan: TierPlan;
  running: Promise<void> | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  lastSuccessMs: number | undefined;
  /** The last error and the job it came from. */
  lastError:
    | { readonly error: JobError; readonly account: string; readonly collector: CollectorBinding }
    | undefined;
  nextRunMs: number | undefined;
  /** The jobs (`account\0collector`) a reload aborted mid-run: run again once it is applied. */
  aborted: Set<string>;
}

/**
 * The plan in force, and the controller that aborts its runs (a stop, or the next reload). Its
 * tiers live in the tier states, which outlast a reload.
 */
interface Current extends Omit<SchedulerPlan, 'tiers'> {
  readonly controller: AbortController;
}

const tierState = (plan: TierPlan): TierState => ({
  plan,
  running: undefined,
  timer: undefined,
  lastSuccessMs: undefined,
  lastError: undefined,
  nextRunMs: undefined,
  aborted: new Set(),
});

/** Creates a scheduler; nothing runs until `start()`. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const now = options.now ?? Date.now;
  const staggerMs = options.staggerMs ?? 2000;
  const log = options.logger.child({ component: 'scheduler' });
  const jobs = createJobRunner({ ...options, now, logger: log });
  let current: Current = {
    accounts: options.accounts,
    collect: options.collect,
    controller: new AbortController(),
  };
  let tiers: TierState[] = options.tiers.map(tierState);
  /** Runs of the fresh accounts a reload started, outside their tiers' timetables. */
  const extraRuns = new Set<Promise<void>>();
  let started = false;
  let stopped = false;

  const schedule = (tier: TierState, delayMs: number): void => {
    if (stopped) return;
    if (tier.timer !== undefined) clearTimeout(tier.timer);
    tier.nextRunMs = now() + delayMs;
    tier.timer = setTimeout(() => {
      tier.timer = undefined;
      tier.running = run(tier).finally(() => {
        tier.running = undefined;
      });
    }, delayMs);
  };

  const runJob = async (
    tier: TierState,
    account: string,
    collector: CollectorBinding,
    startedMs: number,
  ): Promise<void> => {
    const result = await jobs.run(tier.plan, account, collector, startedMs, {
      collect: current.collect,
      signal: current.controller.signal,
    });
    if (result.kind === 'ok') tier.lastSuccessMs = result.atMs;
    if (result.kind === 'failed') tier.lastError = { error: result.error, account, collector };
    if (result.kind === 'aborted' && !stopped) tier.aborted.add(jobKey(account, nameOf(collector)));
  };

  /** Runs the jobs of `tier` that `pick` chooses (all of them without it). */
  const runJobs = async (
    tier: TierState,
    pick?: (account: string, collector: CollectorBinding) => boolean,
  ): Promise<void> => {
    const startedMs = now();
    try {
      await Promise.all(
        tierJobs(tier.plan, current.accounts)
          .filter(({ account, collector }) => pick === undefined || pick(account, collector))
          .map(({ account, collector }) => runJob(tier, account, collector, startedMs)),
      );
    } catch (error) {
      // Only an observer (onRun, the logger) can throw here; the tier must keep its schedule anyway.
      log.error({ err: error, tier: tier.plan.name }, 'tier run failed unexpectedly');
    }
  };

  const run = async (tier: TierState): Promise<void> => {
    const startedMs = now();
    await runJobs(tier);
    // The next run is due one interval after this one started; a run never overlaps the last. A
    // reload that cut this run short has scheduled the next one already.
    if (tier.timer === undefined) {
      schedule(tier, Math.max(0, startedMs + tier.plan.intervalSeconds * 1000 - now()));
    }
  };

  /** The highest failure count among a tier's jobs. */
  const failuresOf = (tier: TierState): number => {
    let most = 0;
    for (const { account, collector } of tierJobs(tier.plan, current.accounts)) {
      most = Math.max(most, jobs.failures(account, collector));
    }
    return most;
  };

  /** The tier's last error, current while its job has not succeeded since. */
  const lastErrorOf = (tier: TierState): TierError | undefined => {
    if (tier.lastError === undefined) return undefined;
    const { error, account, collector } = tier.lastError;
    return {
      ...error,
      account,
      collector: nameOf(collector),
      current: jobs.failures(account, collector) > 0,
    };
  };

  /**
   * The first tick of the tier at or after `ms`: ticks are one interval apart from the next one
   * scheduled (or, while a run is in progress, from the one after it).
   */
  const firstTickFrom = (tier: TierState, ms: number): number | undefined => {
    if (tier.nextRunMs === undefined) return undefined;
    const intervalMs = tier.plan.intervalSeconds * 1000;
    const start = tier.running === undefined ? tier.nextRunMs : tier.nextRunMs + intervalMs;
    return start + Math.max(0, Math.ceil((ms - start) / intervalMs)) * intervalMs;
  };

  /** The accounts the tier skips for their auth breaker, with the tier's next attempt for each. */
  const pausedAccountsOfTier = (tier: TierState): AccountPause[] =>
    tierAccounts(tier.plan, current.accounts).flatMap((account) => {
      const pause = jobs.authPause(account);
      // Only collectors whose source sends CHAOS credentials wait for the breaker.
      const paused = tierJobs(tier.plan, [account])
        .map(({ collector }) => collector)
        .filter((collector) => collector.source.pausedByChaosAuth);
      if (pause === undefined || paused.length === 0) return [];
      const attempts = paused.flatMap((collector) => {
        const tick = firstTickFrom(tier, Math.max(pause.untilMs, jobs.notBeforeMs(account, collector)));
        return tick === undefined ? [] : [tick];
      });
      return [
        {
          account,
          refusals: pause.refusals,
          untilMs: pause.untilMs,
          nextAttemptMs: attempts.length === 0 ? undefined : Math.min(...attempts),
        },
      ];
    });

  /** Aborts the runs in flight and waits for them (and a reload's extra runs) to end. */
  const settle = async (reason: string): Promise<void> => {
    current.controller.abort(new Error(reason));
    await Promise.all([...tiers.map((tier) => tier.running), ...extraRuns]);
  };

  /**
   * Starts, now and outside the tier's timetable, the jobs of the fresh accounts and those a reload
   * aborted mid-run: the others keep their turn.
   */
  const runExtra = (tier: TierState, fresh: readonly string[]): void => {
    const retry = tier.aborted;
    tier.aborted = new Set();
    const pick = (account: string, collector: CollectorBinding): boolean =>
      fresh.includes(account) || retry.has(jobKey(account, nameOf(collector)));
    if (!tierJobs(tier.plan, current.accounts).some(({ account, collector }) => pick(account, collector)))
      return;
    const extra = runJobs(tier, pick).finally(() => extraRuns.delete(extra));
    extraRuns.add(extra);
  };

  /**
   * Takes every waiting tier's timer off, returning when each was due: a tick while a reload waits
   * for the runs in flight would run with the aborted signal, and lose its turn.
   */
  const holdTimers = (): Map<TierState, number> => {
    const due = new Map<TierState, number>();
    for (const tier of tiers) {
      if (tier.timer === undefined || tier.nextRunMs === undefined) continue;
      clearTimeout(tier.timer);
      tier.timer = undefined;
      due.set(tier, tier.nextRunMs);
    }
    return due;
  };

  /** Swaps in the new plan's tiers: a known tier keeps its state, a dropped one its timer no more. */
  const adoptTiers = (plans: readonly TierPlan[]): Set<TierState> => {
    const byName = new Map(tiers.map((tier) => [tier.plan.name, tier]));
    const kept = new Set<TierState>();
    tiers = plans.map((plan) => {
      const known = byName.get(plan.name);
      if (known === undefined) return tierState(plan);
      known.plan = plan;
      kept.add(known);
      return known;
    });
    for (const tier of byName.values()) {
      if (kept.has(tier) || tier.timer === undefined) continue;
      clearTimeout(tier.timer);
      tier.timer = undefined;
    }
    return kept;
  };

  return {
    start() {
      started = true;
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
      await settle('exporter stopping');
    },
    async reconfigure(next) {
      const due = holdTimers();
      await settle('configuration reloaded');
      if (stopped) return;
      for (const account of next.forget) jobs.forget(account);
      const kept = adoptTiers(next.tiers);
      current = {
        accounts: next.accounts,
        collect: next.collect,
        controller: new AbortController(),
      };
      if (!started) return;
      for (const tier of tiers) {
        // A new tier runs in full at once. A known one keeps its timetable (a run the reload cut
        // short booked its next turn as it ended) and runs now only the fresh accounts' jobs and
        // the jobs the reload aborted.
        if (!kept.has(tier)) {
          schedule(tier, 0);
          continue;
        }
        const at = due.get(tier);
        if (at !== undefined) schedule(tier, Math.max(0, at - now()));
        runExtra(tier, next.fresh);
      }
    },
    status() {
      return tiers.map((tier) => ({
        name: tier.plan.name,
        intervalSeconds: tier.plan.intervalSeconds,
        running: tier.running !== undefined,
        lastSuccessMs: tier.lastSuccessMs,
        lastError: lastErrorOf(tier),
        nextRunMs: tier.nextRunMs,
        consecutiveFailures: failuresOf(tier),
        pausedAccounts: pausedAccountsOfTier(tier),
      }));
    },
  };
}
