/**
 * A data source: where a collector's data comes from, and what that means to the rest of the
 * exporter. The scheduler, job runner, tier plan, self-metrics and docs ask the source; none of
 * them knows a source by name. CHAOS is one source (`./chaos-source.ts`), A&A's CQM CSVs another
 * (`./cqm-source.ts`); a new one is one more object like them.
 *
 * @module
 */

import type * as z from 'zod';
import type { AccountConfig } from '../model/account.ts';

/** The collector a source is asked about: its name and the CHAOS commands it declares. */
export interface SourcedCollector {
  readonly name: string;
  readonly commands: readonly string[];
}

/**
 * A setting a source reads besides its collectors' enable flag: `AAISP_EXPORTER_<variable>`,
 * validated with the rest of the configuration (a bad value is a problem named by its variable,
 * and the exporter does not start). The run sees the validated text (`BindingDeps.setting`).
 */
export interface SourceSetting {
  /** After the `AAISP_EXPORTER_` prefix, upper case, e.g. `FEED__URL`. */
  readonly variable: string;
  /** What it sets, for the docs' "meaning" column. */
  readonly description: string;
  /** What it takes, for the docs' "allowed" column, e.g. `http(s) URL`. */
  readonly allowed: string;
  /**
   * Checks the text (trimmed; unset, empty and blank never reach it) and returns it as the run
   * reads it (`BindingDeps.setting`).
   */
  readonly schema: z.ZodType<string, string>;
}

/**
 * A source's part of each account in the accounts file (`CONFIG_FILE`): the value under `key` in
 * an account's entry, validated with `schema` (a bad one is a problem named
 * `accounts.<n>.<key>.<field>`, and the exporter does not start), kept on
 * `AccountConfig.parts[key]`. Per account, so two accounts can name different targets (lines,
 * links). The source reads it back with the same schema.
 */
export interface AccountPart {
  /** The key under an account, lower case, e.g. `feed`. Not one of the account's own fields. */
  readonly key: string;
  /** What it holds, for the docs. */
  readonly description: string;
  readonly schema: z.ZodType;
}

/** How the docs name a source other than CHAOS, whose collectors have no CHAOS command to show. */
export interface SourceDocs {
  /** The README Tiers table's "CHAOS call per account per run" cell. */
  readonly tiersCall: string;
  /** How the README's collector switches name the call, in `(tier, …)`. */
  readonly switchCall: string;
  /** The metrics reference's "CHAOS command" cell. */
  readonly command: string;
  /** The metrics reference's "optional" cell: when the collector runs at all. */
  readonly optional: string;
  /** The metrics reference's line under the collector's heading. */
  readonly sentence: string;
}

/** Where a collector's data comes from. */
export interface DataSource {
  /** Its name in logs and the start-up line, e.g. `chaos`, `cqm`. */
  readonly name: string;
  /**
   * Whether CHAOS refusing an account's credentials pauses this source's runs for the account (its
   * auth breaker). Only a source that sends those credentials should be: a CQM link needs none.
   */
  readonly pausedByChaosAuth: boolean;
  /** How many of one account's targets (lines, links) one run fetches at once. */
  readonly targetsAtOnce: number;
  /**
   * The targets `account` configures for this source, by ID (e.g. CQM's line IDs): what its runs
   * remember per target (`BindingDeps.memory`) is kept for these and forgotten for the others after
   * a reload. Absent: the account itself is the one target (CHAOS). None: the source has nothing
   * to do for the account, so its collectors do not run for it, and a collector with no account
   * left is not planned.
   */
  readonly targetsOf?: ((account: AccountConfig) => readonly string[]) | undefined;
  /**
   * What one run of `collector` calls, as the docs and the call table name it: the CHAOS command,
   * or a pseudo-command such as `cqm/csv`. Throws when the collector does not fit the source (a
   * programming error, caught by the tests).
   */
  readonly callOf: (collector: SourcedCollector) => string;
  /** Settings the source reads from the environment; absent: none. */
  readonly settings?: readonly SourceSetting[] | undefined;
  /** The source's part of each account in the accounts file; absent: none. */
  readonly accountPart?: AccountPart | undefined;
  /**
   * How the docs describe a source whose collectors have no CHAOS command; required then (the
   * bindings' checks fail without it), absent for CHAOS.
   */
  readonly docs?: SourceDocs | undefined;
}
