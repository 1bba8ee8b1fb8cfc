import { describe, expect, it } from 'vitest';
import { designIntervals as intervals } from '../../harness/exporter-config.ts';
import { planTiers, tierAccounts } from '../schedule/tiers.ts';
import { nameOf } from './binding.ts';
import { cqmSource } from './cqm-source.ts';
import { BINDINGS } from './index.ts';

const auth = { controlLogin: 'ab123@a', controlPassword: 'x' };
const cqm = [
  { lineId: '32001', url: 'https://control.aa.net.uk/cqmdirect.cgi/s/home.csv' },
  { lineId: '32002', url: 'https://control.aa.net.uk/cqmdirect.cgi/s/shop.csv' },
];

describe('the CQM source', () => {
  it('counts the lines with a link as its targets, needs no CHAOS credentials and fetches 4 lines at once', () => {
    expect(cqmSource.targetsOf?.({ name: 'home', auth, cqm })).toEqual(cqm.map((line) => line.lineId));
    expect(cqmSource.targetsOf?.({ name: 'office', auth })).toEqual([]);
    expect(cqmSource.pausedByChaosAuth).toBe(false);
    expect(cqmSource.targetsAtOnce).toBe(4);
  });

  it('puts the cqm tier in the plan only for the accounts with a CQM link, and not at all without one', () => {
    const config = { intervals, collectors: { enabled: {}, includePostcode: false } };
    const plan = planTiers(config, BINDINGS, [
      { name: 'home', auth, cqm },
      { name: 'office', auth },
    ]);
    expect(
      plan.map((tier) => [tier.name, tierAccounts(tier, ['home', 'office']), tier.collectors.map(nameOf)]),
    ).toEqual([
      ['fast', ['home', 'office'], ['broadband_lines']],
      ['medium', ['home', 'office'], ['broadband_services']],
      ['cqm', ['home'], ['cqm']],
    ]);
    const cqmTier = plan.at(-1);
    expect(cqmTier && tierAccounts(cqmTier, ['home', 'office'])).toEqual(['home']);
    expect(cqmTier?.intervalSeconds).toBe(300);
    expect(planTiers(config, BINDINGS, [{ name: 'office', auth }]).map((tier) => tier.name)).toEqual([
      'fast',
      'medium',
    ]);
    expect(
      planTiers({ intervals, collectors: { enabled: { cqm: false }, includePostcode: false } }, BINDINGS, [
        { name: 'home', auth, cqm },
      ]).map((tier) => tier.name),
      'switched off',
    ).toEqual(['fast', 'medium']);
    // Without the accounts (the docs' plan), as if every account had a CQM link.
    expect(planTiers(config).map((tier) => tier.name)).toEqual(['fast', 'medium', 'cqm']);
  });
});
