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
      { variable: `${FILE}: accounts.3.account_password`, message: 'is required with the account number' },
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
    expect(problems[0]?.message).toMatch(/^\/a.yaml is not valid YAML near line \d+$/);
  });
});
