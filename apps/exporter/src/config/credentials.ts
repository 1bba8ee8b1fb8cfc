/**
 * CHAOS credentials: the control login pair (`ab123@a` and its password) or the account pair
 * (account number and its password, optionally with the control login). The same fields come from
 * the `AUTH__…` variables and from each account in the accounts file, so the rules live here once.
 *
 * @module
 */

import type { ChaosAuth } from '@aaisp/chaos-client';
import type { ConfigProblem } from './problem.ts';

/** Credential fields as they appear in env (after the prefix) or in a YAML account; secrets already read. */
export interface CredentialFields {
  readonly controlLogin?: string | undefined;
  readonly controlPassword?: string | undefined;
  readonly accountNumber?: string | undefined;
  readonly accountPassword?: string | undefined;
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
  if (accountNumber === undefined || accountPassword === undefined) return undefined;
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
  if (!controlLogin.includes('@')) {
    problems.push({ variable: label('CONTROL_LOGIN'), message: 'must be a control login such as ab123@a' });
    return undefined;
  }
  // `ab123@a.1` is a broadband line's login: it looks right but is not a control login.
  if (/\.\d+$/.test(controlLogin)) {
    problems.push({
      variable: label('CONTROL_LOGIN'),
      message: 'is a line login (ends in .n); use the base control login, e.g. ab123@a',
    });
    return undefined;
  }
  return { controlLogin, controlPassword };
}
