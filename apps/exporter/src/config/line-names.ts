/**
 * Names operators give their lines (`{ "32001": "Home" }`), shown as the `name` label of
 * `aaisp_broadband_line_info` instead of the name derived from the CHAOS title. Given per account
 * in the accounts file (`names:`) or, for the `default` account, in
 * `AAISP_EXPORTER_LINES__NAMES_FILE` (one `line_id name` a line). A problem names the line ID and
 * where it is, never the name or the file's other text: an operator may have pasted anything there.
 *
 * @module
 */

import { isLineId, NOT_A_LINE_ID } from './line-id.ts';
import type { ConfigProblem } from './problem.ts';

/** The longest name, in characters: a label value for dashboards, not a description. */
export const LINE_NAME_MAX = 64;

/** Control characters (a newline, a tab) would break tables and legends: refused. */
const CONTROL = /\p{Cc}/u;

/** One entry, checked: the line ID and its trimmed name, or why it is refused. */
type Entry =
  | { readonly ok: true; readonly lineId: string; readonly name: string }
  | { readonly ok: false; readonly problem: string };

/** Checks one `line ID → name` entry; the name is trimmed. */
function entryOf(lineId: string, value: unknown): Entry {
  if (!isLineId(lineId)) return { ok: false, problem: NOT_A_LINE_ID };
  // YAML reads an unquoted `2024` or `yes` as a number or a boolean, not as the text typed.
  if (typeof value !== 'string')
    return { ok: false, problem: 'the name must be text (quote it, e.g. "2024")' };
  const name = value.trim();
  if (name === '') return { ok: false, problem: 'the name must not be empty' };
  if ([...name].length > LINE_NAME_MAX) {
    return { ok: false, problem: `the name must be at most ${LINE_NAME_MAX} characters` };
  }
  if (CONTROL.test(name))
    return { ok: false, problem: 'the name must not contain control characters such as tabs' };
  return { ok: true, lineId, name };
}

/**
 * The names of an accounts-file `names:` mapping (YAML turns an unquoted `32001:` key into the
 * text `32001`), each trimmed and checked. A bad entry is a problem named `where(lineId)` and is
 * left out; the others are kept.
 */
export function lineNamesFromRecord(
  entries: Readonly<Record<string, unknown>>,
  where: (lineId: string) => string,
  problems: ConfigProblem[],
): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [lineId, value] of Object.entries(entries)) {
    const entry = entryOf(lineId, value);
    if (entry.ok) names[entry.lineId] = entry.name;
    else problems.push({ variable: where(lineId), message: entry.problem });
  }
  return names;
}

/**
 * Reads a `LINES__NAMES_FILE`: one `line_id name` a line, the name being the rest of the line,
 * trimmed (it may hold spaces, and a `#` inside it is part of it); blank lines and lines starting
 * with `#` are ignored. Problems are named `where(lineNumber)` and never quote the file.
 */
export function lineNamesFromText(
  text: string,
  where: (lineNumber: number) => string,
  problems: ConfigProblem[],
): Record<string, string> {
  const names: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [, lineId, rest] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    const entry: Entry =
      lineId === undefined || rest === undefined
        ? { ok: false, problem: 'expected `<line_id> <name>`' }
        : Object.hasOwn(names, lineId)
          ? { ok: false, problem: `line ${lineId} is named twice` }
          : entryOf(lineId, rest);
    if (entry.ok) names[entry.lineId] = entry.name;
    else problems.push({ variable: where(index + 1), message: entry.problem });
  });
  return names;
}
