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
import type { CqmLineConfig } from '../config/config.ts';

/**
 * The three CHAOS tiers, fastest first, and `cqm`: the line-quality CSVs, which are not CHAOS and
 * keep their own clock (docs/chaos-api.md §11.2).
 */
export type TierName = 'fast' | 'medium' | 'slow' | 'cqm';

/** The tiers in order: the CHAOS tiers fastest first, then `cqm`. */
export const TIER_NAMES: readonly TierName[] = ['fast', 'medium', 'slow', 'cqm'];

/**
 * Where a collector's data comes from. `chaos`: one CHAOS command per account, under the
 * account's credentials and auth breaker. `cqm`: each configured line's CQM CSV link, which needs
 * no CHAOS credentials, so a CHAOS refusal never pauses it and a CQM failure never touches CHAOS.
 */
export type DataSource = 'chaos' | 'cqm';

/** The pseudo-command a `cqm` collector's run is known by (logs, `/health`, the mock's scenarios). */
export const CQM_COMMAND = 'cqm/csv';

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

/** What a collector's runs may use: given once per planned collector, so state kept in its closure lives as long as the exporter. */
export interface BindingDeps {
  readonly logger: Logger;
  /** Add the `postcode` label where a collector has one (personal data; off by default). */
  readonly includePostcode: boolean;
  /** This collector's tier max age: what it remembers per line is served no longer than this. */
  readonly maxAgeMs: number;
  /** How CQM CSVs are fetched: the `API__TIMEOUT` and `API__MAX_RETRIES` rules, and a test's fetch. */
  readonly cqmFetch: {
    readonly timeoutMs: number;
    readonly retries: number;
    readonly fetch?: typeof globalThis.fetch | undefined;
  };
}

/** One run's input: the account's client and the context every sample is labelled with. */
export interface RunInput {
  readonly account: string;
  readonly client: ChaosClient;
  readonly signal: AbortSignal;
  /** Carries `account` only when several accounts are configured. */
  readonly context: CollectContext;
  /** The account's lines with a CQM link (empty when none); only `cqm` collectors use them. */
  readonly cqmLines: readonly CqmLineConfig[];
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
  /** `chaos` unless said otherwise; see {@link DataSource}. */
  readonly source?: DataSource | undefined;
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

/** Where the binding's data comes from. */
export const sourceOf = (binding: CollectorBinding): DataSource => binding.source ?? 'chaos';

/** The one `subsystem/command` a run calls ({@link CQM_COMMAND} for a `cqm` collector). */
export function commandOf(binding: CollectorBinding): string {
  if (sourceOf(binding) === 'cqm') return CQM_COMMAND;
  const [command, ...more] = binding.collector.commands;
  // A tier run makes exactly one CHAOS call per collector and account (docs/architecture.md).
  if (command === undefined || more.length > 0) {
    throw new Error(`collector ${nameOf(binding)} must need exactly one CHAOS command`);
  }
  return command;
}
