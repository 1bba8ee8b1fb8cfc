/**
 * A short fingerprint of an account's CHAOS credentials, saved with an auth pause so that a
 * restart can tell whether the credentials CHAOS refused are still the configured ones.
 *
 * @module
 */

import { type ScryptOptions, scryptSync } from 'node:crypto';
import type { ChaosAuth } from '@aaisp/chaos-client';

/** scrypt's cost: N = 2^14, r = 8 (16 MiB, tens of ms a call), the scrypt paper's cost for interactive logins. */
const SCRYPT_OPTIONS: ScryptOptions = { N: 2 ** 14, r: 8, p: 1 };

/** 3 bytes: 6 hex digits, 24 bits. */
const FINGERPRINT_BYTES = 3;

/**
 * The credential fields CHAOS reads, by name. Picked one by one rather than serialising whatever
 * object was passed, so that other properties (or their order) never change the fingerprint.
 */
function credentialFields(auth: ChaosAuth): Record<string, string> {
  if ('accountNumber' in auth) {
    return {
      accountNumber: auth.accountNumber,
      accountPassword: auth.accountPassword,
      ...(auth.controlLogin === undefined ? {} : { controlLogin: auth.controlLogin }),
    };
  }
  return { controlLogin: auth.controlLogin, controlPassword: auth.controlPassword };
}

/** JSON with its keys sorted: the same credentials always give the same text. */
function canonicalJson(fields: Record<string, string>): string {
  const sorted = Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(sorted));
}

/**
 * The fingerprint of `auth` under `salt`: scrypt (N = 2^14, r = 8, p = 1) of the credentials'
 * canonical JSON (fields sorted by name), cut to 24 bits, as 6 lowercase hex digits.
 *
 * **Why so short.** It only has to notice that the credentials changed since CHAOS refused them,
 * so that a restart with a corrected password does not wait out the old pause. A changed password
 * goes unnoticed once in 2^24 (16.7 million) times, and then the pause simply runs out (4 h at
 * most). In exchange the state file holds no password check: for any one fingerprint, about one
 * password in 16.7 million matches, so a list of candidates larger than that yields many wrong
 * matches and cannot confirm a guess. It is no defence against a short list of likely passwords (a
 * match among 100 candidates is strong evidence), which is why the file is mode 0600 in a 0700
 * directory and scrypt makes each try slow.
 *
 * **Why a salt.** The salt is random per state file, so the same password gives unrelated
 * fingerprints on two installations and no precomputed table helps.
 *
 * Synchronous (it costs tens of milliseconds): called at start for each account with a saved
 * pause, and when an account's breaker opens, only with a state directory. Nothing is cached.
 *
 * @example
 * ```ts
 * credentialsFingerprint({ controlLogin: 'ab123@a', controlPassword: 'secret' }, salt); // e.g. '3fa91c'
 * ```
 */
export function credentialsFingerprint(auth: ChaosAuth, salt: string): string {
  return scryptSync(canonicalJson(credentialFields(auth)), salt, FINGERPRINT_BYTES, SCRYPT_OPTIONS).toString(
    'hex',
  );
}
