import { describe, expect, it } from 'vitest';
import { lineName, replacePostcode } from './index.ts';

const LOGIN = 'ab123@a.1';
const POSTCODE = 'XX1 1XX';

describe('lineName: the choice title without the line’s postcode', () => {
  // [title, postcode in info, expected name]
  const titles: readonly (readonly [string, string | undefined, string])[] = [
    // CHAOS's own form, "POSTCODE LOGIN" (docs/chaos-api.md §11.1): only the login is left, and it has its own label.
    ['XX1 1XX ab123@a.1', POSTCODE, ''],
    // "LOGIN PHONE": nothing to remove; the phone number stays, as the design keeps it.
    ['ab123@a.1 01632 960002', POSTCODE, 'ab123@a.1 01632 960002'],
    // A title equal to the login, in any case.
    ['ab123@a.1', POSTCODE, ''],
    ['AB123@A.1', POSTCODE, ''],
    // The postcode in other spacing and case.
    ['xx11xx ab123@a.1', POSTCODE, ''],
    ['XX1  1XX ab123@a.1', POSTCODE, ''],
    ['Xx1 1xX\tab123@a.1', POSTCODE, ''],
    ['XX1 1XX ab123@a.1', ' xx11xx ', ''],
    // Extra words stay, the login with them: only the postcode goes.
    ['XX1 1XX ab123@a.1 Office', POSTCODE, 'ab123@a.1 Office'],
    ['Office, xx1 1xx', POSTCODE, 'Office'],
    ['ab123@a.1 (XX1 1XX) Office', POSTCODE, 'ab123@a.1 Office'],
    ['Home - XX1 1XX - ab123@a.1', POSTCODE, 'Home - ab123@a.1'],
    // Nothing but the postcode, or nothing at all.
    ['XX1 1XX', POSTCODE, ''],
    ['', POSTCODE, ''],
    ['  ', undefined, ''],
    // A line without a postcode: the title is kept, tidied…
    ['ab123@a.1 FTTP', undefined, 'ab123@a.1 FTTP'],
    ['  Home   FTTP ', undefined, 'Home FTTP'],
    // Separators are only tidied where a postcode was taken out.
    ['- Home FTTP -', undefined, '- Home FTTP -'],
    // …except a postcode-shaped first word, which in CHAOS's titles is the postcode.
    ['XX1 1XX ab123@a.1', undefined, ''],
    ['xx11xx ab123@a.1 Office', undefined, 'ab123@a.1 Office'],
    ['XX1 1XX ab123@a.1', '', ''],
    // Postcode-looking text elsewhere is not the line's postcode, and is not searched for.
    ['ab123@a.1 near YY2 2YY', POSTCODE, 'ab123@a.1 near YY2 2YY'],
    // A first word of that shape goes even when info's postcode differs (an old address is personal too).
    ['YY2 2YY ab123@a.1', POSTCODE, ''],
    // Words that only look a little like a postcode stay.
    ['W1 office ab123@a.1', undefined, 'W1 office ab123@a.1'],
    ['FTTP 80/20', undefined, 'FTTP 80/20'],
    // A postcode glued to other text still goes (full-length postcodes are removed anywhere).
    ['XX11XX:ab123@a.1', POSTCODE, ''],
    // Characters whose upper case is longer (ß → SS) keep the positions right, and stay as they were.
    ['Straße xx1 1xx ab123@a.1', POSTCODE, 'Straße ab123@a.1'],
    // A bad, too short postcode value only goes as a whole word, so it cannot eat into others.
    ['X1 Box1 ab123@a.1', 'X1', 'Box1 ab123@a.1'],
  ];

  it.each(titles)('%j with postcode %j → %j', (title, postcode, expected) => {
    expect(lineName({ title, login: LOGIN, postcode })).toBe(expected);
  });

  it('never leaves the postcode in the name, in any spacing or case', () => {
    const forms = ['XX1 1XX', 'xx1 1xx', 'XX11XX', 'xx11xx', 'XX1  1XX', 'X X 1 1 X X', 'XX1\u00a01XX'];
    for (const form of forms) {
      for (const title of [`${form} ${LOGIN}`, `${LOGIN} ${form}`, `Office ${form} ${LOGIN}`]) {
        const name = lineName({ title, login: LOGIN, postcode: POSTCODE });
        expect(name.replace(/\s+/g, '').toUpperCase(), title).not.toContain('XX11XX');
      }
    }
  });

  it('is pure: same input, same output, input untouched', () => {
    const input = Object.freeze({ title: 'XX1 1XX ab123@a.1 Office', login: LOGIN, postcode: POSTCODE });
    expect(lineName(input)).toBe(lineName(input));
  });
});

describe('replacePostcode', () => {
  it('replaces the postcode in any case and inner spacing, and a too-short value only as a word', () => {
    expect(replacePostcode('xx1  1xx ab123@a.1 (XX11XX)', 'XX1 1XX', (found) => `<${found}>`)).toBe(
      '<xx1  1xx> ab123@a.1 (<XX11XX>)',
    );
    expect(replacePostcode('A1 shop A1B', 'A1', () => '_')).toBe('_ shop A1B');
    expect(replacePostcode('no postcode here', '', () => '_')).toBe('no postcode here');
  });
});
