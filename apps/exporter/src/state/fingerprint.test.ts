import { scryptSync } from 'node:crypto';
import type { ChaosAuth } from '@aaisp/chaos-client';
import { describe, expect, it } from 'vitest';
import { credentialsFingerprint } from './fingerprint.ts';

const SALT = '0123456789abcdef0123456789abcdef';

describe('credentialsFingerprint', () => {
  it('is scrypt (N 2^14, r 8, p 1) of the key-sorted JSON, cut to 6 hex digits', () => {
    const expected = scryptSync('{"controlLogin":"ab123@a","controlPassword":"pw"}', SALT, 3, {
      N: 16_384,
      r: 8,
      p: 1,
    }).toString('hex');
    const fingerprint = credentialsFingerprint({ controlPassword: 'pw', controlLogin: 'ab123@a' }, SALT);
    expect(fingerprint).toBe(expected);
    expect(fingerprint).toMatch(/^[0-9a-f]{6}$/);
  });

  it('is the same for the same credentials, whatever the key order or other properties', () => {
    const config = { controlLogin: 'ab123@a', controlPassword: 'pw', name: 'home', cqm: ['https://x'] };
    const auth: ChaosAuth = config;
    expect(credentialsFingerprint(auth, SALT)).toBe(
      credentialsFingerprint({ controlPassword: 'pw', controlLogin: 'ab123@a' }, SALT),
    );
  });

  it('changes with the password, the login and the salt', () => {
    const base = credentialsFingerprint({ controlLogin: 'ab123@a', controlPassword: 'pw' }, SALT);
    expect(credentialsFingerprint({ controlLogin: 'ab123@a', controlPassword: 'pw2' }, SALT)).not.toBe(base);
    expect(credentialsFingerprint({ controlLogin: 'ab124@a', controlPassword: 'pw' }, SALT)).not.toBe(base);
    expect(credentialsFingerprint({ controlLogin: 'ab123@a', controlPassword: 'pw' }, `${SALT}00`)).not.toBe(
      base,
    );
  });

  it('tells account credentials apart, with or without their control login', () => {
    const account = { accountNumber: 'A1234A', accountPassword: 'pw' };
    const plain = credentialsFingerprint(account, SALT);
    expect(credentialsFingerprint({ ...account, controlLogin: undefined }, SALT)).toBe(plain);
    expect(credentialsFingerprint({ ...account, controlLogin: 'ab123@a' }, SALT)).not.toBe(plain);
    expect(credentialsFingerprint({ ...account, accountPassword: 'other' }, SALT)).not.toBe(plain);
  });
});
