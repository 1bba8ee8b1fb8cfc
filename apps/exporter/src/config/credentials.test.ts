import { describe, expect, it } from 'vitest';
import { type CredentialFields, toAuth } from './credentials.ts';
import type { ConfigProblem } from './problem.ts';
import type { FailedSecret } from './secrets.ts';

/** The auth and the problems (as `field: message`) from one call. */
function auth(fields: CredentialFields) {
  const problems: ConfigProblem[] = [];
  const result = toAuth(fields, (field) => field, problems);
  return { auth: result, problems: problems.map(({ variable, message }) => `${variable}: ${message}`) };
}

describe('toAuth', () => {
  it('is undefined, with no problem, when no field is set', () => {
    expect(auth({})).toEqual({ auth: undefined, problems: [] });
  });

  it('takes the control pair', () => {
    expect(auth({ controlLogin: 'ab123@a', controlPassword: 'p' })).toEqual({
      auth: { controlLogin: 'ab123@a', controlPassword: 'p' },
      problems: [],
    });
  });

  it('takes the account pair, with or without a control login', () => {
    expect(auth({ accountNumber: 'A1', accountPassword: 'p' }).auth).toEqual({
      accountNumber: 'A1',
      accountPassword: 'p',
    });
    expect(auth({ accountNumber: 'A1', accountPassword: 'p', controlLogin: 'ab123@a' }).auth).toEqual({
      accountNumber: 'A1',
      accountPassword: 'p',
      controlLogin: 'ab123@a',
    });
  });

  it('lets any account field choose account auth, and refuses a control password beside it', () => {
    expect(auth({ accountPassword: 'p', controlPassword: 'q' })).toEqual({
      auth: undefined,
      problems: [
        'ACCOUNT_NUMBER: is required with the account password',
        'CONTROL_PASSWORD: set either the control login pair or the account pair, not both',
      ],
    });
    // A full account pair still comes back beside the problem; the problem alone fails the load.
    expect(auth({ accountNumber: 'A1', accountPassword: 'p', controlPassword: 'q' }).problems).toEqual([
      'CONTROL_PASSWORD: set either the control login pair or the account pair, not both',
    ]);
  });

  it('reports each missing half of the control pair', () => {
    expect(auth({ controlLogin: 'ab123@a' }).problems).toEqual([
      'CONTROL_PASSWORD: is required with the control login',
    ]);
    expect(auth({ controlPassword: 'p' }).problems).toEqual([
      'CONTROL_LOGIN: is required with the control password',
    ]);
  });

  it('never calls a password that was given but failed "required", and builds no auth from it', () => {
    const failed: FailedSecret = { kind: 'secret-failed' };
    expect(auth({ controlLogin: 'ab123@a', controlPassword: failed })).toEqual({
      auth: undefined,
      problems: [],
    });
    expect(auth({ accountNumber: 'A1', accountPassword: failed })).toEqual({ auth: undefined, problems: [] });
    // The problems that are not about the failed password itself are still reported.
    expect(auth({ controlLogin: 'ab123', controlPassword: failed }).problems).toEqual([
      'CONTROL_LOGIN: must be a control login such as ab123@a',
    ]);
    expect(auth({ controlPassword: failed }).problems).toEqual([
      'CONTROL_LOGIN: is required with the control password',
    ]);
    expect(auth({ accountPassword: failed }).problems).toEqual([
      'ACCOUNT_NUMBER: is required with the account password',
    ]);
  });

  it('refuses a login that is not a control login, and a line login', () => {
    expect(auth({ controlLogin: 'ab123', controlPassword: 'p' }).problems).toEqual([
      'CONTROL_LOGIN: must be a control login such as ab123@a',
    ]);
    expect(auth({ controlLogin: 'ab123@a.12', controlPassword: 'p' }).problems).toEqual([
      'CONTROL_LOGIN: is a line login (ends in .n); use the base control login, e.g. ab123@a',
    ]);
  });
});
