/**
 * What the exporter needs to know of one collector, in one place: the `@aaisp/collectors`
 * definition, its data source, its tier, the flag that turns it on, whether CHAOS may lack its
 * command on an account, and how one run gathers its data. node_exporter's
 * `registerCollector(name, default, factory)`, with the collector's source beside it. Config
 * flags, the tier plan, the call table, the re-probe policy and the docs are all derived from the
 * bindings (`./index.ts`).
 *
 * @module
 */

import type { ChaosClient } from '@aaisp/chaos-client';
import type { CollectContext, CollectorMetrics, Sample } from '@aaisp/collectors';
import type { Logger } from 'pino';
import type { AccountConfig } from '../model/account.ts';
import type { JsonValue } from '../model/json.ts';
import type { TierName } from '../model/tiers.ts';
import type { DataSource } from './source.ts';

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

/** How a source other than CHAOS fetches over HTTP: the `API__TIMEOUT` and `API__MAX_RETRIES` rules. */
export interface FetchPolicy {
  readonly timeoutMs: number;
  readonly retries: number;
  /** Sent as `User-Agent`, e.g. `aaisp-exporter/1.2.3`; absent: the SDK's. */
  readonly userAgent?: string | undefined;
  /** A test's fetch; absent: the global one. */
  readonly fetch?: typeof globalThis.fetch | undefined;
}

/**
 * What a source remembers of each target (a CQM line's position and totals), by account and target
 * ID (`DataSource.targetsOf`). It outlives the run and a reload, and with `STATE__DIR` a restart:
 * what `get` returns may have been written by an older exporter, so the run validates it. It must
 * hold no secret and no link. Forgotten for targets and accounts no longer configured.
 */
export interface TargetMemory {
  /** What was last remembered of `target` of `account`; `undefined` when nothing was. */
  get(account: string, target: string): unknown;
  /** Remembers `value` for `target` of `account`, replacing what was. */
  set(account: string, target: string, value: JsonValue): void;
}

/** What a collector's runs may use: given once per planned collector, so state kept in its closure lives as long as the exporter. */
export interface BindingDeps {
  readonly logger: Logger;
  /** Add the `postcode` label where a collector has one (personal data; off by default). */
  readonly includePostcode: boolean;
  /** This collector's tier max age: what it remembers per target is served no longer than this. */
  readonly maxAgeMs: number;
  /** How a source other than CHAOS fetches (CHAOS clients carry their own). */
  readonly fetchPolicy: FetchPolicy;
  /** The exporter's clock, ms since the epoch. */
  readonly now: () => number;
  /**
   * Runs `task` over `targets`, at most the source's `targetsAtOnce` at a time, results in order.
   * Aborting `signal`, or a task rejecting, stops starting new ones (the result rejects).
   */
  readonly eachTarget: <T, R>(
    targets: readonly T[],
    task: (target: T) => Promise<R>,
    signal: AbortSignal,
  ) => Promise<R[]>;
  /** The validated text of one of the source's settings (`DataSource.settings`), if set. */
  readonly setting: (variable: string) => string | undefined;
  /** What the source remembers per target, across runs, reloads and (with `STATE__DIR`) restarts. */
  readonly memory: TargetMemory;
}

/** One run's input: the account, its client and the context every sample is labelled with. */
export interface RunInput {
  /** The account's name. */
  readonly account: string;
  /** The account as configured: a source that needs per-line links finds its own part here. */
  readonly accountConfig: AccountConfig;
  /** The account's CHAOS client (unused by sources that are not CHAOS). */
  readonly client: ChaosClient;
  readonly signal: AbortSignal;
  /** Carries `account` only when several accounts are configured. */
  readonly context: CollectContext;
}

/** One run: gathers the collector's data from its source and maps it; throws on failure. */
export type CollectorRun = (input: RunInput) => Promise<Sample[]>;

/** A collector as the exporter runs it. */
export interface CollectorBinding {
  /** The pure collector: its name, its CHAOS commands (none for another source) and its metric definitions. */
  readonly collector: CollectorMetrics & { readonly commands: readonly string[] };
  /**
   * What the collector gathers, in a few words: lower case, no final full stop, e.g. `call rates`.
   * The exporter README prints it after the collector's name in its Tiers and collector switches
   * tables (`../docs/readme-tables.ts`).
   */
  readonly summary: string;
  /** Where the data comes from: CHAOS (`./chaos-source.ts`) or another {@link DataSource}. */
  readonly source: DataSource;
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

/** What one run calls, as its source names it: a CHAOS command, or e.g. `cqm/csv`. */
export const callOf = (binding: CollectorBinding): string => binding.source.callOf(binding.collector);

/** How many targets `account` gives the binding's source (1 for a source that needs none). */
export const targetsOf = (binding: CollectorBinding, account: AccountConfig): number =>
  binding.source.targetsOf?.(account).length ?? 1;
