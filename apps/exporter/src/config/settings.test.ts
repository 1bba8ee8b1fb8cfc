import { describe, expect, it } from 'vitest';
import type { EnableSetting } from '../collectors/index.ts';
import type { ConfigProblem } from './problem.ts';
import { RANGES, rangeText, readSettings, settingText } from './settings.ts';

const P = 'AAISP_EXPORTER_';
const FLAGS: readonly EnableSetting[] = [
  { flag: 'on', default: true, variable: 'COLLECTORS__ENABLE_ON', collectors: ['a'] },
  { flag: 'off', default: false, variable: 'COLLECTORS__ENABLE_OFF', collectors: ['b'] },
];

/** The settings and the problems (as `variable: message`) from `env`. */
function read(env: Record<string, string>) {
  const problems: ConfigProblem[] = [];
  const settings = readSettings(env, FLAGS, problems);
  return { settings, problems: problems.map(({ variable, message }) => `${variable}: ${message}`) };
}

describe('settingText', () => {
  it('reads the prefixed variable, an empty one as unset', () => {
    expect(settingText({ [`${P}X`]: ' a ' }, 'X')).toBe(' a ');
    expect(settingText({ [`${P}X`]: '' }, 'X')).toBeUndefined();
    expect(settingText({ X: 'a' }, 'X')).toBeUndefined();
  });
});

describe('readSettings', () => {
  it('applies each flag’s own default, and reads the flags given', () => {
    expect(read({}).settings?.enabled).toEqual({ on: true, off: false });
    expect(
      read({ [`${P}COLLECTORS__ENABLE_ON`]: 'No', [`${P}COLLECTORS__ENABLE_OFF`]: ' ON ' }).settings?.enabled,
    ).toEqual({ on: false, off: true });
  });

  it('trims numbers and leaves the shard pair out when unset', () => {
    const { settings } = read({ [`${P}SERVER__PORT`]: ' 80 ' });
    expect(settings?.fixed.SERVER__PORT).toBe(80);
    expect(settings?.fixed).not.toHaveProperty('SHARD__INDEX');
  });

  it('reports fixed settings before flags, and then has no settings', () => {
    expect(read({ [`${P}COLLECTORS__ENABLE_OFF`]: 'maybe', [`${P}API__TIMEOUT`]: '0' })).toEqual({
      settings: undefined,
      problems: [
        `${P}API__TIMEOUT: must be a whole number of seconds from 1 to 300`,
        `${P}COLLECTORS__ENABLE_OFF: must be true or false`,
      ],
    });
  });

  it('takes https base URLs, and plain http only to loopback', () => {
    for (const url of [
      'https://chaos.example/',
      'http://localhost:8080',
      'http://127.0.0.2',
      'http://[::1]:1',
    ]) {
      expect(read({ [`${P}API__BASE_URL`]: url }).problems, url).toEqual([]);
    }
    expect(read({ [`${P}API__BASE_URL`]: 'http://10.0.0.1' }).problems).toEqual([
      `${P}API__BASE_URL: must be https:// (plain http:// only for localhost)`,
    ]);
    expect(read({ [`${P}API__BASE_URL`]: 'https://chaos.example/?x=1' }).problems).toEqual([
      `${P}API__BASE_URL: must not carry credentials, a query or a fragment (credentials go in AUTH__ variables)`,
    ]);
  });

  it('reports a URL that does not parse once, not also as http', () => {
    expect(read({ [`${P}API__BASE_URL`]: 'chaos' }).problems).toEqual([`${P}API__BASE_URL: must be a URL`]);
  });
});

describe('whole-number settings', () => {
  // Every way to miss a range gets a message naming it: the operator should not need the README.
  it.each(Object.entries(RANGES))('%s names its range in every refusal', (name, range) => {
    const unit = range.unit === undefined ? '' : ` of ${range.unit}`;
    const expected = `${P}${name}: must be a whole number${unit} from ${range.min} to ${range.max}`;
    for (const text of ['abc', '1.5', '-1', String(range.max + 1)]) {
      expect(read({ [`${P}${name}`]: text }).problems).toEqual([expected]);
    }
    if (range.min > 0) expect(read({ [`${P}${name}`]: String(range.min - 1) }).problems).toEqual([expected]);
    expect(read({ [`${P}${name}`]: ` ${range.max} ` }).problems).toEqual([]);
  });

  it('shows a range as the docs do', () => {
    expect(rangeText(RANGES.SERVER__PORT)).toBe('0–65535');
    expect(rangeText(RANGES.INTERVALS__FAST)).toBe('10–3600 s');
  });
});
