/**
 * Runs one job (one collector of one account) when its policies allow, and applies what the
 * outcome means: back-off for a passing fault, the account's auth breaker for refused
 * credentials, a long rest for a command CHAOS does not offer. The scheduler decides when a tier
 * runs; this decides whether each of its jobs does, and at most `concurrencyLimit` are in flight.
 *
 * @module
 */

import { type ChaosErrorKind, isChaosError } from '@aaisp/chaos-client';
import type { Logger } from 'pino';
import { type CollectorBinding, nameOf } from '../collectors/index.ts';
import { jobKey } from '../model/job-key.ts';
import type { TierName } from '../model/tiers.ts';
import { createAuthBreakers, type OpenBreaker } from './auth-breaker.ts';
import { type BackoffState, freshBackoff, isBackingOff, recordFailure, recordSuccess } from './backoff.ts';
import type { CollectJob } from './collect-job.ts';
import { createUnavailable, DEFAULT_REPROBE_MS, meansUnavailable } from './reprobe.ts';
import { createSemaphore } from './semaphore.ts';
import type { TierPlan } from './tiers.ts';

/** Why one collector run of one account ended the way it did. */
export type RunOutcome = 'ok' | ChaosErrorKind | 'internal';

/**
 * Every SDK error kind, as a value. `satisfies` makes this exactly the kinds of
 * `ChaosErrorKind`: a kind added to `@aaisp/chaos-client` fails the exporter's typecheck here
 * until it is listed.
 */
const CHAOS_ERROR_KINDS = {
  auth: true,
  'unknown-command': true,
  api: true,
  http: true,
  'rate-limit': true,
  network: true,
  timeout: true,
  schema: true,
} as const satisfies Record<ChaosErrorKind, true>;

/**
 * Every way a run can fail, in the order `aaisp_collector_errors_total` lists them: each SDK
 * error kind, then `internal` (anything else the run threw).
 */
export const RUN_ERROR_KINDS: readonly Exclude<RunOutcome, 'ok'>[] = [
  ...(Object.keys(CHAOS_ERROR_KINDS) as ChaosErrorKind[]),
  'internal',
];

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

/**
 * Reported when an account's auth breaker opens (or re-opens after a later refusal) and when it
 * closes: every collector of the account is then paused, or may run again.
 */
export interface AuthPauseEvent {
  readonly account: string;
  /** The breaker now open; `undefined`: CHAOS accepted the account again and the breaker closed. */
  readonly pause: OpenBreaker | undefined;
}

/** A job's last error, as `/health` shows it. */
export interface JobError {
  readonly kind: RunOutcome;
  readonly message: string;
  readonly atMs: number;
}

/** What one attempt came to. */
export type JobResult =
  | { readonly kind: 'skipped' }
  | { readonly kind: 'ok'; readonly atMs: number }
  | { readonly kind: 'failed'; readonly error: JobError }
  | { readonly kind: 'aborted' };

/** What the job runner needs. */
export interface JobRunnerOptions {
  readonly concurrencyLimit: number;
  readonly logger: Logger;
  readonly now: () => number;
  readonly onRun?: ((event: RunEvent) => void) | undefined;
  /** Called when an account's auth breaker opens or closes, e.g. to update self-metrics. */
  readonly onAuthPause?: ((event: AuthPauseEvent) => void) | undefined;
  /** First pause of an account's auth breaker. */
  readonly authBackoffMs?: number | undefined;
  /** How long a command CHAOS does not offer is left alone. */
  readonly reprobeMs?: number | undefined;
  /** Auth breakers a previous process left open (the state file), by account. */
  readonly restoredPauses?: ReadonlyMap<string, OpenBreaker> | undefined;
}

/** What one attempt runs with: the configuration's collect job, and the signal that aborts it. */
export interface JobWork {
  readonly collect: CollectJob;
  /** Aborted when the exporter stops or a reload replaces the configuration. */
  readonly signal: AbortSignal;
}

/** The jobs of one scheduler. */
export interface JobRunner {
  /**
   * Runs the job unless a policy says to sit this tick out, or the same job is still in flight
   * (a reload's run of a new account meeting the tier's own). Never throws for a failed run.
   */
  run(
    tier: TierPlan,
    account: string,
    collector: CollectorBinding,
    runStartedMs: number,
    work: JobWork,
  ): Promise<JobResult>;
  /** The job's failures in a row. */
  failures(account: string, collector: CollectorBinding): number;
  /**
   * The account's auth breaker from CHAOS' last refusal until a success closes it (also once its
   * pause has ended and before the next attempt), or `undefined` when the account is not paused.
   */
  authPause(account: string): OpenBreaker | undefined;
  /** The job's back-off: it sits out every tick before this time (ms since the epoch; 0: none). */
  notBeforeMs(account: string, collector: CollectorBinding): number;
  /**
   * Forgets everything about the account: its back-offs, its commands at rest and its auth breaker
   * (reported closed if it was paused). For an account a reload removed or gave new credentials.
   */
  forget(account: string): void;
}

