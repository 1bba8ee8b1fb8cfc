/**
 * The tier table of design §6: which collectors run how often, and which CHAOS calls each run
 * makes. One `broadband/info` per account per fast run, whatever the number of lines.
 *
 * @module
 */

import type { ExporterConfig } from '../config/config.ts';

/** The three tiers. */
export type TierName = 'fast' | 'medium' | 'slow';

/** The collectors of `@aaisp/collectors` the exporter runs. */
export type CollectorName =
  | 'broadband_lines'
  | 'broadband_services'
  | 'login_services'
  | 'telephony_ratecard';

/** One tier: its interval, its collectors, and how long their data may be served. */
export interface TierPlan {
  readonly name: TierName;
  readonly intervalSeconds: number;
  /** Data older than this is dropped: 3 × the interval, so a single failed run (retried on the next tick) is ridden out. */
  readonly maxAgeSeconds: number;
  readonly collectors: readonly CollectorName[];
}

/** The CHAOS command each collector needs: exactly one call per account per run. */
export const COMMAND_OF: Readonly<Record<CollectorName, string>> = {
  broadband_lines: 'broadband/info',
  broadband_services: 'broadband/services',
  login_services: 'login/services',
  telephony_ratecard: 'telephony/ratecard',
};

/** How many intervals a series survives without a successful run. */
export const MAX_AGE_INTERVALS = 3;

/**
 * Plans the tiers for a configuration: disabled collectors are left out, and a tier with nothing
 * to do is left out too.
 */
export function planTiers(config: Pick<ExporterConfig, 'intervals' | 'collectors'>): TierPlan[] {
  const { intervals, collectors } = config;
  const tiers: { name: TierName; intervalSeconds: number; collectors: CollectorName[] }[] = [
    {
      name: 'fast',
      intervalSeconds: intervals.fastSeconds,
      collectors: collectors.broadband ? ['broadband_lines'] : [],
    },
    {
      name: 'medium',
      intervalSeconds: intervals.mediumSeconds,
      collectors: collectors.broadband ? ['broadband_services'] : [],
    },
    {
      name: 'slow',
      intervalSeconds: intervals.slowSeconds,
      collectors: [
        ...(collectors.login ? (['login_services'] as const) : []),
        ...(collectors.telephony ? (['telephony_ratecard'] as const) : []),
      ],
    },
  ];
  return tiers
    .filter((tier) => tier.collectors.length > 0)
    .map((tier) => ({ ...tier, maxAgeSeconds: tier.intervalSeconds * MAX_AGE_INTERVALS }));
}
