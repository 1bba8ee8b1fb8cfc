import { describe, expect, it } from 'vitest';
import type { AccountConfig } from '../model/account.ts';
import { accountChanges } from './account-changes.ts';

const account = (name: string, extra: Partial<AccountConfig> = {}): AccountConfig => ({
  name,
  auth: { controlLogin: `${name}@a`, controlPassword: 'pw' },
  ...extra,
});

describe('accountChanges', () => {
  it('sorts the accounts into added, removed, new credentials, changed and unchanged', () => {
    const before = [account('same'), account('gone'), account('rotated'), account('lines')];
    const after = [
      account('same'),
      account('rotated', { auth: { controlLogin: 'rotated@a', controlPassword: 'new' } }),
      account('lines', {
        cqm: [{ lineId: '32001', url: 'https://control.aa.net.uk/cqmdirect.cgi/s/a.csv' }],
      }),
      account('new'),
    ];
    expect(accountChanges(before, after)).toEqual({
      added: ['new'],
      removed: ['gone'],
      credentials: ['rotated'],
      changed: ['lines'],
      unchanged: ['same'],
    });
  });

  it('counts new, edited or removed line names as a change, so the lines are collected at once', () => {
    const named = account('home', { lineNames: { '32001': 'Home' } });
    expect(accountChanges([account('home')], [named]).changed).toEqual(['home']);
    expect(accountChanges([named], [account('home', { lineNames: { '32001': 'Office' } })]).changed).toEqual([
      'home',
    ]);
    expect(accountChanges([named], [account('home')]).changed).toEqual(['home']);
  });

  it('leaves an account whose names were re-read unchanged as it was', () => {
    const again = account('home', { lineNames: { '32001': 'Home' } });
    expect(accountChanges([account('home', { lineNames: { '32001': 'Home' } })], [again])).toEqual({
      added: [],
      removed: [],
      credentials: [],
      changed: [],
      unchanged: ['home'],
    });
  });
});
