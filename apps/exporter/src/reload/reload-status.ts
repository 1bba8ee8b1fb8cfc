/**
 * What a configuration reload came to, as `/health`, the `POST /-/reload` answer and the log tell
 * it. The start counts as the first load.
 *
 * @module
 */

import type { ConfigProblem } from '../config/problem.ts';

/** What asked for a (re)load: the start, a SIGHUP, or `POST /-/reload`. */
export type ReloadTrigger = 'start' | 'SIGHUP' | 'http';

/** One load of the configuration. */
export type ReloadOutcome =
  | {
      readonly ok: true;
      readonly trigger: ReloadTrigger;
      /** When it was applied (ms since the epoch). */
      readonly atMs: number;
    }
  | {
      readonly ok: false;
      readonly trigger: ReloadTrigger;
      readonly atMs: number;
      /** Every problem found, by variable (or file and field); never a secret. */
      readonly problems: readonly ConfigProblem[];
    };

/** The last load and the last good one: what `/health` shows under `config`. */
export interface ReloadStatus {
  /** The last load, good or refused. */
  readonly last: ReloadOutcome;
  /** When the configuration in force was loaded (ms since the epoch). */
  readonly lastSuccessMs: number;
}

/** Records loads as they happen; one per exporter. */
export interface ReloadLog {
  record(outcome: ReloadOutcome): void;
  status(): ReloadStatus;
}

/** Starts the record with the start's load, which succeeded (a bad start never serves). */
export function createReloadLog(startedAtMs: number): ReloadLog {
  let status: ReloadStatus = {
    last: { ok: true, trigger: 'start', atMs: startedAtMs },
    lastSuccessMs: startedAtMs,
  };
  return {
    record(outcome) {
      status = { last: outcome, lastSuccessMs: outcome.ok ? outcome.atMs : status.lastSuccessMs };
    },
    status: () => status,
  };
}
