/**
 * CHAOS as a data source: one command per collector and account, under the account's credentials,
 * so CHAOS refusing them pauses the account (the auth breaker).
 *
 * @module
 */

import type { DataSource } from './source.ts';

/** The CHAOS v2 API. A collector on it makes exactly one CHAOS call per run (docs/architecture.md). */
export const chaosSource: DataSource = {
  name: 'chaos',
  pausedByChaosAuth: true,
  targetsAtOnce: 1,
  callOf: ({ name, commands }) => {
    const [command, ...more] = commands;
    if (command === undefined || more.length > 0) {
      throw new Error(`collector ${name} must need exactly one CHAOS command`);
    }
    return command;
  },
};
