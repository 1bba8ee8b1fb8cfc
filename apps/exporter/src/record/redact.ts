/**
 * Makes a CHAOS answer safe to attach to a public bug report while keeping its shape: password
 * fields (and the value of a password option) are removed, postcodes and account numbers keep
 * only their pattern (letters → X, digits → 9, spacing kept; also postcodes inside free text,
 * such as a line's choice title, in any case or spacing: every postcode seen under a postcode key
 * is masked wherever else it appears),
 * and logins become stable pseudonyms that keep what follows the `@` (so `ab123@a.1` stays
 * recognisably a line login). A login found under a login key is also replaced wherever else it
 * appears in a string, any known secret is cut out of every string, and any registered name
 * (a CQM link's `<name>`, chosen by the user) is replaced wherever it stands as a whole word.
 *
 * @module
 */

import { secretForms } from '@aaisp/chaos-client';
import { replacePostcode } from '@aaisp/collectors';
import { isRecord } from '../is-record.ts';

/** Keys whose value is a secret: removed with their value. */
const SECRET_KEY = /pass(word)?|secret|token/i;
/** Keys whose value keeps only its pattern: postcodes (however spelt) and account numbers. */
const PATTERN_KEY = /post.?code|postal|^zip|account.?(number|no)\b/i;
/** Keys (and option names) whose value is a postcode: learnt, so it is masked in any text too. */
const POSTCODE_KEY = /post.?code|postal|^zip/i;
const LOGIN_KEY = /login/i;
/**
 * A UK postcode inside free text (an address line, a line title): any case, and any spacing
 * between the outward and inward code (`XX1 1XX`, `xx11xx`, `XX1  1XX`), since CHAOS's choice
 * titles start with the postcode (docs/chaos-api.md §11.1) and nothing promises one space.
 */
const UK_POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/gi;

/**
 * CHAOS describes settings as options (`{ name, type, value }`, docs/chaos-api.md §3.2): a `password`
 * or `postcode` option carries its secret under `value`, not under a telling key.
 */
function optionKind(record: Record<string, unknown>): 'secret' | 'pattern' | undefined {
  const labels = [record.type, record.name].filter((label): label is string => typeof label === 'string');
  if (labels.some((label) => SECRET_KEY.test(label))) return 'secret';
  if (labels.some((label) => PATTERN_KEY.test(label))) return 'pattern';
  return undefined;
}

/** Keeps a postcode's pattern, not its value: `SW1A 1AA ` → `XX9X 9XX `. */
export function maskPostcode(postcode: string): string {
  return postcode.replace(/[A-Za-z]/g, 'X').replace(/\d/g, '9');
}

/** A word to replace wherever it stands whole, e.g. a CQM link's name by `line<ID>`. */
export interface NameReplacement {
  readonly name: string;
  readonly replacement: string;
}

/**
 * A character that may continue a name: a match must not have one on either side, so `home`
 * inside `homer` or `home-office` stays (the `.` of `home.csv` and the `/` of a path do end it).
 */
const WORD_CHAR = '[A-Za-z0-9_-]';

