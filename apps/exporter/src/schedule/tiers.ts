/**
 * The tier plan, derived from the collector bindings: which collectors run how often (the
 * exporter README's Tiers table). One `broadband/info` per account per fast run, whatever the
 * number of lines.
 *
 * @module
 */

import {
  BINDINGS,
  type CollectorBinding,
  isEnabled,
  TIER_NAMES,
  type TierName,
} from '../collectors/index.ts';
import type { ExporterConfig } from '../config/config.ts';

export type { TierName } from '../collectors/index.ts';

/** One tier: its interval, its collectors, and how long their data may be served. */
export interface TierPlan {
  readonly name: TierName;
  readonly intervalSeconds: number;
  /** Data older than this is dropped: 3 × the interval, so a single failed run (retried on the next tick) is ridden out. */
  readonly maxAgeSeconds: number;
  readonly collectors: readonly CollectorBinding[];
}

/** How many intervals a series survives without a successful run. */
export const MAX_AGE_INTERVALS = 3;

const INTERVAL_OF: Readonly<Record<TierName, keyof ExporterConfig['intervals']>> = {
  fast: 'fastSeconds',
  medium: 'mediumSeconds',
  slow: 'slowSeconds',
};

/**
 * Plans the tiers for a configuration: disabled collectors are left out, and a tier with nothing
 * to do is left out too.
 */
export function planTiers(
  config: Pick<ExporterConfig, 'intervals' | 'collectors'>,
  bindings: readonly CollectorBinding[] = BINDINGS,
): TierPlan[] {
  const enabled = bindings.filter((binding) => isEnabled(binding, config.collectors.enabled));
  return TIER_NAMES.map((name) => {
    const intervalSeconds = config.intervals[INTERVAL_OF[name]];
    return {
      name,
      intervalSeconds,
      maxAgeSeconds: intervalSeconds * MAX_AGE_INTERVALS,
      collectors: enabled.filter((binding) => binding.tier === name),
    };
  }).filter((tier) => tier.collectors.length > 0);
}
