/**
 * A&A's CQM CSVs as a data source (docs/chaos-api.md §11.2): one link per line, given by the user
 * (`cqm:` in the accounts file, or `CQM__URLS_FILE`). The link's secret is its only credential, so
 * CHAOS refusing the account's credentials never pauses it, and a CQM failure never touches CHAOS.
 *
 * @module
 */

import type { DataSource } from './source.ts';

/** The pseudo-command a CQM run is known by: the call table, `record`'s files, the mock's scenarios. */
export const CQM_COMMAND = 'cqm/csv';

/** Lines fetched at once per account: gentle with A&A's control server. */
const LINES_AT_ONCE = 4;

/** Each configured line's CQM CSV link. */
export const cqmSource: DataSource = {
  name: 'cqm',
  pausedByChaosAuth: false,
  targetsAtOnce: LINES_AT_ONCE,
  targetsOf: (account) => (account.cqm ?? []).map((line) => line.lineId),
  callOf: () => CQM_COMMAND,
  docs: {
    tiersCall: 'none: one CQM CSV per configured line',
    switchCall: "A&A's CQM CSV, not CHAOS",
    command: "none: A&A's CQM CSV",
    optional: 'only for lines with a CQM link configured',
    sentence:
      "Source: A&A's CQM CSV (not CHAOS), one GET per configured line on each run. It runs only for lines with a CQM link configured (see [line quality](../apps/exporter/README.md#line-quality-from-aas-cqm) in the exporter README), makes no CHAOS call and needs no CHAOS credentials, so a CHAOS auth pause never stops it.",
  },
};
