/**
 * `broadband_services` on the medium tier: the line IDs `broadband/services` lists.
 *
 * @module
 */

import { broadbandServices as collector } from '@aaisp/collectors';
import type { CollectorBinding } from './binding.ts';
import { chaosSource } from './chaos-source.ts';

/** The broadband services inventory. */
export const broadbandServices: CollectorBinding = {
  collector,
  summary: 'services count',
  source: chaosSource,
  tier: 'medium',
  enable: { flag: 'broadband', default: true },
  optional: false,
  start:
    () =>
    async ({ client, signal, context }) =>
      collector.collect(await client.broadband.services({ signal }), context),
};
