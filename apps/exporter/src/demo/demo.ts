/**
 * Demo mode: a `@aaisp/chaos-mock` server on loopback stands in for CHAOS, with one account that
 * the mock accepts. Used by `--demo` (serve) and `record --demo`.
 *
 * @module
 */

import { DEFAULT_CREDENTIALS, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import type { AccountConfig, CqmLineConfig } from '../config/config.ts';

/** Every line of a mock with its CQM link, as an account's `cqm` configuration. */
export function mockCqmLines(mock: Pick<RunningChaosMock, 'cqmUrls'>): CqmLineConfig[] {
  return [...mock.cqmUrls()].map(([lineId, url]) => ({ lineId, url }));
}

/** A running demo CHAOS and the account to use against it. */
export interface DemoChaos {
  readonly mock: RunningChaosMock;
  readonly baseUrl: string;
  readonly accounts: readonly AccountConfig[];
}

/**
 * Starts the demo CHAOS: the mock's default seven lines, the smallest set with every kind of line
 * (one without a download sync rate, as a 2024 capture showed), each with its mock CQM CSV.
 */
export async function startDemoChaos(): Promise<DemoChaos> {
  const mock = await startChaosMock({ host: '127.0.0.1' });
  return {
    mock,
    baseUrl: mock.url,
    accounts: [
      {
        name: 'demo',
        auth: {
          controlLogin: DEFAULT_CREDENTIALS.controlLogin,
          controlPassword: DEFAULT_CREDENTIALS.controlPassword,
        },
        // Every mock line's CQM link (fake secrets), so the demo shows line quality too.
        cqm: mockCqmLines(mock),
      },
    ],
  };
}
