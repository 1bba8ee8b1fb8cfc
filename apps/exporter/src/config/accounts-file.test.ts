import { describe, expect, it } from 'vitest';
import { accountsFromFile } from './accounts-file.ts';
import type { ConfigProblem } from './problem.ts';

const SECRET = 'pa55-Very-Secret';
const FILE = 'AAISP_EXPORTER_CONFIG_FILE /a.yaml';

/** Reads `/a.yaml` holding `yaml`, plus `/secret` and `/empty`; the accounts and problems. */
function load(yaml: string) {
  const files: Record<string, string> = { '/a.yaml': yaml, '/secret': `${SECRET}\n`, '/empty': '' };
  const problems: ConfigProblem[] = [];
  const accounts = accountsFromFile(
    '/a.yaml',
    (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return text;
    },
    problems,
  );
  expect(JSON.stringify(problems)).not.toContain(SECRET);
  return { accounts, problems };
}

describe('accountsFromFile', () => {
  it('reads each account, its password inline or from a file', () => {
    const { accounts, problems } = load(
      [
        'accounts:',
        '  - name: shop',
        '    control_login: shop@a',
        '    control_password_file: /secret',
        '  - name: mum',
        '    account_number: A9999A',
        `    account_password: ${SECRET}`,
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(accounts).toEqual([
      { name: 'shop', auth: { controlLogin: 'shop@a', controlPassword: SECRET } },
      { name: 'mum', auth: { accountNumber: 'A9999A', accountPassword: SECRET } },
    ]);
  });

  it('keeps the good accounts and names each bad one by index and snake-case field', () => {
    const { accounts, problems } = load(
      [
        'accounts:',
        '  - name: good',
        '    control_login: a@a',
        `    control_password: ${SECRET}`,
        '  - name: lonely',
        '  - name: half',
        '    control_login: b@a',
        '  - name: emptyfile',
        '    account_number: A1',
        '    account_password_file: /empty',
      ].join('\n'),
    );
    expect(accounts.map((account) => account.name)).toEqual(['good']);
    expect(problems).toEqual([
      { variable: `${FILE}: accounts.1.name`, message: 'account lonely has no credentials' },
      { variable: `${FILE}: accounts.2.control_password`, message: 'is required with the control login' },
      { variable: `${FILE}: accounts.3.account_password_file`, message: 'file /empty is empty' },
    ]);
  });

  it('reports a password that fails to read once, never also as missing', () => {
    const account = (lines: readonly string[]) =>
      load(['accounts:', '  - name: shop', ...lines.map((line) => `    ${line}`)].join('\n'));
    expect(account(['control_login: shop@a', 'control_password_file: /missing'])).toEqual({
      accounts: [],
      problems: [
        { variable: `${FILE}: accounts.0.control_password_file`, message: 'cannot read /missing (ENOENT)' },
      ],
    });
    expect(account(['control_login: shop@a', 'control_password_file: /empty'])).toEqual({
      accounts: [],
      problems: [{ variable: `${FILE}: accounts.0.control_password_file`, message: 'file /empty is empty' }],
    });
    expect(
      account(['control_login: shop@a', `control_password: ${SECRET}`, 'control_password_file: /secret']),
    ).toEqual({
      accounts: [],
      problems: [
        {
          variable: `${FILE}: accounts.0.control_password`,
          message: `set either ${FILE}: accounts.0.control_password or ${FILE}: accounts.0.control_password_file, not both`,
        },
      ],
    });
    expect(account(['account_number: A1', 'account_password_file: /missing'])).toEqual({
      accounts: [],
      problems: [
        { variable: `${FILE}: accounts.0.account_password_file`, message: 'cannot read /missing (ENOENT)' },
      ],
    });
  });

  it('reports a CQM link file that fails to read once, and a link given neither way', () => {
    const { accounts, problems } = load(
      [
        'accounts:',
        '  - name: shop',
        '    control_login: shop@a',
        `    control_password: ${SECRET}`,
        '    cqm:',
        '      "32001": { url_file: /missing }',
        '      "32002": { url: "" }',
      ].join('\n'),
    );
    expect(accounts).toEqual([{ name: 'shop', auth: { controlLogin: 'shop@a', controlPassword: SECRET } }]);
    expect(problems).toEqual([
      { variable: `${FILE}: accounts.0.cqm.32001.url_file`, message: 'cannot read /missing (ENOENT)' },
      {
        variable: `${FILE}: accounts.0.cqm.32002.url`,
        message: "give url_file (or url): the line's CQM CSV link",
      },
    ]);
  });

  it('reads each account’s line names, trimmed, quoted or not', () => {
    const { accounts, problems } = load(
      [
        'accounts:',
        '  - name: shop',
        '    control_login: shop@a',
        `    control_password: ${SECRET}`,
        '    names:',
        '      32001: Home',
        '      "32002": "  Shop floor "',
        '  - name: mum',
        '    control_login: mum@a',
        `    control_password: ${SECRET}`,
        '    names: {}',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(accounts).toEqual([
      {
        name: 'shop',
        auth: { controlLogin: 'shop@a', controlPassword: SECRET },
        lineNames: { '32001': 'Home', '32002': 'Shop floor' },
      },
      { name: 'mum', auth: { controlLogin: 'mum@a', controlPassword: SECRET } },
    ]);
  });

  it('names the file, the account and the key of a bad line name, never the name', () => {
    const { accounts, problems } = load(
      [
        'accounts:',
        '  - name: shop',
        '    control_login: shop@a',
        `    control_password: ${SECRET}`,
        '    names:',
        '      32001: ""',
        `      Home: ${SECRET}`,
        '      32002: 2024',
      ].join('\n'),
    );
    expect(accounts).toEqual([{ name: 'shop', auth: { controlLogin: 'shop@a', controlPassword: SECRET } }]);
    expect(problems).toEqual([
      { variable: `${FILE}: accounts.0.names.32001`, message: 'the name must not be empty' },
      {
        variable: `${FILE}: accounts.0.names.32002`,
        message: 'the name must be text (quote it, e.g. "2024")',
      },
      {
        variable: `${FILE}: accounts.0.names.Home`,
        message: 'the line ID must be digits (the A&A line ID, e.g. 32001)',
      },
    ]);
  });

  it('reports schema problems by YAML path, and a document that is not a list of accounts', () => {
    expect(load('accounts: []\n').problems).toEqual([
      { variable: `${FILE}: accounts`, message: 'must list at least one account' },
    ]);
    expect(load('accounts:\n  - name: "no spaces"\n').problems.map((problem) => problem.variable)).toEqual([
      `${FILE}: accounts.0.name`,
    ]);
    expect(load('').problems.map((problem) => problem.variable)).toEqual([`${FILE}: (document)`]);
  });

  it('names the file by its variable when it is not YAML, without quoting it', () => {
    const { accounts, problems } = load(`accounts:\n  - name: x\n    control_password: "${SECRET}\n  bad: [`);
    expect(accounts).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.variable).toBe('AAISP_EXPORTER_CONFIG_FILE');
    expect(problems[0]?.message).toBe('/a.yaml line 3, column 23: unclosed double-quoted string');
  });
});
