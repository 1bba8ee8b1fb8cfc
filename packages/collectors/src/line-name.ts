/**
 * The `name` label of `aaisp_broadband_line_info`: a line's CHAOS service choice title without
 * its postcode. CHAOS titles a line "POSTCODE LOGIN" (e.g. `XX1 1XX ab123@a.1`, docs/chaos-api.md
 * §11.1), so the title as sent would put the postcode, personal data, in every scrape.
 *
 * @module
 */

/** What {@link lineName} reads: one line's choice title, login and postcode. */
export interface LineNameInput {
  /** The line's choice title as CHAOS sent it (`ServiceChoice.title`); `''` when there is none. */
  readonly title: string;
  /** The line's PPP login (`BroadbandLine.login`). */
  readonly login: string;
  /** The line's postcode (`BroadbandLine.postcode`), if CHAOS sent one. */
  readonly postcode?: string | undefined;
}

/**
 * A UK postcode at the very start of a title: outward code (`XX1`, `X1X`, `XX11`), any spacing,
 * inward code (`1XX`), then a space or the end. CHAOS puts the postcode first (§11.1).
 */
const LEADING_POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}(?=\s|$)/i;
/** The shortest UK postcode has 5 letters and digits (`X1 1XX`); anything shorter is matched as a whole word only. */
const SHORTEST_POSTCODE = 5;
/** Marks where a postcode was, until {@link tidy} closes the gap (a private-use character: never in a title). */
const GAP = '\uE000';
/**
 * A gap with the separators around it (`Home - XX1 1XX - ab123@a.1`): one separator is kept,
 * the one before the gap.
 */
const GAP_WITH_SEPARATORS = /([,;:|/\-–—·]?)\s*\uE000+\s*[,;:|/\-–—·]?/g;
/** Spaces and separators left dangling at either end once a postcode is gone. */
const EDGE_SEPARATORS = /^[\s,;:|/\-–—·]+|[\s,;:|/\-–—·]+$/g;
/** Brackets left empty where a postcode was, as in `ab123@a.1 (XX1 1XX)`. */
const EMPTY_BRACKETS = /\(\s*\)|\[\s*\]|\{\s*\}|<\s*>/g;
/** Whitespace as `\s` has it: the ASCII cases inline, anything else through the regex. */
function isSpace(code: number): boolean {
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  return code > 127 && /\s/.test(String.fromCharCode(code));
}

/** `0-9`, `A-Z`, `a-z`. */
function isAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * Where `code` (upper case, no spaces) occurs in `upper` (the title upper-cased, same length)
 * from `start`, with any whitespace between its characters: the index just after it, or -1.
 */
function matchEnd(upper: string, start: number, code: string): number {
  let position = start;
  for (let index = 0; index < code.length; index++) {
    // Spacing may differ anywhere inside the postcode (`XX1 1XX`, `XX11XX`, `XX1  1XX`), not before it.
    if (index > 0) while (position < upper.length && isSpace(upper.charCodeAt(position))) position++;
    if (upper.charCodeAt(position) !== code.charCodeAt(index)) return -1;
    position++;
  }
  return position;
}

/**
 * `text` upper-cased with every position where it was: a character whose upper case is longer
 * (`ß` → `SS`) stays as it is, so indexes into the result are indexes into `text`.
 */
function alignedUpperCase(text: string): string {
  const upper = text.toUpperCase();
  if (upper.length === text.length) return upper;
  return text
    .split('')
    .map((unit) => (unit.toUpperCase().length === 1 ? unit.toUpperCase() : unit))
    .join('');
}

/**
 * `text` with every occurrence of `postcode` replaced by what `replace` makes of it: found in any
 * case and with any whitespace between its characters (`XX1 1XX`, `xx11xx`, `XX1  1XX`), none
 * before it. A value shorter than a real postcode (bad data) is replaced only as a whole word, so
 * it cannot eat letters out of other words. A hand-written scan: ~2.5× faster than building a
 * RegExp per call, and {@link lineName} calls it once per line on every collection.
 *
 * @example
 * ```ts
 * replacePostcode('xx1  1xx ab123@a.1', 'XX1 1XX', () => ''); // ' ab123@a.1'
 * ```
 */