/** Matches `name` in any form an answer may carry it (raw, JSON-escaped, URL-encoded) as a whole word. */
function namePattern(name: string): RegExp {
  const forms = secretForms([name]).map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<!${WORD_CHAR})(?:${forms.join('|')})(?!${WORD_CHAR})`, 'g');
}

/** One redaction context: pseudonyms stay the same across every answer it redacts. */
export interface Redactor {
  /** Registers a login seen outside a login key (e.g. the configured control login, login/services entries). */
  addLogin(login: string): void;
  /** Registers a postcode to mask wherever it appears, in any case or spacing (those under a postcode key are learnt anyway). */
  addPostcode(postcode: string): void;
  /** A deep copy of `value`, redacted. */
  redact(value: unknown): unknown;
  /** A string with every known secret, name, login and postcode replaced. */
  redactText(text: string): string;
}

/**
 * Creates a redactor. `secrets` (the configured passwords, CQM links and their keys) are removed
 * from any string they appear in, whatever the key: defence in depth, since CHAOS echoes requests.
 * Each of `names` is replaced by its replacement wherever it stands as a whole word: a name is not
 * a credential but may be personal, and a stand-in keeps the text readable.
 *
 * @example
 * ```ts
 * const redactor = createRedactor({ secrets: [password] });
 * redactor.addLogin('ab123@a');
 * redactor.redact({ login: 'ab123@a.1', postcode: 'SW1A 1AA' }); // { login: 'user1@a.1', postcode: 'XX9X 9XX' }
 * ```
 */
export function createRedactor(options: {
  readonly secrets: readonly string[];
  readonly names?: readonly NameReplacement[] | undefined;
}): Redactor {
  // Every form CHAOS may echo a password in, longest first: the SDK's own list.
  const secrets = secretForms(options.secrets);
  // Longest first, so a name inside a longer one is not replaced half-way.
  const names = [...(options.names ?? [])]
    .filter((entry) => entry.name !== '')
    .sort((a, b) => b.name.length - a.name.length)
    .map((entry) => ({ pattern: namePattern(entry.name), replacement: entry.replacement }));
  /** Base login (before any `.n` line suffix) → pseudonym base. */
  const pseudonyms = new Map<string, string>();
  /** Postcodes seen under a postcode key or option, normalised (no spaces, upper case). */
  const postcodes = new Set<string>();

  const learnPostcode = (value: string): void => {
    const key = value.replace(/\s+/g, '').toUpperCase();
    // Only what could be a postcode (letters and digits, 5 or more: `X1 1XX` is the shortest):
    // masking a stray `1` or a zip-like number everywhere would garble IDs and figures.
    if (key.length < 5 || !/[A-Z]/.test(key) || !/\d/.test(key)) return;
    postcodes.add(key);
  };

  const pseudonymOf = (login: string): string => {
    const at = login.indexOf('@');
    const local = at === -1 ? login : login.slice(0, at);
    const rest = at === -1 ? '' : login.slice(at);
    let alias = pseudonyms.get(local);
    if (alias === undefined) {
      alias = `user${pseudonyms.size + 1}`;
      pseudonyms.set(local, alias);
    }
    return `${alias}${rest}`;
  };

  const redactText = (text: string): string => {
    let result = text;
    for (const secret of secrets) result = result.split(secret).join('[redacted]');
    for (const { pattern, replacement } of names) result = result.replace(pattern, () => replacement);
    // Longest first, so `ab123` inside `ab1234` is not replaced half-way.
    const locals = [...pseudonyms.keys()].sort((a, b) => b.length - a.length);
    for (const local of locals) result = result.split(`${local}@`).join(`${pseudonyms.get(local) ?? ''}@`);
    // The postcodes the answers carried, wherever else they appear (a line's choice title is
    // "POSTCODE LOGIN"), in whatever spacing or case; then anything shaped like a UK postcode.
    for (const postcode of postcodes) result = replacePostcode(result, postcode, maskPostcode);
    return result.replace(UK_POSTCODE, maskPostcode);
  };

  const collect = (value: unknown, key: string | undefined): void => {
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value);
      if (key !== undefined && POSTCODE_KEY.test(key) && text.trim() !== '') learnPostcode(text);
      if (typeof value === 'string' && key !== undefined && LOGIN_KEY.test(key) && text.trim() !== '')
        pseudonymOf(text.trim());
      return;
    }
    if (Array.isArray(value)) for (const item of value) collect(item, key);
    else if (isRecord(value)) {
      // A postcode option (`{ name: 'site', type: 'postcode', value }`) holds it under `value`.
      const postcodeOption = [value.type, value.name].some(
        (label) => typeof label === 'string' && POSTCODE_KEY.test(label),
      );
      for (const [name, item] of Object.entries(value)) {
        collect(item, name === 'value' && postcodeOption ? 'postcode' : name);
      }
    }
  };

  const copy = (value: unknown, key: string | undefined): unknown => {
    if (
      key !== undefined &&
      PATTERN_KEY.test(key) &&
      (typeof value === 'string' || typeof value === 'number')
    ) {
      return maskPostcode(String(value));
    }
    if (typeof value === 'string') {
      if (key !== undefined && LOGIN_KEY.test(key) && value.trim() !== '') return pseudonymOf(value.trim());
      return redactText(value);
    }
    if (Array.isArray(value)) return value.map((item) => copy(item, key));
    if (isRecord(value)) {
      const kind = optionKind(value);
      const out: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(value)) {
        if (SECRET_KEY.test(name)) continue;
        if (name === 'value' && kind === 'secret') continue;
        out[redactText(name)] =
          name === 'value' && kind === 'pattern' ? copy(item, 'postcode') : copy(item, name);
      }
      return out;
    }
    return value;
  };

  return {
    addLogin(login) {
      if (login.trim() !== '') pseudonymOf(login.trim());
    },
    addPostcode(postcode) {
      if (postcode.trim() !== '') learnPostcode(postcode);
    },
    redact(value) {
      collect(value, undefined);
      return copy(value, undefined);
    },
    redactText,
  };
}
