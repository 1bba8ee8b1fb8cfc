import { describe, expect, it } from 'vitest';
import { commandTable, nameOf } from '../collectors/index.ts';
import { planTiers } from './tiers.ts';

const intervals = { fastSeconds: 60, mediumSeconds: 300, slowSeconds: 900 };
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
    ]);
  });

  it('leaves out disabled collectors and empty tiers (the defaults: broadband only)', () => {
    expect(
      planTiers({
        intervals,
        collectors: { enabled: { broadband: true, telephony: false, login: false }, includePostcode: false },
      }).map((tier) => tier.name),
    ).toEqual(['fast', 'medium']);
    expect(
      planTiers({ intervals, collectors: { enabled: {}, includePostcode: false } }).map((tier) => tier.name),
      'a flag left out takes its default',
    ).toEqual(['fast', 'medium']);
  });

  it('makes one read call per collector, and never a write', () => {
    expect(Object.fromEntries(commandTable())).toEqual({
      broadband_lines: 'broadband/info',
      broadband_services: 'broadband/services',
      login_services: 'login/services',
      telephony_ratecard: 'telephony/ratecard',
    });
  });
});
