/**
 * The slow-tier login inventory: how many control logins `login/services` lists.
 *
 * @module
 */

import { type CollectContext, type Collector, withAccount } from './collector.ts';
import { defineMetric, sample } from './metric.ts';
import type { MetricDefinition } from './types.ts';

/** `aaisp_login_services`. */
export const loginServiceCount: MetricDefinition = defineMetric({
  name: 'aaisp_login_services',
  type: 'gauge',
  help: 'Control logins listed by login/services (more than one for manager and dealer logins).',
  unit: '',
  labels: [],
});

/** `login_services`: maps `login.services()` to its count. */
export const loginServices: Collector<readonly string[]> = {
  name: 'login_services',
  commands: ['login/services'],
  metrics: [loginServiceCount],
  collect: (logins, context: CollectContext) =>
    withAccount([sample(loginServiceCount, logins.length)], context),
};
