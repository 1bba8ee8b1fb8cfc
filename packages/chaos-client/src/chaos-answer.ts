/**
 * The CHAOS answer envelope (docs/chaos-api.md §2.5): a JSON object whose top-level `error`
 * means failure, even on HTTP 200. Reads an answer's text into that object, and maps an `error`
 * to its ChaosError kind.
 *
 * @module
 */

import { ChaosError, type ChaosErrorKind } from './errors.ts';
import { isRecord } from './is-record.ts';

/** @internal Which command answered. */
export interface ChaosCommand {
  readonly subsystem: string;
  readonly command: string;
}

/** The exact strings CHAOS answers for bad credentials (HAQ; docs/chaos-api.md §2.5). */
const AUTH_ERRORS: ReadonlySet<string> = new Set(['Control authorisation failed', 'Bad control-login']);
const UNKNOWN_COMMAND = 'Unknown command';

/**
 * @internal Maps a top-level CHAOS `error` to its kind. Any `error` key means failure: one that is
 * not a string [?] is an `api` error, never an empty success. `scrub` removes the credentials
 * from CHAOS's text; `status` is given for a non-2xx answer.
 */
export function chaosErrorAnswer(
  value: unknown,
  call: ChaosCommand,
  scrub: (text: string) => string,
  status?: number,
): ChaosError {
  const chaosMessage = scrub(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
  const kind: ChaosErrorKind = AUTH_ERRORS.has(chaosMessage)
    ? 'auth'
    : chaosMessage === UNKNOWN_COMMAND
      ? 'unknown-command'
      : 'api';
  const http = status === undefined ? '' : ` (HTTP ${status})`;
  return new ChaosError(kind, `CHAOS ${call.subsystem}/${call.command}: ${chaosMessage}${http}`, {
    subsystem: call.subsystem,
    command: call.command,
    chaosMessage,
    ...(status === undefined ? {} : { status }),
  });
}

/**
 * Drops any password from CHAOS's `request` echo. D1 says CHAOS never echoes one, but PRZ's
 * struct has the field [?] (docs/chaos-api.md §2.4, §10.9), and the answer is handed to callers
 * (`raw`, `request().body`).
 */
function redactEcho(answer: Record<string, unknown>): void {
  const echo = answer.request;
  if (!isRecord(echo)) return;
  for (const key of Object.keys(echo)) if (/password/i.test(key)) delete echo[key];
}

/**
 * @internal The checked answer of a 2xx: a JSON object without `error`, its echo free of
 * passwords.
 *
 * @throws {ChaosError} `schema` for text that is not a JSON object; `auth`, `unknown-command` or
 * `api` for an answer with `error`.
 */
export function readChaosAnswer(
  text: string,
  call: ChaosCommand,
  scrub: (text: string) => string,
): Record<string, unknown> {
  const where = { subsystem: call.subsystem, command: call.command };
  const label = `CHAOS ${call.subsystem}/${call.command}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // No cause: JSON.parse's message quotes the body, and the body is not ours to repeat.
    throw new ChaosError('schema', `${label}: the answer is not JSON`, {
      ...where,
      issues: [{ path: [], message: `not JSON (${text.length} bytes)` }],
    });
  }
  if (!isRecord(parsed)) {
    throw new ChaosError('schema', `${label}: the answer is not a JSON object`, {
      ...where,
      issues: [{ path: [], message: 'expected an object' }],
    });
  }
  redactEcho(parsed);
  if ('error' in parsed) throw chaosErrorAnswer(parsed.error, call, scrub);
  return parsed;
}
