/**
 * The medium-tier broadband inventory: how many line IDs `broadband/services` lists.
 *
 * @module
 */

import { type CollectContext, type Collector, withAccount } from './collector.ts';
import { defineMetric, sample } from './metric.ts';
import type { MetricDefinition } from './types.ts';

/** `aaisp_broadband_services`. */
export const broadbandServiceCount: MetricDefinition = defineMetric({
  name: 'aaisp_broadband_services',
  type: 'gauge',
  help: 'Broadband service IDs listed by broadband/services (may differ from the lines in broadband/info).',
  unit: '',
  labels: [],
});

/** `broadband_services`: maps `broadband.services()` (line IDs) to their count. */
export const broadbandServices: Collector<readonly string[]> = {
  name: 'broadband_services',
  commands: ['broadband/services'],
  metrics: [broadbandServiceCount],
  collect: (ids, context: CollectContext) =>
    withAccount([sample(broadbandServiceCount, ids.length)], context),
};
