/**
 * The one rule for a setting that may be given inline or by a file to read (`…_PASSWORD` or
 * `…_PASSWORD_FILE`, `cert` or `cert_file`): either, never both. Shared by the secrets and the
 * web-config file, so the rule and its message cannot drift apart. What the text must look like
 * (a trailing newline, an empty file, PEM) is each caller's business.
 *
 * @module
 */

import { cannotRead } from './yaml-file.ts';

/** What to call the two ways of giving one value, in messages: a variable or a YAML field each. */
export interface ValueOrFileNames {
  readonly value: string;
  readonly file: string;
}

/**
 * Where the text came from, or why there is none. `none`: neither was given; `both`: both were,
 * which is refused; `unreadable`: the file could not be read. A `message` never holds the text.
 */
export type ValueOrFile =
  | { readonly kind: 'none' }
  | { readonly kind: 'value'; readonly text: string }
  | { readonly kind: 'file'; readonly path: string; readonly text: string }
  | { readonly kind: 'both'; readonly message: string }
  | { readonly kind: 'unreadable'; readonly path: string; readonly message: string };

/**
 * Takes `value`, or reads the file at `path`, never both. `path` is read as given: a caller whose
 * paths are relative to something resolves them first, so the message names the file really tried.
 * A problem is returned, never thrown, and names the file by path and error code only: the text
 * may be a secret.
 *
 * @example
 * ```ts
 * const got = readValueOrFile(undefined, '/run/secrets/pw', { value: 'PW', file: 'PW_FILE' }, read);
 * if (got.kind === 'file') use(got.text);
 * ```
 */
export function readValueOrFile(
  value: string | undefined,
  path: string | undefined,
  names: ValueOrFileNames,
  readFile: (path: string) => string,
): ValueOrFile {
  if (value !== undefined && path !== undefined) {
    return { kind: 'both', message: `set either ${names.value} or ${names.file}, not both` };
  }
  if (path === undefined) return value === undefined ? { kind: 'none' } : { kind: 'value', text: value };
  try {
    return { kind: 'file', path, text: readFile(path) };
  } catch (error) {
    return { kind: 'unreadable', path, message: cannotRead(path, error) };
  }
}
