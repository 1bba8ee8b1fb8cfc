import { describe, expect, it } from 'vitest';
import { defaultAccount } from './default-account.ts';
import type { ConfigProblem } from './problem.ts';

const SECRET = 'pa55-Very-Secret';
const A = 'AAISP_EXPORTER_AUTH__';
const FILES: Record<string, string> = {
  '/secret': `${SECRET}\n`,
  '/empty': '\n',
  '/names': '# line names\n32001 Home\n32002   Shop floor \n',
  '/bad-names': '32001 Home\nXX1 1XX Home\n32002\n',
  '/comments': '# nothing yet\n',
};
const NAMES = 'AAISP_EXPORTER_LINES__NAMES_FILE';
const LOGIN = { [`${A}CONTROL_LOGIN`]: 'ab123@a', [`${A}CONTROL_PASSWORD_FILE`]: '/secret' };

/** The default account and every problem from `env`, over an in-memory file system. */
function load(env: Record<string, string>) {
  const problems: ConfigProblem[] = [];
  const account = defaultAccount(
    env,
    (path) => {
      const text = FILES[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
      return text;
    },
    problems,
  );
  expect(JSON.stringify(problems)).not.toContain(SECRET);
  return { account, problems };
}

describe('defaultAccount: a password that fails to read is one problem, not two', () => {
  it.each([
    ['control', 'CONTROL_LOGIN', 'ab123@a', 'CONTROL_PASSWORD'],
    ['account', 'ACCOUNT_NUMBER', 'A1234A', 'ACCOUNT_PASSWORD'],
  ])('the %s pair', (_pair, idField, id, password) => {
    expect(load({ [`${A}${idField}`]: id, [`${A}${password}_FILE`]: '/missing' })).toEqual({
      account: undefined,
      problems: [{ variable: `${A}${password}_FILE`, message: 'cannot read /missing (ENOENT)' }],
    });
    expect(load({ [`${A}${idField}`]: id, [`${A}${password}_FILE`]: '/empty' })).toEqual({
      account: undefined,
      problems: [{ variable: `${A}${password}_FILE`, message: 'file /empty is empty' }],
    });
    expect(
      load({ [`${A}${idField}`]: id, [`${A}${password}`]: SECRET, [`${A}${password}_FILE`]: '/secret' }),
    ).toEqual({
      account: undefined,
      problems: [
        {
          variable: `${A}${password}`,
          message: `set either ${A}${password} or ${A}${password}_FILE, not both`,
        },
      ],
    });
  });

  it('still reads a good password file', () => {
    expect(load({ [`${A}CONTROL_LOGIN`]: 'ab123@a', [`${A}CONTROL_PASSWORD_FILE`]: '/secret' })).toEqual({
      account: { name: 'default', auth: { controlLogin: 'ab123@a', controlPassword: SECRET } },
      problems: [],
    });
  });
});

describe('defaultAccount: LINES__NAMES_FILE', () => {
  it('gives the default account the names in the file', () => {
    expect(load({ ...LOGIN, [NAMES]: '/names' })).toEqual({
      account: {
        name: 'default',
        auth: { controlLogin: 'ab123@a', controlPassword: SECRET },
        lineNames: { '32001': 'Home', '32002': 'Shop floor' },
      },
      problems: [],
    });
  });

  it('leaves lineNames out when the file names no line', () => {
    expect(load({ ...LOGIN, [NAMES]: '/comments' }).account).toEqual({
      name: 'default',
      auth: { controlLogin: 'ab123@a', controlPassword: SECRET },
    });
  });

  it('reports bad lines by number without quoting them, and an unreadable file by path', () => {
    const bad = load({ ...LOGIN, [NAMES]: '/bad-names' });
    expect(bad.problems).toEqual([
      {
        variable: `${NAMES} /bad-names: line 2`,
        message: 'the line ID must be digits (the A&A line ID, e.g. 32001)',
      },
      { variable: `${NAMES} /bad-names: line 3`, message: 'expected `<line_id> <name>`' },
    ]);
    expect(JSON.stringify(bad.problems)).not.toContain('XX1');
    expect(load({ ...LOGIN, [NAMES]: '/missing' }).problems).toEqual([
      { variable: NAMES, message: 'cannot read /missing (ENOENT)' },
    ]);
  });

  it('refuses the file without default credentials, pointing at names: in the accounts file', () => {
    expect(load({ [NAMES]: '/names' })).toEqual({
      account: undefined,
      problems: [
        {
          variable: NAMES,
          message: `belongs to the default account, which needs credentials too (${A}CONTROL_LOGIN and ${A}CONTROL_PASSWORD, or the account pair); or list the lines under names: in AAISP_EXPORTER_CONFIG_FILE`,
        },
      ],
    });
  });
});
