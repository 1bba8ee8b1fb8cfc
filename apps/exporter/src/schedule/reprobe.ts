/**
 * Commands CHAOS does not offer on an account ("Unknown command", or HTTP 500 from an optional
 * collector such as telephony without VoIP: docs/chaos-api.md §2.5, §5) are left alone and tried
 * again rarely (default every 6 h), instead of being backed off like a passing fault.
 *
 * @module
 */

import { isChaosError } from '@aaisp/chaos-client';

/** The default wait before a command CHAOS does not offer is tried again. */
export const DEFAULT_REPROBE_MS: number = 6 * 60 * 60_000;

/**
 * Whether `error` says the command is not offered on this account. A 500 from a collector that is
 * not optional (broadband) is a passing fault, not a missing subsystem.
 */
export function meansUnavailable(error: unknown, optional: boolean): boolean {
  if (!isChaosError(error)) return false;
  return error.kind === 'unknown-command' || (optional && error.kind === 'http' && error.status === 500);
}

/** Jobs (one command of one account, by key) CHAOS does not offer, until their re-probe. */
export interface Unavailable {
  /** Whether the job is left alone at `nowMs`. */
  isResting(key: string, nowMs: number): boolean;
  /** Leaves the job alone for the re-probe wait. */
  rest(key: string, nowMs: number): void;
  /** The job succeeded; true when it had been unavailable (worth a log line). */
  clear(key: string): boolean;
}

/** Creates the re-probe policy. */
export function createUnavailable(reprobeMs: number = DEFAULT_REPROBE_MS): Unavailable {
  const until = new Map<string, number>();
  return {
    isResting(key, nowMs) {
      const time = until.get(key);
      return time !== undefined && nowMs < time;
    },
    rest(key, nowMs) {
      until.set(key, nowMs + reprobeMs);
    },
    clear: (key) => until.delete(key),
  };
}
