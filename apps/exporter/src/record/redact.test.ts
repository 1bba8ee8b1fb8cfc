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

  it('masks each line’s postcode inside its choice title, in other spacing and case (docs/chaos-api.md §11.1)', () => {
    const redactor = createRedactor({ secrets: [] });
    const answer = {
      options: [
        {
          title: 'Service',
          option: [
            {
              name: 'service',
              choice: [
                { value: '', title: 'Select service' },
                { value: '1', title: 'ZZ99 1AA ab12@a.1' },
                { value: '2', title: 'zz991ab ab12@a.2 Office' },
                { value: '3', title: 'ZZ99  1AD ab12@a.3' },
                { value: '4', title: 'ab12@a.4 (Z Z 9 9 2 A A)' },
                { value: '5', title: 'QQ 12345 ab12@a.5' },
              ],
            },
          ],
        },
      ],
      info: [
        { ID: '1', login: 'ab12@a.1', postcode: 'ZZ99 1AA' },
        { ID: '2', login: 'ab12@a.2', postcode: 'ZZ99 1AB' },
        { ID: '3', login: 'ab12@a.3', postcode: 'zz99 1ad' },
        { ID: '4', login: 'ab12@a.4', postcode: 'ZZ99 2AA ' },
        // Not shaped like a UK postcode: found only because the answer says it is this line's.
        { ID: '5', login: 'ab12@a.5', postcode: 'qq12345' },
      ],
    };
    const text = JSON.stringify(redactor.redact(answer));
    for (const { postcode } of answer.info) {
      const bare = postcode.replace(/\s+/g, '').toLowerCase();
      expect(text.replace(/\s+/g, '').toLowerCase()).not.toContain(bare);
    }
    expect(text).toContain('"title":"XX99 9XX user1@a.1"');
    expect(text).toContain('"title":"XX999XX user1@a.2 Office"');
    expect(text).toContain('"title":"XX99  9XX user1@a.3"');
    expect(text).toContain('"title":"user1@a.4 (X X 9 9 9 X X)"');
    expect(text).toContain('"title":"XX 99999 user1@a.5"');
    // Line IDs and other figures are untouched: a short value is never learnt as a postcode.
    expect(createRedactor({ secrets: [] }).redact({ info: [{ ID: '32001', postcode: '1' }] })).toEqual({
      info: [{ ID: '32001', postcode: '9' }],
    });
  });

  it('masks a registered postcode, and one learnt from an earlier answer, in later text', () => {
    const redactor = createRedactor({ secrets: [] });
    redactor.addPostcode('QQ 7777');
    redactor.redact({ postcode: 'RR88888' });
    expect(redactor.redactText('lines: qq7777, r r 8 8 8 8 8 and ZZ99 1AA')).toBe(
      'lines: XX9999, X X 9 9 9 9 9 and XX99 9XX',
    );
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

  it('replaces a registered name wherever it stands whole, in any spelling, in values and keys', () => {
    const redactor = createRedactor({
      secrets: [],
      names: [
        { name: 'Smith', replacement: 'line1' },
        { name: 'Smith Home', replacement: 'line$&2' },
      ],
    });
    expect(
      redactor.redact({
        title: 'Smith Home (Smith) Smithy smith-x Smith-x x.Smith.csv',
        escaped: 'q=Smith%20Home&r=Smith+Home',
        Smith: 'a key',
        figures: ['32001', 'ZZ99 1AA'],
      }),
    ).toEqual({
      // The longer name first; `Smithy` and `Smith-x` are other words; the replacement is literal.
      title: 'line$&2 (line1) Smithy smith-x Smith-x x.line1.csv',
      escaped: 'q=line$&2&r=line$&2',
      line1: 'a key',
      figures: ['32001', 'XX99 9XX'],
    });
    expect(redactor.redactText('2026-01-20 Smith,1')).toBe('2026-01-20 line1,1');
  });
});
