/**
 * What the exporter needs to know of one collector, in one place: the `@aaisp/collectors`
 * definition, its tier, the flag that turns it on, whether CHAOS may lack its command on an
 * account, and how one run calls CHAOS. node_exporter's `registerCollector(name, default,
 * factory)`, with the collector's CHAOS call beside it. Config flags, the tier plan, the command
 * table, the re-probe policy and the docs are all derived from the bindings (`./index.ts`).
 *
 * @module
 */

import type { ChaosClient } from '@aaisp/chaos-client';
import type { CollectContext, CollectorMetrics, Sample } from '@aaisp/collectors';
import type { Logger } from 'pino';

/** The three tiers, fastest first. */
export type TierName = 'fast' | 'medium' | 'slow';

/** The tiers in order, fastest first. */
export const TIER_NAMES: readonly TierName[] = ['fast', 'medium', 'slow'];

/**
 * The switch a collector is enabled by: `AAISP_EXPORTER_COLLECTORS__ENABLE_<FLAG>` (upper case).
 * Collectors may share a flag (`broadband` turns on both broadband collectors); they must then
 * agree on its default.
 */
export interface EnableFlag {
  /** Lower case, e.g. `broadband`. */
  readonly flag: string;
  readonly default: boolean;
}

/** What a run of any collector may use. One per exporter, so state kept in it is per exporter. */
export interface BindingDeps {
  readonly logger: Logger;
  /** Add the `postcode` label where a collector has one (personal data; off by default). */
  readonly includePostcode: boolean;
}

/** One run's input: the account's client and the context every sample is labelled with. */
export interface RunInput {
  readonly account: string;
  readonly client: ChaosClient;
  readonly signal: AbortSignal;
  /** Carries `account` only when several accounts are configured. */
  readonly context: CollectContext;
}

/** One run: makes the collector's single CHAOS call and maps the answer; throws on failure. */
export type CollectorRun = (input: RunInput) => Promise<Sample[]>;

/** A collector as the exporter runs it. */
export interface CollectorBinding {
  /** The pure collector: its name, its one CHAOS command and its metric definitions. */
  readonly collector: CollectorMetrics & { readonly commands: readonly string[] };
  /**
   * What the collector gathers, in a few words: lower case, no final full stop, e.g. `call rates`.
   * The exporter README prints it after the collector's name in its Tiers and collector switches
   * tables (`../docs/readme-tables.ts`).
   */
  readonly summary: string;
  readonly tier: TierName;
  readonly enable: EnableFlag;
  /**
   * HTTP 500 means "this account does not have it" (telephony without VoIP, docs/chaos-api.md §5):
   * the command is re-probed rarely instead of backed off. For other collectors a 500 is a passing
   * fault.
   */
  readonly optional: boolean;
  /** Creates the run function; anything it remembers between runs lives in its closure. */
  readonly start: (deps: BindingDeps) => CollectorRun;
}

/** The collector's name, as `aaisp_collector_success{collector}` and the logs show it. */
export const nameOf = (binding: CollectorBinding): string => binding.collector.name;

/** The one `subsystem/command` a run calls. */
export function commandOf(binding: CollectorBinding): string {
  const [command, ...more] = binding.collector.commands;
  // A tier run makes exactly one CHAOS call per collector and account (docs/architecture.md).
  if (command === undefined || more.length > 0) {
    throw new Error(`collector ${nameOf(binding)} must need exactly one CHAOS command`);
  }
  return command;
}
