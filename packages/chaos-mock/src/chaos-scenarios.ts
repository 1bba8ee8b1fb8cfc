/**
 * The scenarios that change what CHAOS answers rather than how it is delivered: `empty` and
 * `lines-change` pick the lines of each answer, `schema-drift` corrupts the payload. (Transport
 * faults are in `faults.ts`; `auth-fail` is a refusal, in `chaos-backend.ts`.)
 *
 * @module
 */

import { isRecord } from './is-record.ts';
import { choiceTitle, generateLines, type MockLine } from './lines.ts';
import type { ScenarioName } from './scenarios.ts';

/** The commands whose answers list the account's lines, and so move with `lines-change`. */
const LINE_COMMANDS: ReadonlySet<string> = new Set([
  'broadband/info',
  'broadband/quota',
  'broadband/services',
]);

const DRIFTING: ReadonlySet<string> = new Set(['info', 'quota']);

/**
 * Corrupts the first three entries of a list the ways a careless upstream change might (a unit in
 * a number, a lost key, a negative count) and leaves the rest alone, so a client can prove it
 * drops only what is bad.
 */
function drift(list: unknown): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((entry: unknown, index) => {
    if (!isRecord(entry)) return entry;
    if (index === 0)
      return 'tx_rate' in entry ? { ...entry, tx_rate: '1 Gb/s' } : { ...entry, quota_monthly: '1 TB' };
    if (index === 1) return Object.fromEntries(Object.entries(entry).filter(([key]) => key !== 'ID'));
    if (index === 2) return { ...entry, quota_remaining: '-1073741824' };
    return entry;
  });
}

/** `schema-drift`: a command's payload with its `info` and `quota` lists drifted. */
export function driftPayload(payload: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [name, DRIFTING.has(name) ? drift(value) : value]),
  );
}

/** `lines-change`: the set without its last line, plus one new line with the next free ID. */
function changedLines(base: readonly MockLine[]): MockLine[] {
  const last = base.at(-1);
  if (!last) return generateLines(1);
  // A loop, not Math.max(...ids): spreading 100 000+ arguments overflows the call stack.
  let highest = 0;
  for (const line of base) highest = Math.max(highest, Number(line.info.ID) || 0);
  const nextId = String(highest + 1);
  const { phone: _phone, ...rest } = last;
  const appeared: MockLine = { ...rest, title: choiceTitle(last.info), info: { ...last.info, ID: nextId } };
  return [...base.slice(0, -1), appeared];
}

/** Which lines each CHAOS answer carries, and which the last line-bearing answer carried. */
export interface LineSchedule {
  /**
   * The lines an answer to `key` carries under `active`. Only a request whose scenario is still
   * `current` moves the `lines-change` alternation or {@link lastServed}.
   */
  linesFor(key: string, active: ScenarioName, current: boolean): readonly MockLine[];
  /** The lines of the last line-bearing answer since {@link restart}, else the first ones `playing` serves. */
  lastServed(playing: ScenarioName): readonly MockLine[];
  /** Forgets the alternation and the last answer; called by every `setScenario`. */
  restart(): void;
}

/** Creates the schedule of one mock's line set. */
export function createLineSchedule(base: readonly MockLine[]): LineSchedule {
  let lineAnswers = 0;
  let last: readonly MockLine[] | undefined;
  const first = (active: ScenarioName): readonly MockLine[] => (active === 'empty' ? [] : base);
  const next = (active: ScenarioName): readonly MockLine[] => {
    if (active !== 'lines-change') return first(active);
    lineAnswers++;
    return lineAnswers % 2 === 0 ? changedLines(base) : base;
  };
  return {
    linesFor(key, active, current) {
      const bearsLines = LINE_COMMANDS.has(key);
      // `empty` reaches every command: with no lines, no command can find one.
      if (!bearsLines && active !== 'empty') return base;
      const lines = current ? next(active) : first(active);
      if (current && bearsLines) last = lines;
      return lines;
    },
    lastServed: (playing) => last ?? first(playing),
    restart() {
      lineAnswers = 0;
      last = undefined;
    },
  };
}
