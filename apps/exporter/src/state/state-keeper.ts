/**
 * The exporter's state (issue #28): what it remembers across restarts when a state directory is
 * configured. Every part of the exporter reads and writes it here, in memory; with a directory,
 * each change is also written to `<dir>/state.json` (see `state-file.ts`), and read back at the
 * next start.
 *
 * **No secret and no URL goes in it**, only:
 *
 * - account names (as configured) and line IDs (as target names);
 * - each account's auth pause: its end, its count of refusals in a row, and a 24-bit fingerprint
 *   of the refused credentials (`fingerprint.ts`), never the credentials;
 * - the sources' memories of their targets, e.g. the CQM counters' totals and newest sample.
 *
 * Callers keep it that way: a source stores counters and times, never a link or a password.
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ChaosAuth } from '@aaisp/chaos-client';
import type { Logger } from 'pino';
import type { TargetMemory } from '../collectors/index.ts';
import { errorCode } from '../error-code.ts';
import type { JsonValue } from '../model/json.ts';
import { credentialsFingerprint } from './fingerprint.ts';
import {
  readStateFile,
  type SavedAccount,
  type SavedAuthPause,
  SavedAuthPauseSchema,
  STATE_FILE_NAME,
  STATE_FILE_VERSION,
  type StateFile,
  writeStateFile,
} from './state-file.ts';

export type { JsonValue } from '../model/json.ts';
export type { SavedAuthPause } from './state-file.ts';

/** The state every part of the exporter reads and writes; see the module's doc for what goes in. */
export interface StateKeeper {
  /** Whether changes are written to disk (a directory was configured). */
  readonly persistent: boolean;
  /** The account's saved auth pause, whether or not it has ended; undefined when none. */
  authPause(account: string): SavedAuthPause | undefined;
  /**
   * Saves (or with `undefined`, forgets) the account's auth pause.
   *
   * @throws {RangeError} when `pause` is not valid (`untilMs` not finite, `refusals` not an
   *   integer of at least 1, `credentials` not hex): such a pause would make the whole file
   *   unreadable at the next start.
   */
  setAuthPause(account: string, pause: SavedAuthPause | undefined): void;
  /** The fingerprint of these credentials with this state's salt (see fingerprint.ts). */
  fingerprint(auth: ChaosAuth): string;
  /**
   * A source's memory of one target (e.g. source 'cqm', target = line ID), as last set or read from
   * disk; undefined when none. A copy: changing it changes nothing in the state. Read from disk,
   * it is whatever JSON the file held: the source checks it.
   */
  target(source: string, account: string, target: string): unknown;
  /** Sets a source's memory of one target; setting the same JSON again is not a change. */
  setTarget(source: string, account: string, target: string, value: JsonValue): void;
  /**
   * Keeps only what `keep` accepts: called after a reload with the accounts (and their targets)
   * still configured. `keep(account)` for the account as a whole (dropping it drops its pause and
   * targets), `keep(account, source, target)` per target.
   */
  retain(keep: (account: string, source?: string, target?: string) => boolean): void;
  /** Resolves once every change made so far has been written (or its write failed and was logged). */
  flush(): Promise<void>;
}

/** What {@link createStateKeeper} needs. */
export interface StateKeeperOptions {
  /** The state directory; without it the state lives in memory only. */
  readonly dir?: string | undefined;
  readonly logger: Logger;
  /** The clock of the file's `savedAt`. Default `Date.now`. */
  readonly now?: () => number;
  /** Test seam: the file write. Default {@link writeStateFile}. */
  readonly write?: typeof writeStateFile;
}

/** Bytes of a fresh salt (hex in the file). */
const SALT_BYTES = 16;

/** JSON text of each target's value: account → source → target → text. */
type TargetTexts = Map<string, Map<string, Map<string, string>>>;

/** The state in memory: the salt, and the pauses and targets by account. */
interface Loaded {
  readonly salt: string;
  readonly pauses: Map<string, SavedAuthPause>;
  readonly targets: TargetTexts;
}

/** A state with nothing in it and a salt of its own. */
function emptyState(): Loaded {
  return { salt: randomBytes(SALT_BYTES).toString('hex'), pauses: new Map(), targets: new Map() };
}

