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
  sourceOf,
  TIER_NAMES,
  type TierName,
} from '../collectors/index.ts';
import type { AccountConfig, ExporterConfig } from '../config/config.ts';

export type { TierName } from '../collectors/index.ts';

/** One tier: its interval, its collectors, and how long their data may be served. */
export interface TierPlan {
  readonly name: TierName;
  readonly intervalSeconds: number;
  /** Data older than this is dropped: 3 × the interval, so a single failed run (retried on the next tick) is ridden out. */
  readonly maxAgeSeconds: number;
  readonly collectors: readonly CollectorBinding[];
  /**
   * The accounts this tier runs for, when not every account: the `cqm` tier runs only for accounts
   * with a CQM link configured.
   */
  readonly accounts?: readonly string[] | undefined;
}

/** How many intervals a series survives without a successful run. */
export const MAX_AGE_INTERVALS = 3;

const INTERVAL_OF: Readonly<Record<TierName, keyof ExporterConfig['intervals']>> = {
  fast: 'fastSeconds',
  medium: 'mediumSeconds',
  slow: 'slowSeconds',
  cqm: 'cqmSeconds',
};

/**
 * Plans the tiers for a configuration: disabled collectors are left out, and a tier with nothing
 * to do is left out too (the `cqm` tier when no account in `accounts` has a CQM link).
 */
export function planTiers(
  config: Pick<ExporterConfig, 'intervals' | 'collectors'>,
  bindings: readonly CollectorBinding[] = BINDINGS,
  accounts?: readonly AccountConfig[],
): TierPlan[] {
  const enabled = bindings.filter((binding) => isEnabled(binding, config.collectors.enabled));
  // CQM needs a link per line, which only the user can give (docs/chaos-api.md §11.2). Without
  // `accounts` (the docs' plan of every tier) the `cqm` tier is planned as if every account had one.
  const withCqm = accounts
    ?.filter((account) => (account.cqm?.length ?? 0) > 0)
    .map((account) => account.name);
  return TIER_NAMES.map((name): TierPlan => {
    const intervalSeconds = config.intervals[INTERVAL_OF[name]];
    const collectors = enabled.filter((binding) => binding.tier === name);
    const cqm = collectors.some((binding) => sourceOf(binding) === 'cqm');
    return {
      name,
      intervalSeconds,
      maxAgeSeconds: intervalSeconds * MAX_AGE_INTERVALS,
      collectors: cqm && withCqm?.length === 0 ? [] : collectors,
      ...(cqm && withCqm !== undefined ? { accounts: withCqm } : {}),
    };
  }).filter((tier) => tier.collectors.length > 0);
}

/** The accounts `tier` runs for, out of every account this replica collects. */
export function tierAccounts(tier: TierPlan, all: readonly string[]): readonly string[] {
  return tier.accounts ?? all;
}
