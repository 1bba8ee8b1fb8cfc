/**
 * Secrets given directly or by file: `…_PASSWORD` holds the password, `…_PASSWORD_FILE` names a
 * file holding it (Docker and Kubernetes secrets). Used for the `AUTH__…` variables and for the
 * passwords in the accounts file alike. A secret is never put in a problem message.
 *
 * @module
 */

import type { ConfigProblem } from './config.ts';
import { cannotRead } from './yaml-file.ts';

/** What to call the two ways of giving one secret, in problems: a variable or a YAML field each. */
export interface SecretNames {
  readonly value: string;
  readonly file: string;
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
  if (value !== undefined && file !== undefined) {
    problems.push({ variable: names.value, message: `set either ${names.value} or ${names.file}, not both` });
    return undefined;
  }
  if (file === undefined) return value === '' ? undefined : value;
  let text: string;
  try {
    text = readFile(file).replace(/\r?\n$/, '');
  } catch (error) {
    problems.push({ variable: names.file, message: cannotRead(file, error) });
    return undefined;
  }
  // An empty file is almost always a secret that was never filled in. Named here, so the operator
  // does not see only "password is required" when they did point at a file.
  if (text === '') {
    problems.push({ variable: names.file, message: `file ${file} is empty` });
    return undefined;
  }
  return text;
}