function samePause(a: SavedAuthPause | undefined, b: SavedAuthPause | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.untilMs === b.untilMs && a.refusals === b.refusals && a.credentials === b.credentials;
}

function load(state: StateFile): Loaded {
  const pauses = new Map<string, SavedAuthPause>();
  const targets: TargetTexts = new Map();
  for (const [account, saved] of Object.entries(state.accounts)) {
    if (saved.authPause !== undefined) pauses.set(account, saved.authPause);
    const sources = new Map<string, Map<string, string>>();
    for (const [source, byTarget] of Object.entries(saved.targets ?? {})) {
      const texts = new Map<string, string>();
      for (const [target, value] of Object.entries(byTarget)) texts.set(target, JSON.stringify(value));
      if (texts.size > 0) sources.set(source, texts);
    }
    if (sources.size > 0) targets.set(account, sources);
  }
  return { salt: state.salt, pauses, targets };
}

/**
 * Removes what a write cut short by the process' end left (`writeStateFile`'s temporary files):
 * the rename never happened, so they are no state, only litter.
 */
function sweepTemporaryFiles(dir: string): void {
  try {
    for (const name of readdirSync(dir)) {
      if (name.startsWith(`.${STATE_FILE_NAME}.`) && name.endsWith('.tmp')) {
        rmSync(join(dir, name), { force: true });
      }
    }
  } catch {
    // Unreadable: the read below says so, once.
  }
}

/**
 * Reads the state directory at start. Any problem is one warning and an empty state with a fresh
 * salt: the exporter then works as without saved state, and the next change replaces the file.
 */
function loadFromDir(dir: string, path: string, logger: Logger): Loaded {
  try {
    // 0700: the file names accounts and lines, and holds the credentials' fingerprints.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    logger.warn(
      { path: dir, code: errorCode(error) ?? 'unknown' },
      'cannot create the state directory: starting without saved state; each change will try to write it again',
    );
    return emptyState();
  }
  sweepTemporaryFiles(dir);
  const read = readStateFile(path);
  if (read.ok) {
    const loaded = load(read.state);
    logger.info({ path, accounts: Object.keys(read.state.accounts).length }, 'saved state loaded');
    return loaded;
  }
  logger.warn(
    { path, kind: read.kind, reason: read.message },
    read.kind === 'missing'
      ? 'no saved state yet (normal on a first start): starting without saved state'
      : 'cannot use the saved state: starting without saved state; the next change replaces the file',
  );
  return emptyState();
}

/**
 * Creates the state. Without `dir` it lives in memory only, with a random salt per process, and
 * never touches the disk. With `dir`, the directory is created if missing (mode 0700) and
 * `state.json` is read synchronously; a missing, unreadable, corrupt or newer file is logged once
 * (a warning) and the state starts empty: this never throws.
 *
 * Writes follow changes: each set or retain that changes something schedules one. Writes never
 * overlap and are coalesced (the changes of one tick are one write; changes during a write are one
 * more write after it). A failed write is logged (a warning with its errno code) and the next change
 * writes everything again; nothing throws or rejects into the caller.
 *
 * @example
 * ```ts
 * const state = createStateKeeper({ dir: '/var/lib/aaisp-exporter', logger });
 * state.setAuthPause('home', { untilMs, refusals: 1, credentials: state.fingerprint(auth) });
 * await state.flush(); // on shutdown
 * ```
 */
