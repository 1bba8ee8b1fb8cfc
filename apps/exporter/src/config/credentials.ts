/**
 * CHAOS credentials: the control login pair (`ab123@a` and its password) or the account pair
 * (account number and its password, optionally with the control login). The same fields come from
 * the `AUTH__…` variables and from each account in the accounts file, so the rules live here once.
 *
 * @module
 */

import type { ChaosAuth } from '@aaisp/chaos-client';
import type { ConfigProblem } from './problem.ts';
import { isFailedSecret, type SecretRead } from './secrets.ts';

/**
 * Credential fields as they appear in env (after the prefix) or in a YAML account; secrets already
 * read. A password that was given but failed to read counts as given: its problem is already
 * reported, so it is never also called missing, and no auth is built from it.
 */
export interface CredentialFields {
  readonly controlLogin?: string | undefined;
  readonly controlPassword?: SecretRead;
  readonly accountNumber?: string | undefined;
  readonly accountPassword?: SecretRead;
}

/**
 * Names a field in problems: `CONTROL_LOGIN` → `AAISP_EXPORTER_AUTH__CONTROL_LOGIN` for env, or the
 * accounts file's path and YAML field for a file account.
 */
export type FieldLabel = (field: string) => string;

/**
 * Turns credential fields into a ChaosAuth, or adds to `problems` what is missing or wrong.
 * Undefined with no problem when no field is set at all: whether that is an error is the caller's
 * call (fine for the `AUTH__…` variables, not for a named account in the file).
 */
export function toAuth(
  fields: CredentialFields,
  label: FieldLabel,
  problems: ConfigProblem[],
): ChaosAuth | undefined {
  // Any part of the account pair chooses account auth: its errors are the ones worth reporting.
  if (fields.accountNumber !== undefined || fields.accountPassword !== undefined) {
    return accountPairAuth(fields, label, problems);
  }
  if (fields.controlLogin === undefined && fields.controlPassword === undefined) return undefined;
  return controlPairAuth(fields, label, problems);
}

/**
 * The account pair. A control login may come with it (CHAOS normally expects one alongside); a
 * control password may not, since it would mean two pairs and it is unclear which is meant.
 */
function accountPairAuth(
  fields: CredentialFields,
  label: FieldLabel,
  problems: ConfigProblem[],
): ChaosAuth | undefined {
  const { controlLogin, controlPassword, accountNumber, accountPassword } = fields;
  if (accountNumber === undefined)
    problems.push({ variable: label('ACCOUNT_NUMBER'), message: 'is required with the account password' });
  if (accountPassword === undefined)
    problems.push({ variable: label('ACCOUNT_PASSWORD'), message: 'is required with the account number' });
  if (controlPassword !== undefined) {
    problems.push({
      variable: label('CONTROL_PASSWORD'),
      message: 'set either the control login pair or the account pair, not both',
    });
  }
  if (accountNumber === undefined || accountPassword === undefined || isFailedSecret(accountPassword))
    return undefined;
  return { accountNumber, accountPassword, ...(controlLogin === undefined ? {} : { controlLogin }) };
}

/** The control login pair. The login must be the base control login (`ab123@a`), not a line's. */
function controlPairAuth(
  fields: CredentialFields,
  label: FieldLabel,
  problems: ConfigProblem[],
): ChaosAuth | undefined {
  const { controlLogin, controlPassword } = fields;
  if (controlLogin === undefined)
    problems.push({ variable: label('CONTROL_LOGIN'), message: 'is required with the control password' });
  if (controlPassword === undefined)
    problems.push({ variable: label('CONTROL_PASSWORD'), message: 'is required with the control login' });
  if (controlLogin === undefined || controlPassword === undefined) return undefined;
  // The login is checked even when the password failed: a wrong login is a problem of its own.
  const loginProblem = controlLoginProblem(controlLogin);
  if (loginProblem !== undefined) problems.push({ variable: label('CONTROL_LOGIN'), message: loginProblem });
  if (loginProblem !== undefined || isFailedSecret(controlPassword)) return undefined;
  return { controlLogin, controlPassword };
}

/** Why `login` is not a base control login (`ab123@a`), or undefined when it is one. */
function controlLoginProblem(login: string): string | undefined {
  if (!login.includes('@')) return 'must be a control login such as ab123@a';
  // `ab123@a.1` is a broadband line's login: it looks right but is not a control login.
  if (/\.\d+$/.test(login)) return 'is a line login (ends in .n); use the base control login, e.g. ab123@a';
  return undefined;
}