export function replacePostcode(text: string, postcode: string, replace: (found: string) => string): string {
  const code = postcode.replace(/\s+/g, '').toUpperCase();
  if (code === '') return text;
  const upper = alignedUpperCase(text);
  // A value too short to be a postcode (bad data) must not eat letters out of other words.
  const wholeWord = code.length < SHORTEST_POSTCODE;
  const first = code.charAt(0);
  let out = '';
  let copied = 0;
  let position = upper.indexOf(first);
  while (position !== -1) {
    const end = matchEnd(upper, position, code);
    const bounded =
      !wholeWord ||
      ((position === 0 || !isAlphanumeric(text.charCodeAt(position - 1))) &&
        (end >= text.length || !isAlphanumeric(text.charCodeAt(end))));
    if (end !== -1 && bounded) {
      out += text.slice(copied, position) + replace(text.slice(position, end));
      copied = end;
      position = upper.indexOf(first, end);
    } else {
      position = upper.indexOf(first, position + 1);
    }
  }
  return out + text.slice(copied);
}

/** Closes the gaps, collapses whitespace, drops emptied brackets and dangling separators at either end. */
function tidy(text: string): string {
  return text
    .replace(GAP_WITH_SEPARATORS, '$1 ')
    .replace(EMPTY_BRACKETS, ' ')
    .replace(/\s+/g, ' ')
    .replace(EDGE_SEPARATORS, '');
}

/**
 * Derives a line's `name` from its CHAOS choice title, keeping the postcode out of it.
 *
 * The rule, in order:
 * 1. **The line's own postcode is removed** wherever it occurs in the title, in any case and with
 *    any spacing (`XX1 1XX`, `xx11xx` and `XX1  1XX` are the same postcode). Only the line's
 *    own postcode is searched for, not any text that looks like one; a postcode value shorter
 *    than a real one (under 5 letters and digits, i.e. bad data) is removed only as a whole word.
 * 2. **A postcode-shaped word at the start of the title is removed** too, whether or not the
 *    line has a postcode in `info` (CHAOS may leave the key out, or it may differ from the
 *    title's): CHAOS's titles start with the postcode (docs/chaos-api.md §11.1), so that word is
 *    one.
 * 3. The gap is closed: of the separators (`,;:|/-`) around it only the one before stays
 *    (`Home - XX1 1XX - Office` gives `Home - Office`), brackets left empty (`(XX1 1XX)`) go,
 *    and spaces and separators left at either end go. In every title, whitespace runs become
 *    one space and the ends are trimmed.
 * 4. **What is left is `""` when it is empty or only repeats the login** (ignoring case): the
 *    login has its own label, and `""` is what a line without a title has always had.
 *
 * Everything else is kept as CHAOS sent it, the login included: `XX1 1XX ab123@a.1 Office` gives
 * `ab123@a.1 Office`, and `ab123@a.1 01632 960002` (login and phone number) stays as it is.
 *
 * Pure: no I/O, no clock, same input same output.
 *
 * @example
 * ```ts
 * lineName({ title: 'XX1 1XX ab123@a.1', login: 'ab123@a.1', postcode: 'XX1 1XX' }); // → ''
 * lineName({ title: 'xx11xx ab123@a.1 Office', login: 'ab123@a.1', postcode: 'XX1 1XX' }); // → 'ab123@a.1 Office'
 * lineName({ title: 'ab123@a.2 01632 960002', login: 'ab123@a.2' }); // → 'ab123@a.2 01632 960002'
 * ```
 */
export function lineName(input: LineNameInput): string {
  const code = (input.postcode ?? '').replace(/\s+/g, '').toUpperCase();
  const rest = (code === '' ? input.title : replacePostcode(input.title, code, () => GAP)).trimStart();
  const cut = rest.replace(LEADING_POSTCODE, GAP);
  // Nothing removed (the common "LOGIN PHONE" title): only whitespace to tidy, no gap to close.
  const name = cut.includes(GAP) ? tidy(cut) : cut.replace(/\s+/g, ' ').trim();
  return name.toLowerCase() === input.login.trim().toLowerCase() ? '' : name;
}
