/**
 * logfmt, the `key=value` line format Prometheus and its exporters log in, written in-process.
 *
 * The quoting follows go-logfmt's `encode.go`, which Prometheus' own logs use: a value is quoted
 * when it holds a character at or below space, `=`, `"`, DEL or U+FFFD; inside quotes `\` and `"`
 * are escaped, newline, carriage return and tab are written `\n`, `\r`, `\t`, and other control
 * characters `\u00XX`. Two additions, so that nothing that breaks or rewrites a line on a terminal
 * or in a log viewer gets through raw: C1 controls (U+0080–U+009F, NEL among them) and the line
 * and paragraph separators (U+2028, U+2029) are quoted and escaped too, and a lone surrogate is
 * written as U+FFFD (what any UTF-8 encoder writes for it). A line therefore never holds a raw
 * newline, whatever the values hold.
 *
 * Nested objects are flattened with dots (`web.tls=false`). Arrays: see {@link encodeLogfmt}.
 *
 * @module
 */

import type { DestinationStream } from 'pino';
import { isRecord } from '../is-record.ts';

/**
 * Whether a character (a code point, or a lone surrogate) cannot stand in a bare value: go-logfmt's
 * set (≤ space, `=`, `"`, DEL, U+FFFD), C1 controls, U+2028/U+2029, and lone surrogates.
 */
function unsafe(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (
    code <= 0x20 ||
    char === '=' ||
    char === '"' ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0xfffd ||
    (code >= 0xd800 && code <= 0xdfff)
  );
}

/** The escape written inside quotes for each character that has a short one. */
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** What a character becomes inside quotes. */
function escaped(char: string): string {
  const short = SHORT_ESCAPES[char];
  if (short !== undefined) return short;
  if (!unsafe(char)) return char;
  const code = char.charCodeAt(0);
  // Lone surrogates: U+FFFD, as a UTF-8 encoder would write them.
  if (code >= 0xd800 && code <= 0xdfff) return '\ufffd';
  // Space, `=` and U+FFFD are safe once quoted.
  if (char === ' ' || char === '=' || char === '\ufffd') return char;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A value as logfmt writes it: bare when it can be, else quoted with escapes. */
export function logfmtValue(text: string): string {
  // go-logfmt quotes the string "null" so that it reads apart from a null value (`k=null`).
  if (text === 'null') return '"null"';
  // Spread by code point: a valid surrogate pair is one character, so only lone surrogates are unsafe.
  const chars = [...text];
  if (!chars.some(unsafe)) return text;
  return `"${chars.map(escaped).join('')}"`;
}

/** A key as logfmt writes it: without the characters a key cannot hold (those a value would quote); `_` if none is left. */
export function logfmtKey(key: string): string {
  const kept = [...key].filter((char) => !unsafe(char)).join('');
  return kept === '' ? '_' : kept;
}

/** Whether an array element can be written in a comma-joined list and read back from it unchanged. */
function joinable(element: unknown): element is string | number | boolean {
  if (typeof element === 'number' || typeof element === 'boolean') return true;
  return typeof element === 'string' && element !== '' && !element.includes(',');
}

/** Objects nested deeper than this are written as `[deep]`: a JSON value has no cycles, other values might. */
const MAX_DEPTH = 16;

function pairs(key: string, value: unknown, out: string[], depth: number): void {
  if (value === null || value === undefined) {
    out.push(`${key}=null`);
  } else if (typeof value === 'string') {
    out.push(`${key}=${logfmtValue(value)}`);
  } else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    out.push(`${key}=${String(value)}`);
  } else if (depth >= MAX_DEPTH) {
    out.push(`${key}=[deep]`);
  } else if (Array.isArray(value)) {
    if (value.every(joinable)) out.push(`${key}=${value.length === 0 ? '' : logfmtValue(value.join(','))}`);
    else for (const [index, element] of value.entries()) pairs(`${key}.${index}`, element, out, depth + 1);
  } else if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) out.push(`${key}=`);
    for (const [inner, innerValue] of entries)
      pairs(`${key}.${logfmtKey(inner)}`, innerValue, out, depth + 1);
  } else {
    out.push(`${key}=${logfmtValue(String(value))}`);
  }
}

/**
 * One logfmt line (without its newline) for a record, keys in its order.
 *
 * - strings: bare or quoted (see the module); `""` is `k=`; `null` and `undefined` are `k=null`;
 *   numbers and booleans as JavaScript writes them.
 * - objects: flattened with dots (`{ web: { tls: false } }` is `web.tls=false`); `{}` is `k=`.
 * - arrays: comma-joined when every element is a number, a boolean or a non-empty string without
 *   a comma (`accounts=home,work`, quoted as a whole if an element needs it; `[]` is `k=`), since
 *   that is the short form people read and it splits back unchanged on commas; otherwise (an
 *   element that is an object, an array, `null`, empty or holds a comma) one key per element,
 *   `problems.0.variable=… problems.1.variable=…`, so that no value is ambiguous.
 *
 * @example
 * ```ts
 * encodeLogfmt({ level: 'info', msg: 'exporter listening', web: { tls: false }, tiers: ['fast', 'slow'] });
 * //=> 'level=info msg="exporter listening" web.tls=false tiers=fast,slow'
 * ```
 */
export function encodeLogfmt(record: Readonly<Record<string, unknown>>): string {
  const out: string[] = [];
  for (const [key, value] of Object.entries(record)) pairs(logfmtKey(key), value, out, 0);
  return out.join(' ');
}

/** The keys a line starts with, as Prometheus' logs start `time=… level=… msg=…`; the rest keep their order. */
export const LEADING_KEYS: readonly string[] = ['time', 'level', 'msg'];

/**
 * The logfmt line (with its newline) for one pino JSON line: {@link LEADING_KEYS} first, then the
 * other fields in pino's order. A line that is not a JSON object is passed through as it is.
 */
export function logfmtOfJsonLine(line: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return line;
  }
  if (!isRecord(parsed)) return line;
  // No prototype: a field named `__proto__` or `constructor` is a field like any other.
  const ordered: Record<string, unknown> = Object.create(null);
  for (const key of LEADING_KEYS) if (Object.hasOwn(parsed, key)) ordered[key] = parsed[key];
  for (const [key, value] of Object.entries(parsed)) if (!Object.hasOwn(ordered, key)) ordered[key] = value;
  return `${encodeLogfmt(ordered)}\n`;
}

/**
 * A pino destination that writes each of pino's JSON lines to `destination` as logfmt. pino has
 * no hook that hands over the whole record (its bindings are kept as pre-serialised JSON), so the
 * line is parsed again: after pino's serializers and redaction, so logfmt shows exactly the
 * fields, and hides exactly the secrets, that JSON does. It throws nothing of its own and adds no
 * buffering: `destination`'s guarantees (never blocking, never throwing) carry over.
 *
 * @example
 * ```ts
 * const logger = pino({}, logfmtDestination(stdoutDestination()));
 * ```
 */
export function logfmtDestination(destination: DestinationStream): DestinationStream {
  return {
    write(line: string): void {
      destination.write(logfmtOfJsonLine(line));
    },
  };
}
