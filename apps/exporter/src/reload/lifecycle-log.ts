/**
 * The exporter's start and reload log lines: where it listens, what it collects and what a reload
 * changed, by account name and count, never a secret, a link or a user name.
 *
 * @module
 */

import type { Logger } from 'pino';
import type { AccountConfig } from '../model/account.ts';
import type { TierPlan } from '../schedule/tiers.ts';
import type { AccountChanges } from './account-changes.ts';
import { type Generation, names } from './generation.ts';
import type { ReloadTrigger } from './reload-status.ts';

/** The start-up log: where the exporter listens and what it collects, never a secret. */
export function logStarted(
  logger: Logger,
  started: { readonly url: string; readonly generation: Generation; readonly persistent: boolean },
): void {
  const { url, generation, persistent } = started;
  const { configured, accounts, shard, tiers } = generation;
  const { web } = generation.config;
  if (shard !== undefined && shard.accounts.length === 0) {
    logger.warn(
      { shard: { index: shard.index, count: shard.count }, configuredAccounts: configured.length },
      'this shard owns none of the configured accounts: it collects and serves nothing (more shards than accounts?)',
    );
  }
  logger.info(
    {
      url,
      // Sharded: the accounts this replica owns, which are all it collects.
      accounts: names(accounts),
      shard: shard === undefined ? null : { index: shard.index, count: shard.count },
      tiers: tiers.map((tier) => tier.name),
      // How many targets (e.g. lines with a link) each source has: the links themselves are secrets.
      targets: targetCounts(tiers, accounts),
      web: {
        ...webSummary(web),
        healthOpen: web.healthOpen,
        lifecycle: generation.config.server.enableLifecycle,
      },
      state: persistent ? generation.config.state.dir : null,
    },
    'exporter listening',
  );
}

/** The reload log line: account names by what happened to them, and the web policy; never a secret. */
export function logReloaded(
  logger: Logger,
  trigger: ReloadTrigger,
  generation: Generation,
  changes: AccountChanges,
  relabelled: boolean,
): void {
  const { web } = generation.config;
  logger.info(
    {
      trigger,
      accounts: {
        added: changes.added,
        removed: changes.removed,
        newCredentials: changes.credentials,
        changed: changes.changed,
        unchanged: changes.unchanged.length,
      },
      targets: targetCounts(generation.tiers, generation.accounts),
      ...(relabelled ? { accountLabel: generation.multiAccount ? 'added' : 'removed' } : {}),
      web: webSummary(web),
    },
    'configuration reloaded',
  );
}

/** Per planned source that needs targets (lines with a link, say), how many its accounts configure, by source name. */
export function targetCounts(
  tiers: readonly TierPlan[],
  accounts: readonly AccountConfig[],
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const binding of tiers.flatMap((tier) => tier.collectors)) {
    const { name, targetsOf } = binding.source;
    if (targetsOf === undefined || name in counts) continue;
    counts[name] = accounts.reduce((sum, account) => sum + targetsOf(account).length, 0);
  }
  return counts;
}

/** The endpoint protection in a log line: counts and policy only, no user names, hashes or keys. */
function webSummary(web: Generation['config']['web']) {
  return {
    tls: web.tls === undefined ? false : { clientAuth: web.tls.clientAuth },
    basicAuthUsers: web.basicAuthUsers?.size ?? 0,
  };
}
