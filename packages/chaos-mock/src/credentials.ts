/**
 * The account the fake CHAOS accepts, and how it checks a request's credentials.
 *
 * @module
 */

/**
 * Credentials the mock accepts. CHAOS takes either pair (docs/chaos-api.md §2.4): a control login with
 * its password, or an account number with its password.
 */
export interface MockCredentials {
  /** Control-pages login, e.g. `test@a` (the base login, without a line's `.n` suffix). */
  readonly controlLogin: string;
  /** The control login's password. */
  readonly controlPassword: string;
  /** Accounts-system reference, e.g. `A1234A`. */
  readonly accountNumber?: string;
  /** The account number's password; account auth is refused when either is unset. */
  readonly accountPassword?: string;
}

/** The credentials a mock accepts when none are given. Fake values; safe to print in docs. */
export const DEFAULT_CREDENTIALS: MockCredentials = Object.freeze({
  controlLogin: 'test@a',
  controlPassword: 'mock-control-password',
  accountNumber: 'A1234A',
  accountPassword: 'mock-account-password',
});

/** CHAOS's error for a known login with the wrong password (HAQ, docs/chaos-api.md §2.5). */
export const AUTH_FAILED = 'Control authorisation failed';
/** CHAOS's error for an unknown or missing login (HAQ, docs/chaos-api.md §2.5). */
export const BAD_LOGIN = 'Bad control-login';

/** Attribute names (normalised) that carry a credential. */
export const CREDENTIAL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'control_login',
  'control_password',
  'account_number',
  'account_password',
]);

/** Attribute names (normalised) that carry a secret and must never be echoed. */
export const SECRET_ATTRIBUTES: ReadonlySet<string> = new Set(['control_password', 'account_password']);

/** Why a request was refused, or `undefined` when its credentials are good. */
export type AuthFailure = typeof AUTH_FAILED | typeof BAD_LOGIN;

/**
 * Checks normalised request attributes against the accepted credentials.
 *
 * An unknown (or missing) login gives "Bad control-login"; a known login with the wrong password
 * gives "Control authorisation failed": a reading of the wording [I] (docs/chaos-api.md §2.5).
 * Which string A&A answers for a bad *account number* is unknown [?], so the mock uses the same two
 * strings there: they are the only ones a client is known to need to recognise.
 */
export function checkCredentials(
  attributes: ReadonlyMap<string, string>,
  accepted: MockCredentials,
): AuthFailure | undefined {
  const accountNumber = attributes.get('account_number');
  if (accountNumber !== undefined) {
    const { accountNumber: expected, accountPassword } = accepted;
    if (expected === undefined || accountPassword === undefined) return BAD_LOGIN;
    if (accountNumber.toUpperCase() !== expected.toUpperCase()) return BAD_LOGIN;
    // D1: account auth normally comes with a control login of the account (docs/chaos-api.md §2.4);
    // refusing any other login is the mock's choice.
    const login = attributes.get('control_login');
    if (login !== undefined && login.toLowerCase() !== accepted.controlLogin.toLowerCase()) return BAD_LOGIN;
    return attributes.get('account_password') === accountPassword ? undefined : AUTH_FAILED;
  }
  const login = attributes.get('control_login');
  if (login === undefined || login.toLowerCase() !== accepted.controlLogin.toLowerCase()) return BAD_LOGIN;
  return attributes.get('control_password') === accepted.controlPassword ? undefined : AUTH_FAILED;
}