const outcomeOf = (error: unknown): RunOutcome => (isChaosError(error) ? error.kind : 'internal');
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Creates the job runner with its policies' state (one per scheduler). */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { now } = options;
  const reprobeMs = options.reprobeMs ?? DEFAULT_REPROBE_MS;
  const semaphore = createSemaphore(options.concurrencyLimit);
  const backoffs = new Map<string, BackoffState>();
  const breakers = createAuthBreakers(options.authBackoffMs, options.restoredPauses);
  const unavailable = createUnavailable(reprobeMs);
  const inFlight = new Set<string>();
  const keyOf = (account: string, collector: CollectorBinding): string => jobKey(account, nameOf(collector));

  /** Logs a failure by what it means: a paused account, a command CHAOS lacks, or a retry. */
  const onFailure = (
    error: unknown,
    key: string,
    job: BackoffState,
    account: string,
    optional: boolean,
    logger: Logger,
    guarded: boolean,
  ) => {
    if (outcomeOf(error) === 'auth' && guarded) {
      const opened = breakers.refuse(account, now());
      if (opened === undefined) return;
      options.onAuthPause?.({ account, pause: { untilMs: opened.untilMs, refusals: opened.refusals } });
      logger.error(
        { err: error, pauseMinutes: Math.round(opened.pauseMs / 60_000) },
        'CHAOS refused the credentials: no calls for this account until the pause ends. Check that its control login is the base login (ab123@a, not a line login ab123@a.1) and its password, or the account number pair',
      );
    } else if (meansUnavailable(error, optional)) {
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

  return {
    async run(tier, account, collector, runStartedMs, { collect, signal }) {
      const key = keyOf(account, collector);
      const job = backoffs.get(key) ?? freshBackoff();
      backoffs.set(key, job);
      // The breaker guards CHAOS credentials: a source that sends none never waits for it.
      const guarded = collector.source.pausedByChaosAuth;
      const sitOut =
        inFlight.has(key) ||
        (guarded && breakers.openAt(account, now()) !== undefined) ||
        unavailable.isResting(key, now()) ||
        isBackingOff(job, now());
      if (sitOut) return { kind: 'skipped' };
      const started = now();
      const report = { tier: tier.name, account, collector: nameOf(collector) };
      const logger = options.logger.child(report);
      inFlight.add(key);
      try {
        await semaphore.run(() => collect(account, collector, signal), signal);
        if (guarded && breakers.close(account)) options.onAuthPause?.({ account, pause: undefined });
        if (unavailable.clear(key)) logger.info('command available again');
        recordSuccess(job);
        const atMs = now();
        options.onRun?.({ ...report, durationMs: atMs - started, outcome: 'ok' });
        return { kind: 'ok', atMs };
      } catch (error) {
        if (signal.aborted) return { kind: 'aborted' };
        const outcome = outcomeOf(error);
        const failed: JobError = { kind: outcome, message: messageOf(error), atMs: now() };
        recordFailure(job, {
          intervalMs: tier.intervalSeconds * 1000,
          runStartedMs,
          nowMs: now(),
          retryAfterSeconds: isChaosError(error) ? error.retryAfter : undefined,
        });
        onFailure(error, key, job, account, collector.optional, logger, guarded);
        options.onRun?.({ ...report, durationMs: now() - started, outcome, error });
        return { kind: 'failed', error: failed };
      } finally {
        inFlight.delete(key);
      }
    },
    failures: (account, collector) => backoffs.get(keyOf(account, collector))?.failures ?? 0,
    authPause: (account) => breakers.stateOf(account),
    notBeforeMs: (account, collector) => backoffs.get(keyOf(account, collector))?.notBeforeMs ?? 0,
    forget(account) {
      const prefix = jobKey(account, '');
      for (const key of backoffs.keys()) {
        if (key.startsWith(prefix)) {
          backoffs.delete(key);
          unavailable.clear(key);
        }
      }
      if (breakers.close(account)) options.onAuthPause?.({ account, pause: undefined });
    },
  };
}
