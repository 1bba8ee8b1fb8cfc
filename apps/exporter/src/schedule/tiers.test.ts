import { describe, expect, it } from 'vitest';
import { commandTable, nameOf } from '../collectors/index.ts';
import { planTiers, tierAccounts } from './tiers.ts';

const intervals = { fastSeconds: 60, mediumSeconds: 300, slowSeconds: 900, cqmSeconds: 300 };
const names = (tiers: ReturnType<typeof planTiers>) =>
  tiers.map((tier) => ({ ...tier, collectors: tier.collectors.map(nameOf) }));

describe('planTiers', () => {
  it('runs the design’s collectors on the design’s tiers, with a max age of 3 intervals', () => {
    expect(
      names(
        planTiers({
          intervals,
          collectors: { enabled: { broadband: true, telephony: true, login: true }, includePostcode: false },
        }),
      ),
    ).toEqual([
      { name: 'fast', intervalSeconds: 60, maxAgeSeconds: 180, collectors: ['broadband_lines'] },
      { name: 'medium', intervalSeconds: 300, maxAgeSeconds: 900, collectors: ['broadband_services'] },
      {
        name: 'slow',
        intervalSeconds: 900,
        maxAgeSeconds: 2700,
        collectors: ['login_services', 'telephony_ratecard'],
      },
      // Without the accounts, planned as for the docs: as if every account had a CQM link.
      { name: 'cqm', intervalSeconds: 300, maxAgeSeconds: 900, collectors: ['cqm'] },
    ]);
  });

  it('plans the cqm tier only for the accounts with a CQM link, and not at all without one', () => {
    const config = { intervals, collectors: { enabled: {}, includePostcode: false } };
    const auth = { controlLogin: 'ab123@a', controlPassword: 'x' };
    const cqm = [{ lineId: '32001', url: 'https://control.aa.net.uk/cqmdirect.cgi/s/home.csv' }];
    const plan = planTiers(config, undefined, [
      { name: 'home', auth, cqm },
      { name: 'office', auth },
    ]);
    expect(plan.map((tier) => [tier.name, tier.accounts])).toEqual([
      ['fast', undefined],
      ['medium', undefined],
      ['cqm', ['home']],
    ]);
    const [fast, , cqmTier] = plan;
    expect(fast && tierAccounts(fast, ['home', 'office'])).toEqual(['home', 'office']);
    expect(cqmTier && tierAccounts(cqmTier, ['home', 'office'])).toEqual(['home']);
    expect(planTiers(config, undefined, [{ name: 'office', auth }]).map((tier) => tier.name)).toEqual([
      'fast',
      'medium',
    ]);
    expect(
      planTiers({ intervals, collectors: { enabled: { cqm: false }, includePostcode: false } }, undefined, [
        { name: 'home', auth, cqm },
      ]).map((tier) => tier.name),
      'switched off',
    ).toEqual(['fast', 'medium']);
  });

  it('leaves out disabled collectors and empty tiers (the defaults: broadband only)', () => {
    expect(
      planTiers({
        intervals,
        collectors: { enabled: { broadband: true, telephony: false, login: false }, includePostcode: false },
      }).map((tier) => tier.name),
    ).toEqual(['fast', 'medium', 'cqm']);
    expect(
      planTiers({ intervals, collectors: { enabled: {}, includePostcode: false } }).map((tier) => tier.name),
      'a flag left out takes its default',
    ).toEqual(['fast', 'medium', 'cqm']);
  });

  it('makes one read call per collector, and never a write', () => {
    expect(Object.fromEntries(commandTable())).toEqual({
      broadband_lines: 'broadband/info',
      broadband_services: 'broadband/services',
      login_services: 'login/services',
      telephony_ratecard: 'telephony/ratecard',
      // Not CHAOS: the pseudo-command of the lines' CQM CSVs.
      cqm: 'cqm/csv',
    });
  });
});
