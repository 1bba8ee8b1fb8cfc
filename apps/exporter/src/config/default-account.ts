/**
 * The `default` account: the one given by the `AAISP_EXPORTER_AUTH__…` variables, for the common
 * case of a single CHAOS account with no accounts file.
 *
 * @module
 */

import type { AccountConfig, CqmLineConfig } from '../model/account.ts';
import { cqmLinksFromText } from './cqm-urls.ts';
import { toAuth } from './credentials.ts';
import type { ConfigProblem } from './problem.ts';
import { readSecret } from './secrets.ts';
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
  const secret = (field: string): string | undefined =>
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
  const cqm = defaultCqmLinks(env, readFile, problems);
  if (auth === undefined) {
    if (cqm !== undefined && problems.length === 0) {
      problems.push({
        variable: CQM_URLS_FILE,
        message: `belongs to the default account, which needs credentials too (${authVariable('CONTROL_LOGIN')} and ${authVariable('CONTROL_PASSWORD')}, or the account pair); or list the lines under cqm: in ${PREFIX}CONFIG_FILE`,
      });
    }
    return undefined;
  }
  return { name: 'default', auth, ...(cqm === undefined ? {} : { cqm }) };
}

const CQM_URLS_FILE = `${PREFIX}CQM__URLS_FILE`;

/**
 * The `default` account's CQM lines from `CQM__URLS_FILE` (one `line_id url` a line), or
 * undefined when the variable is unset. The file's text is never quoted in a problem.
 */
function defaultCqmLinks(
  env: Env,
  readFile: (path: string) => string,
  problems: ConfigProblem[],
): CqmLineConfig[] | undefined {
  const path = settingText(env, 'CQM__URLS_FILE');
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    problems.push({ variable: CQM_URLS_FILE, message: cannotRead(path, error) });
    return undefined;
  }
  return cqmLinksFromText(text, (line) => `${CQM_URLS_FILE} ${path}: line ${line}`, problems);
}
