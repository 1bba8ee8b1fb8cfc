/**
 * The tier plan, derived from the collector bindings: which collectors run how often (the
 * exporter README's Tiers table). One `broadband/info` per account per fast run, whatever the
 * number of lines.
 *
 * @module
 */

import { BINDINGS, type CollectorBinding, isEnabled, targetsOf } from '../collectors/index.ts';
import type { ExporterConfig } from '../config/config.ts';
import type { AccountConfig } from '../model/account.ts';
import { TIERS, type TierName } from '../model/tiers.ts';

/** One tier: its interval, its collectors, and how long their data may be served. */
export interface TierPlan {
  readonly name: TierName;
  readonly intervalSeconds: number;
  /** Data older than this is dropped: 3 × the interval, so a single failed run (retried on the next tick) is ridden out. */
  readonly maxAgeSeconds: number;
  readonly collectors: readonly CollectorBinding[];
  /**
   * The accounts this tier runs for, when not every account: a tier whose every collector's source
   * needs per-account targets (per-line links) runs only for accounts that configure some.
   */
  readonly accounts?: readonly string[] | undefined;
}

/** How many intervals a series survives without a successful run. */
export const MAX_AGE_INTERVALS = 3;

/** Whether some collector of `collectors` has something to do for `account`. */
const collectsFor = (collectors: readonly CollectorBinding[], account: AccountConfig): boolean =>
  collectors.some((binding) => targetsOf(binding, account) > 0);

/**
 * Plans the tiers for a configuration: disabled collectors are left out, and a tier with nothing
 * to do is left out too (one whose sources have no target in any of `accounts`). Without
 * `accounts` (the docs' plan of every tier) every tier is planned as if every account had targets.
 */
export function planTiers(
  config: Pick<ExporterConfig, 'intervals' | 'collectors'>,
  bindings: readonly CollectorBinding[] = BINDINGS,
  accounts?: readonly AccountConfig[],
): TierPlan[] {
  const enabled = bindings.filter((binding) => isEnabled(binding, config.collectors.enabled));
  return TIERS.map(({ name, interval }): TierPlan => {
    const intervalSeconds = config.intervals[interval];
    const collectors = enabled.filter((binding) => binding.tier === name);
    // Only a tier whose every source needs targets can be narrowed: a CHAOS collector runs for all.
    const narrowed = collectors.every((binding) => binding.source.targetsOf !== undefined);
    const withTargets =
      accounts === undefined || !narrowed
        ? undefined
        : accounts.filter((account) => collectsFor(collectors, account)).map((account) => account.name);
    return {
      name,
      intervalSeconds,
      maxAgeSeconds: intervalSeconds * MAX_AGE_INTERVALS,
      collectors: withTargets?.length === 0 ? [] : collectors,
      ...(withTargets === undefined ? {} : { accounts: withTargets }),
    };
  }).filter((tier) => tier.collectors.length > 0);
}

/** The accounts `tier` runs for, out of every account this replica collects. */
export function tierAccounts(tier: TierPlan, all: readonly string[]): readonly string[] {
  return tier.accounts ?? all;
}
