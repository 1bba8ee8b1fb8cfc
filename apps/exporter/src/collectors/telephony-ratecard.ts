/**
 * `telephony_ratecard` on the slow tier: `telephony/ratecard`.
 *
 * @module
 */

import { telephonyRatecard as collector } from '@aaisp/collectors';
import type { CollectorBinding } from './binding.ts';
import { chaosSource } from './chaos-source.ts';

/** The call ratecard. Optional: telephony answers HTTP 500 on an account without VoIP (RK). */
export const telephonyRatecard: CollectorBinding = {
  collector,
  summary: 'call rates',
  source: chaosSource,
  tier: 'slow',
  enable: { flag: 'telephony', default: false },
  optional: true,
  start:
    () =>
    async ({ client, signal, context }) =>
      collector.collect(await client.telephony.ratecard({ signal }), context),
};
