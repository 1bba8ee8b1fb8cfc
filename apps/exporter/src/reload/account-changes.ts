/**
 * How a reloaded configuration's accounts differ from those in force: what the scheduler
 * collects at once, what it forgets, and what the log says. Compared by value, so re-reading an
 * unchanged file changes nothing.
 *
 * @module
 */

import { isDeepStrictEqual } from 'node:util';
import type { AccountConfig } from '../model/account.ts';

/** The accounts of a reload, by what happened to them. Names only: never a credential. */
export interface AccountChanges {
  /** Configured now, not before: collected at once. */
  readonly added: readonly string[];
  /** Configured before, not now: their series leave `/metrics`. */
  readonly removed: readonly string[];
  /** New credentials (a rotated password): un-paused, back-offs forgotten, collected at once. */
  readonly credentials: readonly string[];
  /** Same credentials, other parts changed (CQM lines, a source's part): collected at once. */
  readonly changed: readonly string[];
  /** Exactly as before: they keep their snapshot, timetable, back-offs and pause. */
  readonly unchanged: readonly string[];
}

/** Compares two account lists (this replica's share of each configuration). */
export function accountChanges(
  before: readonly AccountConfig[],
  after: readonly AccountConfig[],
): AccountChanges {
  const old = new Map(before.map((account) => [account.name, account]));
  const names = new Set(after.map((account) => account.name));
  const added: string[] = [];
  const credentials: string[] = [];
  const changed: string[] = [];
  const unchanged: string[] = [];
  for (const account of after) {
    const was = old.get(account.name);
    if (was === undefined) added.push(account.name);
    else if (!isDeepStrictEqual(was.auth, account.auth)) credentials.push(account.name);
    else if (!isDeepStrictEqual(was, account)) changed.push(account.name);
    else unchanged.push(account.name);
  }
  const removed = before.map((account) => account.name).filter((name) => !names.has(name));
  return { added, removed, credentials, changed, unchanged };
}
