import { describe, expect, it } from 'vitest';
import { createRedactor, maskPostcode } from './redact.ts';

describe('redact', () => {
  it('keeps a postcode pattern, spacing included, and nothing of its value', () => {
    expect(maskPostcode('SW1A 1AA')).toBe('XX9X 9XX');
    expect(maskPostcode('ZZ99 1AB  ')).toBe('XX99 9XX  ');
  });

  it('removes secret keys at any depth and cuts known secrets out of any string', () => {
    const redactor = createRedactor({ secrets: ['hunter2!'] });
    expect(
      redactor.redact({
        request: { control_password: 'hunter2!', Account_Password: 'x' },
        list: [{ token: 't', note: 'said hunter2! twice: hunter2!' }],
        count: 3,
        flag: null,
      }),
    ).toEqual({ request: {}, list: [{ note: 'said [redacted] twice: [redacted]' }], count: 3, flag: null });
  });

  it('gives each login one pseudonym everywhere, keeping what follows the @', () => {
    const redactor = createRedactor({ secrets: [] });
    redactor.addLogin('ab12@a');
    const out = redactor.redact({
      request: { control_login: 'ab12@a' },
      info: [
        { login: 'ab123@a.1', title: 'ab123@a.1 FTTP for ab12@a' },
        { login: 'ab12@a.2', title: '' },
        { login: 'A1234A' },
      ],
    });
    expect(out).toEqual({
      request: { control_login: 'user1@a' },
      info: [
        // ab123 is not ab12 with a suffix: it gets its own pseudonym, and ab12 inside it is untouched.
        { login: 'user2@a.1', title: 'user2@a.1 FTTP for user1@a' },
        { login: 'user1@a.2', title: '' },
        { login: 'user3' },
      ],
    });
    expect(redactor.redactText('mail ab12@a or ab123@a.1')).toBe('mail user1@a or user2@a.1');
  });

  it('drops the value of a password option and masks a postcode option, as CHAOS describes settings', () => {
    const redactor = createRedactor({ secrets: [] });
    expect(
      redactor.redact({
        options: [
          { name: 'ppp_password', type: 'password', value: 'hunter2' },
          { name: 'site', type: 'postcode', value: 'SW1A 1AA' },
          { name: 'service', type: 'choice', value: '32001' },
        ],
      }),
    ).toEqual({
      options: [
        { name: 'ppp_password', type: 'password' },
        { name: 'site', type: 'postcode', value: 'XX9X 9XX' },
        { name: 'service', type: 'choice', value: '32001' },
      ],
    });
  });

  it('masks postcodes however the key is spelt, inside free text too, and account numbers', () => {
    const redactor = createRedactor({ secrets: [] });
    expect(
      redactor.redact({
        'post code': 'SW1A 1AA',
        Postal_Code: 'EC1A 1BB',
        zip: 'W1A 0AX',
        PostCode: 12345,
        address: '1 High St, London SW1A 1AA',
        account_number: 'A1234A',
      }),
    ).toEqual({
      'post code': 'XX9X 9XX',
      Postal_Code: 'XX9X 9XX',
      zip: 'X9X 9XX',
      PostCode: '99999',
      address: '1 High St, London XX9X 9XX',
      account_number: 'X9999X',
    });
  });

  it('cuts a secret out in its JSON-escaped and URL-encoded forms, and out of keys', () => {
    const secret = 'pa"ss\\w rd';
    const redactor = createRedactor({ secrets: [secret] });
    const text = JSON.stringify(
      redactor.redact({
        raw: `a ${secret} b`,
        escaped: `{"p":${JSON.stringify(secret)}}`,
        encoded: `p=${encodeURIComponent(secret)}`,
        [secret]: 'as a key',
      }),
    );
    for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]) {
      expect(text).not.toContain(form);
    }
    expect(text).toContain('[redacted]');
  });
});
