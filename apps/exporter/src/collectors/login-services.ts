/**
 * `login_services` on the slow tier: the control logins `login/services` lists.
 *
 * @module
 */

import { loginServices as collector } from '@aaisp/collectors';
import type { CollectorBinding } from './binding.ts';
import { chaosSource } from './chaos-source.ts';

/** The login inventory. Optional: an account may not offer the login subsystem. */
export const loginServices: CollectorBinding = {
  collector,
  summary: 'control logins count',
  source: chaosSource,
  tier: 'slow',
  enable: { flag: 'login', default: false },
  optional: true,
  start:
    () =>
    async ({ client, signal, context }) =>
      collector.collect(await client.login.services({ signal }), context),
};
