/**
 * What one configured account is: its name, its CHAOS credentials and the parts of its
 * configuration a data source reads. Part of the exporter's vocabulary (`model/`: types and
 * constants every layer may import, importing none of them): the data sources name an account,
 * and the configuration loader, which composes the sources, builds one.
 *
 * @module
 */

import type { ChaosAuth } from '@aaisp/chaos-client';

/** One line's CQM CSV link (docs/chaos-api.md §11.2). The URL is a secret: log only `maskCqmUrl(url)`. */
export interface CqmLineConfig {
  /** The A&A line ID the samples are labelled with (`line_id`). */
  readonly lineId: string;
  readonly url: string;
}

/** One CHAOS account to collect. */
export interface AccountConfig {
  /** `default` for the `AUTH__…` variables; the YAML name otherwise. Used as the `account` label. */
  readonly name: string;
  readonly auth: ChaosAuth;
  /** The account's lines with a CQM link, for the `cqm` collector; absent or empty: none. */
  readonly cqm?: readonly CqmLineConfig[] | undefined;
  /**
   * Names the operator gave lines, by A&A line ID (`{ "32001": "Home" }`), trimmed and checked:
   * the `name` label of `aaisp_broadband_line_info`, instead of the one derived from the CHAOS
   * title. Absent: every line keeps its derived name.
   */
  readonly lineNames?: Readonly<Record<string, string>> | undefined;
  /**
   * Each data source's part of the account's entry in the accounts file, by the source's
   * `accountPart.key`, as the source's schema validated it; the source reads its own part back with
   * that schema. Absent: none.
   */
  readonly parts?: Readonly<Record<string, unknown>> | undefined;
}
