import { describe, expect, it } from 'vitest';
import { designIntervals as intervals } from '../../harness/exporter-config.ts';
import { BINDINGS, type CollectorBinding, chaosSource, nameOf } from '../collectors/index.ts';
import type { DataSource } from '../collectors/source.ts';
import { jobAccounts, planTiers, tierAccounts, tierJobs } from './tiers.ts';

const names = (tiers: ReturnType<typeof planTiers>) =>
  tiers.map((tier) => ({ ...tier, collectors: tier.collectors.map(nameOf) }));
const chaosBindings = BINDINGS.filter((binding) => binding.source === chaosSource);
const auth = { controlLogin: 'ab123@a', controlPassword: 'x' };

/** A source with per-account targets: two lines at `home`, none elsewhere. */
const perLine: DataSource = {
  name: 'per-line',
  pausedByChaosAuth: false,
  targetsAtOnce: 2,
  targetsOf: (account) => (account.name === 'home' ? ['1', '2'] : []),
  callOf: () => 'per-line/feed',
};
const feed: CollectorBinding = {
  collector: { name: 'feed', commands: [], metrics: [] },
  summary: 'a feed per line',
  source: perLine,
  tier: 'slow',
  enable: { flag: 'feed', default: true },
  optional: false,
  start: () => async () => [],
};

describe('planTiers', () => {
  it('runs the design’s CHAOS collectors on the design’s tiers, with a max age of 3 intervals', () => {
    expect(
      names(
        planTiers(
          {
            intervals,
            collectors: {
              enabled: { broadband: true, telephony: true, login: true },
              includePostcode: false,
            },
          },
          chaosBindings,
        ),
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
    ]);
  });

  it('plans a tier whose sources need targets only for the accounts with some, and not at all without', () => {
    const config = { intervals, collectors: { enabled: {}, includePostcode: false } };
    const bindings = [...chaosBindings, feed];
    const plan = planTiers(config, bindings, [
      { name: 'home', auth },
      { name: 'office', auth },
    ]);
    expect(plan.map((tier) => [tier.name, tierAccounts(tier, ['home', 'office'])])).toEqual([
      ['fast', ['home', 'office']],
      ['medium', ['home', 'office']],
      ['slow', ['home']],
    ]);
    const [fast, , slow] = plan;
    expect(fast && tierAccounts(fast, ['home', 'office'])).toEqual(['home', 'office']);
    expect(slow && tierAccounts(slow, ['home', 'office'])).toEqual(['home']);
    expect(planTiers(config, bindings, [{ name: 'office', auth }]).map((tier) => tier.name)).toEqual([
      'fast',
      'medium',
    ]);
    // Without the accounts (the docs' plan), as if every account had targets.
    expect(
      planTiers(config, bindings).map((tier) => [tier.name, tierAccounts(tier, ['home', 'office'])]),
    ).toEqual([
      ['fast', ['home', 'office']],
      ['medium', ['home', 'office']],
      ['slow', ['home', 'office']],
    ]);
    expect(
      planTiers({ intervals, collectors: { enabled: { feed: false }, includePostcode: false } }, bindings, [
        { name: 'home', auth },
      ]).map((tier) => tier.name),
      'switched off',
    ).toEqual(['fast', 'medium']);
  });

  it('narrows each collector of a mixed tier to its own accounts: a job per account with targets', () => {
    const config = {
      intervals,
      collectors: { enabled: { login: true }, includePostcode: false },
    };
    const accounts = [
      { name: 'home', auth },
      { name: 'office', auth },
    ];
    const slow = planTiers(config, [...chaosBindings, feed], accounts).at(-1);
    expect(slow?.collectors.map(nameOf)).toEqual(['login_services', 'feed']);
    expect(
      slow &&
        tierJobs(slow, ['home', 'office']).map(({ account, collector }) => `${account}/${nameOf(collector)}`),
    ).toEqual(['home/login_services', 'home/feed', 'office/login_services']);
    expect(slow && tierAccounts(slow, ['home', 'office'])).toEqual(['home', 'office']);
    expect(slow && jobAccounts(slow, feed, ['home', 'office'])).toEqual(['home']);
    // An office-only exporter plans no feed at all, and keeps the login collector.
    const officeOnly = planTiers(config, [...chaosBindings, feed], [{ name: 'office', auth }]).at(-1);
    expect(officeOnly?.collectors.map(nameOf)).toEqual(['login_services']);
  });

  it('leaves out disabled collectors and empty tiers (the defaults: broadband only)', () => {
    expect(
      planTiers(
        {
          intervals,
          collectors: {
            enabled: { broadband: true, telephony: false, login: false },
            includePostcode: false,
          },
        },
        chaosBindings,
      ).map((tier) => tier.name),
    ).toEqual(['fast', 'medium']);
    expect(
      planTiers({ intervals, collectors: { enabled: {}, includePostcode: false } }, chaosBindings).map(
        (tier) => tier.name,
      ),
      'a flag left out takes its default',
    ).toEqual(['fast', 'medium']);
  });
});