export function createStateKeeper(options: StateKeeperOptions): StateKeeper {
  const { logger, now = Date.now, write = writeStateFile } = options;
  const dir = options.dir === undefined ? undefined : resolve(options.dir);
  const path = dir === undefined ? undefined : join(dir, STATE_FILE_NAME);
  const { salt, pauses, targets } =
    dir === undefined || path === undefined ? emptyState() : loadFromDir(dir, path, logger);

  let writeScheduled = false;
  let writes: Promise<void> = Promise.resolve();

  const snapshot = (): StateFile => {
    const accounts = new Map<string, SavedAccount>();
    for (const [account, pause] of pauses) accounts.set(account, { authPause: pause });
    for (const [account, sources] of targets) {
      const saved = Object.fromEntries(
        [...sources].map(([source, texts]) => [
          source,
          Object.fromEntries(
            [...texts].map(([target, text]): [string, unknown] => [target, JSON.parse(text)]),
          ),
        ]),
      );
      accounts.set(account, { ...accounts.get(account), targets: saved });
    }
    return {
      version: STATE_FILE_VERSION,
      savedAt: new Date(now()).toISOString(),
      salt,
      // fromEntries defines own properties, so an account named `__proto__` cannot touch a prototype
      // (zod's record drops that key on read: such an account starts without saved state).
      accounts: Object.fromEntries(accounts),
    };
  };

  const writeNow = async (statePath: string): Promise<void> => {
    // From here on a change needs another write: this one may already miss it.
    writeScheduled = false;
    try {
      await write(statePath, snapshot());
    } catch (error) {
      // The file on disk is now older than what was served: restored, its counters would go back
      // in time, which Prometheus reads as a reset and adds in full to increase(). Without it a
      // restart starts at 0, a reset it handles.
      const removed = await rm(statePath, { force: true }).then(
        () => true,
        () => false,
      );
      logger.warn(
        { path: statePath, code: errorCode(error) ?? 'unknown', staleFileRemoved: removed },
        'cannot write the state file: it will be written again on the next change',
      );
    }
  };

  const changed = (): void => {
    if (path === undefined || writeScheduled) return;
    writeScheduled = true;
    // Chained: never two writes at once, and every change made before this write starts is in it.
    writes = writes.then(() => writeNow(path));
  };

  return {
    persistent: path !== undefined,
    authPause: (account) => pauses.get(account),
    setAuthPause(account, pause) {
      if (pause !== undefined && !SavedAuthPauseSchema.safeParse(pause).success) {
        throw new RangeError(`not a valid auth pause for account ${JSON.stringify(account)}`);
      }
      if (samePause(pauses.get(account), pause)) return;
      if (pause === undefined) pauses.delete(account);
      else
        pauses.set(account, {
          untilMs: pause.untilMs,
          refusals: pause.refusals,
          credentials: pause.credentials,
        });
      changed();
    },
    fingerprint: (auth) => credentialsFingerprint(auth, salt),
    target(source, account, target) {
      const text = targets.get(account)?.get(source)?.get(target);
      return text === undefined ? undefined : JSON.parse(text);
    },
    setTarget(source, account, target, value) {
      // Kept as JSON text: the caller's object may change later, and an equal value is no change.
      const text = JSON.stringify(value);
      let sources = targets.get(account);
      if (sources?.get(source)?.get(target) === text) return;
      if (sources === undefined) {
        sources = new Map();
        targets.set(account, sources);
      }
      let texts = sources.get(source);
      if (texts === undefined) {
        texts = new Map();
        sources.set(source, texts);
      }
      texts.set(target, text);
      changed();
    },
    retain(keep) {
      let dropped = false;
      for (const account of new Set([...pauses.keys(), ...targets.keys()])) {
        if (!keep(account)) {
          // Both, whatever the first returned.
          const hadPause = pauses.delete(account);
          const hadTargets = targets.delete(account);
          dropped ||= hadPause || hadTargets;
          continue;
        }
        const sources = targets.get(account);
        if (sources === undefined) continue;
        for (const [source, texts] of sources) {
          for (const target of [...texts.keys()]) {
            if (keep(account, source, target)) continue;
            texts.delete(target);
            dropped = true;
          }
          if (texts.size === 0) sources.delete(source);
        }
        if (sources.size === 0) targets.delete(account);
      }
      if (dropped) changed();
    },
    flush: () => writes,
  };
}

/**
 * One source's part of the state, as its runs see it (`BindingDeps.memory`): what it remembers of
 * each target, by account and target ID.
 */
export function sourceMemory(state: Pick<StateKeeper, 'target' | 'setTarget'>, source: string): TargetMemory {
  return {
    get: (account, target) => state.target(source, account, target),
    set: (account, target, value) => state.setTarget(source, account, target, value),
  };
}
