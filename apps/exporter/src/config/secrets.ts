/**
 * Secrets given directly or by file: `…_PASSWORD` holds the password, `…_PASSWORD_FILE` names a
 * file holding it (Docker and Kubernetes secrets). Used for the `AUTH__…` variables and for the
 * passwords in the accounts file alike. A secret is never put in a problem message.
 *
 * @module
 */

import type { ConfigProblem } from './problem.ts';
import { readValueOrFile, type ValueOrFileNames } from './value-or-file.ts';

/** What to call the two ways of giving one secret, in problems: a variable or a YAML field each. */
export type SecretNames = ValueOrFileNames;

/**
 * A secret that was given but could not be used (unreadable or empty file, or value and file
 * both set). Its problem is already reported; a caller must not add "is required" on top of it.
 */
export interface FailedSecret {
  readonly kind: 'secret-failed';
}

/** What {@link readSecret} found: the secret, nothing given (undefined), or a given one that failed. */
export type SecretRead = string | FailedSecret | undefined;

/** Whether a read secret was given but failed (its problem already reported). */
export function isFailedSecret(read: SecretRead): read is FailedSecret {
  return typeof read === 'object';
}

/**
 * A secret file's text without its one trailing newline, which Docker and Kubernetes secret files
 * usually end in and is not part of the password; failed, with a problem, when that leaves nothing.
 */
function secretFromFile(
  text: string,
  path: string,
  names: SecretNames,
  problems: ConfigProblem[],
): SecretRead {
  const secret = text.replace(/\r?\n$/, '');
  // An empty file is almost always a secret that was never filled in: named as such, and the
  // secret counts as given, so the operator is not also told the password is missing.
  if (secret === '') {
    problems.push({ variable: names.file, message: `file ${path} is empty` });
    return { kind: 'secret-failed' };
  }
  return secret;
}

/**
 * Reads a secret from `value` or from the file named by `file`, never both. Undefined when neither
 * is given; a {@link FailedSecret} when one was given but cannot be used, its one problem added to
 * `problems`. Docker and Kubernetes secret files usually end in a newline, which is not part of the
 * password, so one trailing newline is dropped.
 */
export function readSecret(
  value: string | undefined,
  file: string | undefined,
  names: SecretNames,
  readFile: (path: string) => string,
  problems: ConfigProblem[],
): SecretRead {
  // An empty variable counts as unset, like every other variable: the value beside a file, and a
  // `…_FILE=` beside a value or alone.
  const read = readValueOrFile(
    value === '' ? undefined : value,
    file === '' ? undefined : file,
    names,
    readFile,
  );
  switch (read.kind) {
    case 'none':
      return undefined;
    case 'value':
      return read.text;
    case 'file':
      return secretFromFile(read.text, read.path, names, problems);
    case 'both':
      problems.push({ variable: names.value, message: read.message });
      return { kind: 'secret-failed' };
    case 'unreadable':
      problems.push({ variable: names.file, message: read.message });
      return { kind: 'secret-failed' };
  }
}
