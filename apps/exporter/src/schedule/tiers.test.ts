import { describe, expect, it } from 'vitest';
import { COMMAND_OF, planTiers } from './tiers.ts';

const intervals = { fastSeconds: 60, mediumSeconds: 300, slowSeconds: 900 };

describe('planTiers', () => {
  it('runs the design’s collectors on the design’s tiers, with a max age of 3 intervals', () => {
    expect(
      planTiers({
        intervals,
        collectors: { broadband: true, telephony: true, login: true, includePostcode: false },
      }),
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
        collectors: { broadband: true, telephony: false, login: false, includePostcode: false },
      }).map((tier) => tier.name),
    ).toEqual(['fast', 'medium']);
  });

  it('makes one read call per collector, and never a write', () => {
    expect(Object.values(COMMAND_OF)).toEqual([
      'broadband/info',
      'broadband/services',
      'login/services',
      'telephony/ratecard',
    ]);
  });
});
