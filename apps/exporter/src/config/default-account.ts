/**
 * The `default` account: the one given by the `AAISP_EXPORTER_AUTH__…` variables, for the common
 * case of a single CHAOS account with no accounts file.
 *
 * @module
 */

import type { AccountConfig, ConfigProblem } from './config.ts';
import { toAuth } from './credentials.ts';
import { readSecret } from './secrets.ts';
import { type Env, PREFIX, settingText } from './settings.ts';

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
  return auth === undefined ? undefined : { name: 'default', auth };
}
