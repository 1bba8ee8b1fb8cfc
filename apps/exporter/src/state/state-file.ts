/**
 * The exporter's state file (`<dir>/state.json`, issue #28): its format, checked with zod when it
 * is read, and its atomic write. What goes in it is decided by the state keeper
 * (`state-keeper.ts`); this module only knows the shape:
 *
 * ```json
 * {
 *   "version": 1,
 *   "savedAt": "2026-11-02T10:00:00.000Z",
 *   "salt": "9f2c…",
 *   "accounts": {
 *     "home": {
 *       "authPause": { "untilMs": 1793613600000, "refusals": 2, "credentials": "a1b2c3" },
 *       "targets": { "cqm": { "32891": { "totals": { "…": 0 } } } }
 *     }
 *   }
 * }
 * ```
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as z from 'zod';
import { errorCode } from '../error-code.ts';
import { isRecord } from '../is-record.ts';

/** The state file's name inside the configured directory. */
export const STATE_FILE_NAME = 'state.json';

/** The format version this exporter writes and reads. */
export const STATE_FILE_VERSION = 1;

/** An account's saved auth pause: CHAOS refused its credentials, no call until `untilMs`. */
export interface SavedAuthPause {
  /** Calls may resume at this time (ms since the epoch). */
  readonly untilMs: number;
  /** Refusals in a row (at least 1). */
  readonly refusals: number;
  /**
   * The fingerprint (`credentialsFingerprint`, 6 hex digits) of the credentials CHAOS refused: a
   * restart with changed credentials does not wait out a pause that was meant for the old ones.
   */
  readonly credentials: string;
}

/** What the file keeps of one account. */
export interface SavedAccount {
  readonly authPause?: SavedAuthPause | undefined;
  /**
   * Each source's memory of its targets: `targets[source][target]`, e.g. `targets.cqm['32891']`.
   * A value is any JSON the source wrote; the source checks it when it reads it back.
   */
  readonly targets?: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined;
}

/** The whole file, version 1. */
export interface StateFile {
  readonly version: typeof STATE_FILE_VERSION;
  /** When the file was written (ISO 8601); for people reading it, not used by the exporter. */
  readonly savedAt: string;
  /** The salt of the credentials' fingerprints (hex): kept so that they stay comparable. */
  readonly salt: string;
  /** By account name (as configured). */
  readonly accounts: Readonly<Record<string, SavedAccount>>;
}

/** Why a state file could not be used. */
export type StateReadProblem = 'missing' | 'unreadable' | 'corrupt' | 'future-version';

/**
 * The result of {@link readStateFile}: the state, or why there is none. `message` is short and
 * never quotes the file (an errno code, zod issue paths, a version number).
 */
export type StateRead =
  | { readonly ok: true; readonly state: StateFile }
  | { readonly ok: false; readonly kind: StateReadProblem; readonly message: string };

/**
 * The schema of a {@link SavedAuthPause}: `untilMs` a finite number (zod's `z.number()` refuses NaN
 * and ±Infinity), `refusals` an integer of at least 1, `credentials` lowercase hex.
 */
export const SavedAuthPauseSchema: z.ZodType<SavedAuthPause> = z.object({
  untilMs: z.number(),
  refusals: z.int().min(1),
  credentials: z.string().regex(/^[0-9a-f]{1,64}$/, 'must be hex'),
});

const StateFileSchema = z.object({
  version: z.literal(STATE_FILE_VERSION),
  savedAt: z.string(),
  // 8 bytes at least: a salt this short or shorter would not be one the exporter wrote.
  salt: z.string().regex(/^[0-9a-f]{16,128}$/, 'must be 16 to 128 hex digits'),
  accounts: z.record(
    z.string(),
    z.object({
      authPause: SavedAuthPauseSchema.optional(),
      targets: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    }),
  ),
});

/** Issues quoted in a `corrupt` message; the rest are counted. */
const ISSUES_SHOWN = 3;

/** A zod error as its issues' paths and codes: never the values, which may be anything. */
function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, ISSUES_SHOWN).map((issue) => {
    const path = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
    return `${path}: ${issue.code}`;
  });
  const more = error.issues.length - shown.length;
  return `not a state file: ${shown.join('; ')}${more > 0 ? ` (+${more} more)` : ''}`;
}

/**
 * Reads and checks a state file, synchronously (it is read once, at start, before anything runs).
 * Never throws:
 *
 * - `missing`: there is no file (normal on a first start).
 * - `unreadable`: the file is there but cannot be read (`EACCES`, `EISDIR`, `EIO`, …).
 * - `corrupt`: not JSON, or JSON that is not a version-1 state file.
 * - `future-version`: a `version` above 1, written by a newer exporter. Checked before the rest of
 *   the schema, so a newer file whose other fields changed is reported as newer, not as corrupt.
 */
export function readStateFile(path: string): StateRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return { ok: false, kind: 'missing', message: 'no state file' };
    return { ok: false, kind: 'unreadable', message: code ?? 'read failed' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // V8's SyntaxError quotes the text around the error: never passed on.
    return { ok: false, kind: 'corrupt', message: 'not JSON' };
  }
  if (isRecord(json) && typeof json.version === 'number' && json.version > STATE_FILE_VERSION) {
    return { ok: false, kind: 'future-version', message: `version ${json.version}, newer than 1` };
  }
  const parsed = StateFileSchema.safeParse(json);
  if (!parsed.success) return { ok: false, kind: 'corrupt', message: describeIssues(parsed.error) };
  return { ok: true, state: parsed.data };
}

/**
 * Errors of a directory's fsync that mean "not supported here" (some file systems, Windows), not
 * "the data is lost": the rename has happened either way.
 */
const DIRECTORY_SYNC_UNSUPPORTED = new Set(['EINVAL', 'EISDIR', 'EPERM', 'EACCES', 'ENOTSUP', 'EBADF']);

/** Makes the rename itself durable: without it a crash may bring back the old file. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = errorCode(error);
    if (code === undefined || !DIRECTORY_SYNC_UNSUPPORTED.has(code)) throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Writes a state file atomically: the JSON goes to a new temporary file in the same directory
 * (`.state.json.<random>.tmp`, mode 0600: the file names accounts and lines), which is fsynced and
 * renamed over `path`; then the directory is fsynced so the rename survives a crash. A reader (or
 * a crash) sees the old file or the new one, never a partial one.
 *
 * @throws the file system's error (with its errno `code`) when the write fails; the temporary
 *   file is removed first.
 */
export async function writeStateFile(path: string, state: StateFile): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    // `wx`: a new file, never one that somebody else left or planted there.
    handle = await open(temp, 'wx', 0o600);
    await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}
