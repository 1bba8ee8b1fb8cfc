/**
 * The tier plan, derived from the collector bindings: which collectors run how often (the
 * exporter README's Tiers table). One `broadband/info` per account per fast run, whatever the
 * number of lines.
 *
 * @module
 */

import { BINDINGS, type CollectorBinding, isEnabled, nameOf, targetsOf } from '../collectors/index.ts';
import type { ExporterConfig } from '../config/config.ts';
import type { AccountConfig } from '../model/account.ts';
import { jobKey } from '../model/job-key.ts';
import { TIERS, type TierName } from '../model/tiers.ts';

/** One tier: its interval, its collectors, and how long their data may be served. */
export interface TierPlan {
  readonly name: TierName;
  readonly intervalSeconds: number;
  /** Data older than this is dropped: 3 × the interval, so a single failed run (retried on the next tick) is ridden out. */
  readonly maxAgeSeconds: number;
  readonly collectors: readonly CollectorBinding[];
  /**
   * The accounts each collector whose source needs targets (per-line links, a feed's lines) runs for:
   * those that configure some. A collector not in the map runs for every account.
   */
  readonly accountsOf?: ReadonlyMap<CollectorBinding, readonly string[]> | undefined;
}

/** How many intervals a series survives without a successful run. */
export const MAX_AGE_INTERVALS = 3;

/**
 * Plans the tiers for a configuration: disabled collectors are left out, a collector whose source
 * has no target in any of `accounts` is left out, and a tier with nothing left to do is left out
 * too. Without `accounts` (the docs' plan of every tier) every collector is planned as if every
 * account had targets.
 */
export function planTiers(
  config: Pick<ExporterConfig, 'intervals' | 'collectors'>,
  bindings: readonly CollectorBinding[] = BINDINGS,
  accounts?: readonly AccountConfig[],
): TierPlan[] {
  const enabled = bindings.filter((binding) => isEnabled(binding, config.collectors.enabled));
  return TIERS.map(({ name, interval }): TierPlan => {
    const intervalSeconds = config.intervals[interval];
    const accountsOf = new Map<CollectorBinding, readonly string[]>();
    const collectors = enabled.filter((binding) => {
      if (binding.tier !== name) return false;
      if (accounts === undefined || binding.source.targetsOf === undefined) return true;
      const withTargets = accounts.filter((account) => targetsOf(binding, account) > 0);
      accountsOf.set(
        binding,
        withTargets.map((account) => account.name),
      );
      return withTargets.length > 0;
    });
    return {
      name,
      intervalSeconds,
      maxAgeSeconds: intervalSeconds * MAX_AGE_INTERVALS,
      collectors,
      ...(accountsOf.size === 0 ? {} : { accountsOf }),
    };
  }).filter((tier) => tier.collectors.length > 0);
}

/** The accounts `collector` of `tier` runs for, out of every account this replica collects. */
export function jobAccounts(
  tier: TierPlan,
  collector: CollectorBinding,
  all: readonly string[],
): readonly string[] {
  return tier.accountsOf?.get(collector) ?? all;
}

/** The accounts some collector of `tier` runs for, in the order of `all`. */
export function tierAccounts(tier: TierPlan, all: readonly string[]): readonly string[] {
  return all.filter((account) =>
    tier.collectors.some((collector) => jobAccounts(tier, collector, all).includes(account)),
  );
}

/** Every job (account and collector) of `tier`, accounts in the order of `all`, then collectors. */
export function tierJobs(
  tier: TierPlan,
  all: readonly string[],
): { readonly account: string; readonly collector: CollectorBinding }[] {
  return all.flatMap((account) =>
    tier.collectors
      .filter((collector) => jobAccounts(tier, collector, all).includes(account))
      .map((collector) => ({ account, collector })),
  );
}

/** The key ({@link jobKey}) of every job the tiers plan for `accounts`: what a reload keeps. */
export function plannedJobKeys(tiers: readonly TierPlan[], accounts: readonly string[]): Set<string> {
  return new Set(
    tiers.flatMap((tier) =>
      tierJobs(tier, accounts).map(({ account, collector }) => jobKey(account, nameOf(collector))),
    ),
  );
}
