/**
 * The slow-tier ratecard: each rate's charges and the number of prefixes.
 *
 * @module
 */

import type { Ratecard } from '@aaisp/chaos-client';
import { type CollectContext, type Collector, withAccount } from './collector.ts';
import { defineMetric, sample } from './metric.ts';
import type { MetricDefinition, Sample } from './types.ts';

/** Pence per minute by rate and period. */
export const ratePencePerMinute: MetricDefinition = defineMetric({
  name: 'aaisp_telephony_rate_pence_per_minute',
  type: 'gauge',
  help: 'Call charge in pence per minute, by rate name and period (peak, offpeak, weekend).',
  unit: 'pence_per_minute',
  labels: ['rate', 'period'],
});
/** Minimum charge by rate. */
export const rateMinCharge: MetricDefinition = defineMetric({
  name: 'aaisp_telephony_rate_min_charge_pence',
  type: 'gauge',
  help: 'Minimum call charge in pence, by rate name.',
  unit: 'pence',
  labels: ['rate'],
});
/** Number of prefixes. */
export const ratecardPrefixes: MetricDefinition = defineMetric({
  name: 'aaisp_telephony_ratecard_prefixes',
  type: 'gauge',
  help: 'Number prefixes in the telephony ratecard.',
  unit: '',
  labels: [],
});

/** `telephony_ratecard`: maps `telephony.ratecard()`; a charge CHAOS left out has no series. */
export const telephonyRatecard: Collector<Ratecard> = {
  name: 'telephony_ratecard',
  commands: ['telephony/ratecard'],
  metrics: [ratePencePerMinute, rateMinCharge, ratecardPrefixes],
  collect(card, context: CollectContext) {
    const samples: Sample[] = [];
    for (const rate of card.rates) {
      const periods: [string, number | undefined][] = [
        ['peak', rate.peakPencePerMinute],
        ['offpeak', rate.offpeakPencePerMinute],
        ['weekend', rate.weekendPencePerMinute],
      ];
      for (const [period, value] of periods) {
        if (value !== undefined) samples.push(sample(ratePencePerMinute, value, { rate: rate.rate, period }));
      }
      if (rate.minChargePence !== undefined)
        samples.push(sample(rateMinCharge, rate.minChargePence, { rate: rate.rate }));
    }
    samples.push(sample(ratecardPrefixes, card.codes.length));
    return withAccount(samples, context);
  },
};
