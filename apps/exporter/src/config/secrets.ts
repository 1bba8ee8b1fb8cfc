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
 * A secret file's text without its one trailing newline, which Docker and Kubernetes secret files
 * usually end in and is not part of the password; undefined, with a problem, when that leaves
 * nothing.
 */
function secretFromFile(
  text: string,
  path: string,
  names: SecretNames,
  problems: ConfigProblem[],
): string | undefined {
  const secret = text.replace(/\r?\n$/, '');
  // An empty file is almost always a secret that was never filled in. Named here, so the operator
  // does not see only "password is required" when they did point at a file.
  if (secret === '') {
    problems.push({ variable: names.file, message: `file ${path} is empty` });
    return undefined;
  }
  return secret;
}

/**
 * Reads a secret from `value` or from the file named by `file`, never both; undefined when neither
 * is given or on a problem (added to `problems`). Docker and Kubernetes secret files usually end
 * in a newline, which is not part of the password, so one trailing newline is dropped.
 */
export function readSecret(
  value: string | undefined,
  file: string | undefined,
  names: SecretNames,
  readFile: (path: string) => string,
  problems: ConfigProblem[],
): string | undefined {
  const read = readValueOrFile(value, file, names, readFile);
  switch (read.kind) {
    case 'none':
      return undefined;
    case 'value':
      // An empty variable counts as unset, like every other variable.
      return read.text === '' ? undefined : read.text;
    case 'file':
      return secretFromFile(read.text, read.path, names, problems);
    case 'both':
      problems.push({ variable: names.value, message: read.message });
      return undefined;
    case 'unreadable':
      problems.push({ variable: names.file, message: read.message });
      return undefined;
  }
}
