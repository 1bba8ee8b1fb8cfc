/**
 * The `default` account: the one given by the `AAISP_EXPORTER_AUTH__…` variables, for the common
 * case of a single CHAOS account with no accounts file, with its lines' CQM links
 * (`CQM__URLS_FILE`) and names (`LINES__NAMES_FILE`).
 *
 * @module
 */

import type { AccountConfig } from '../model/account.ts';
import { cqmLinksFromText } from './cqm-urls.ts';
import { toAuth } from './credentials.ts';
import { lineNamesFromText } from './line-names.ts';
import type { ConfigProblem } from './problem.ts';
import { readSecret, type SecretRead } from './secrets.ts';
import { type Env, PREFIX, settingText } from './settings.ts';
import { cannotRead } from './yaml-file.ts';

/** `CONTROL_LOGIN` → `AAISP_EXPORTER_AUTH__CONTROL_LOGIN`: how problems name an `AUTH__…` variable. */
export function authVariable(field: string): string {
  return `${PREFIX}AUTH__${field}`;
}

/**
 * The `default` account from the `AUTH__…` variables; undefined when none is set (an accounts file
 * or `--demo` may stand in) or on a problem, which is added to `problems`.
 */
export function defaultAccount(
  env: Env,
  readFile: (path: string) => string,
  problems: ConfigProblem[],
): AccountConfig | undefined {
  // Passwords go to readSecret raw, not through settingText: it decides what an empty one means.
  const secret = (field: string): SecretRead =>
    readSecret(
      env[authVariable(field)],
      env[authVariable(`${field}_FILE`)],
      { value: authVariable(field), file: authVariable(`${field}_FILE`) },
      readFile,
      problems,
    );
  const auth = toAuth(
    {
      controlLogin: settingText(env, 'AUTH__CONTROL_LOGIN'),
      controlPassword: secret('CONTROL_PASSWORD'),
      accountNumber: settingText(env, 'AUTH__ACCOUNT_NUMBER'),
      accountPassword: secret('ACCOUNT_PASSWORD'),
    },
    authVariable,
    problems,
  );
  // One `line_id url` a line, and one `line_id name` a line.
  const cqm = defaultLinesFile(env, 'CQM__URLS_FILE', cqmLinksFromText, readFile, problems);
  const lineNames = defaultLinesFile(env, 'LINES__NAMES_FILE', lineNamesFromText, readFile, problems);
  if (auth === undefined) {
    // A line file without its account is worth saying only when nothing else is wrong.
    if (problems.length === 0) {
      if (cqm !== undefined) problems.push(needsAccount(CQM_URLS_FILE, 'cqm:'));
      if (lineNames !== undefined) problems.push(needsAccount(NAMES_FILE, 'names:'));
    }
    return undefined;
  }
  return {
    name: 'default',
    auth,
    ...(cqm === undefined ? {} : { cqm }),
    ...(lineNames === undefined || Object.keys(lineNames).length === 0 ? {} : { lineNames }),
  };
}

/** A per-line file of the `default` account set while that account has no credentials. */
function needsAccount(variable: string, field: string): ConfigProblem {
  return {
    variable,
    message: `belongs to the default account, which needs credentials too (${authVariable('CONTROL_LOGIN')} and ${authVariable('CONTROL_PASSWORD')}, or the account pair); or list the lines under ${field} in ${PREFIX}CONFIG_FILE`,
  };
}

const CQM_URLS_FILE = `${PREFIX}CQM__URLS_FILE`;
const NAMES_FILE = `${PREFIX}LINES__NAMES_FILE`;

/** Reads one line per entry of a text file into `T`, naming each bad line by its number. */
type LinesParser<T> = (text: string, where: (line: number) => string, problems: ConfigProblem[]) => T;

/**
 * The `default` account's per-line file named by `variable` (after the prefix), parsed by
 * `parse`; undefined when the variable is unset or the file cannot be read (a problem then). Read
 * at every load, so a reload picks up an edited file. The file's text is never quoted in a
 * problem: a CQM links file is a secret.
 */
function defaultLinesFile<T>(
  env: Env,
  variable: string,
  parse: LinesParser<T>,
  readFile: (path: string) => string,
  problems: ConfigProblem[],
): T | undefined {
  const path = settingText(env, variable);
  if (path === undefined) return undefined;
  const name = `${PREFIX}${variable}`;
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    problems.push({ variable: name, message: cannotRead(path, error) });
    return undefined;
  }
  return parse(text, (line) => `${name} ${path}: line ${line}`, problems);
}
