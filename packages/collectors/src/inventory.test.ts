import type { Ratecard } from '@aaisp/chaos-client';
import { describe, expect, it } from 'vitest';
import { broadbandServices, collectors, loginServices, telephonyRatecard } from './index.ts';

describe('inventory and ratecard collectors', () => {
  it('count broadband services and control logins', () => {
    expect(broadbandServices.collect(['1', '2', '3'], {})).toEqual([
      { metric: 'aaisp_broadband_services', labels: {}, value: 3 },
    ]);
    expect(loginServices.collect([], { account: 'shop' })).toEqual([
      { metric: 'aaisp_login_services', labels: { account: 'shop' }, value: 0 },
    ]);
  });

  it('map each rate’s charges by period, leaving out charges CHAOS left out', () => {
    const card: Ratecard = {
      codes: [{ rate: 'UK', prefix: '+441', raw: {} }],
      rates: [
        { rate: 'UK', peakPencePerMinute: 1, offpeakPencePerMinute: 0.5, minChargePence: 0, raw: {} },
        { rate: 'Odd', raw: {} },
      ],
    };
    expect(telephonyRatecard.collect(card, {})).toEqual([
      { metric: 'aaisp_telephony_rate_pence_per_minute', labels: { rate: 'UK', period: 'peak' }, value: 1 },
      {
        metric: 'aaisp_telephony_rate_pence_per_minute',
        labels: { rate: 'UK', period: 'offpeak' },
        value: 0.5,
      },
      { metric: 'aaisp_telephony_rate_min_charge_pence', labels: { rate: 'UK' }, value: 0 },
      { metric: 'aaisp_telephony_ratecard_prefixes', labels: {}, value: 1 },
    ]);
  });

  it('the registry lists every collector once, each with the CHAOS commands it needs', () => {
    expect(collectors.map((collector) => collector.name)).toEqual([
      'broadband_lines',
      'broadband_services',
      'login_services',
      'telephony_ratecard',
      'cqm',
    ]);
    expect(collectors.broadbandLines.commands).toEqual(['broadband/info']);
    // CQM is A&A's CSV, not a CHAOS command.
    expect(collectors.cqmLines.commands).toEqual([]);
    const names = collectors.flatMap((collector) => collector.metrics.map((metric) => metric.name));
    expect(new Set(names).size).toBe(names.length);
  });

  it('keeps every HELP text ASCII, so an exposition of ASCII labels is a one-byte string', () => {
    // One typographic apostrophe made V8 store a 10 000-line exposition two bytes a character:
    // 12 MB instead of 6 MB while the exporter renders it.
    const helps = collectors.flatMap((collector) => collector.metrics.map((metric) => metric.help));
    expect(helps.length).toBeGreaterThan(10);
    expect(helps.filter((help) => !/^[\x20-\x7e]*$/.test(help))).toEqual([]);
  });
});
