/**
 * Every `AAISP_EXPORTER_…` variable the exporter itself reads, in the order the docs list them,
 * with what it takes and what it does. The README's Configuration table and `--help` are both
 * rendered from this list, and defaults and ranges come from the parsers in `settings.ts`, so
 * neither can drift from what the loader validates. The collector switches and the data sources'
 * own settings are not here: they come from the bindings (`enableSettings`, `sourceSettings`).
 *
 * @module
 */

import { fixedDefaults, LOG_FORMATS, LOG_LEVELS, RANGES, rangeText } from './settings.ts';

/** One variable, as the docs show it. `allowed` and `meaning` are Markdown (code spans, links). */
export interface SettingEntry {
  /** After the prefix, e.g. `SERVER__PORT`. */
  readonly variable: string;
  /** What it takes. */
  readonly allowed: string;
  /** What it does. */
  readonly meaning: string;
  /**
   * The default as the docs show it, only where the parser has none to show (a variable read
   * outside `settings.ts`, or one whose default depends on another); else the parser's default.
   */
  readonly defaultText?: string;
}

const levels = LOG_LEVELS.map((level) => `\`${level}\``).join(', ');
const formats = LOG_FORMATS.map((format) => `\`${format}\``).join(', ');

/** Every variable, in the docs' order. */
export const SETTING_CATALOG: readonly SettingEntry[] = [
  {
    variable: 'AUTH__CONTROL_LOGIN',
    allowed:
      'contains `@`; with the control password, not a line login (ending in `.` and digits, e.g. `ab123@a.1`)',
    meaning: 'base control login, e.g. `ab123@a` (not a line login `ab123@a.1`)',
  },
  { variable: 'AUTH__CONTROL_PASSWORD', allowed: '', meaning: 'its password' },
  {
    variable: 'AUTH__CONTROL_PASSWORD_FILE',
    allowed: 'readable, non-empty file',
    meaning:
      'file holding the control password (one trailing newline removed); not together with `…_CONTROL_PASSWORD`',
  },
  {
    variable: 'AUTH__ACCOUNT_NUMBER',
    allowed: '',
    meaning: 'account number, e.g. `A1234A`; with the account password, instead of the control pair',
  },
  { variable: 'AUTH__ACCOUNT_PASSWORD', allowed: '', meaning: 'account password' },
  {
    variable: 'AUTH__ACCOUNT_PASSWORD_FILE',
    allowed: 'readable, non-empty file',
    meaning: 'file holding the account password; not together with `…_ACCOUNT_PASSWORD`',
  },
  {
    variable: 'CONFIG_FILE',
    allowed: 'readable YAML',
    meaning: 'several named accounts ([accounts file](#several-accounts-aaisp_exporter_config_file))',
  },
  {
    variable: 'LINES__NAMES_FILE',
    allowed: 'readable file, one `line_id name` a line',
    meaning:
      "names for the `default` account's lines, shown on the status page and as `aaisp_broadband_line_info`'s `name` label, in place of the name taken from CHAOS",
  },
  {
    variable: 'WEB__CONFIG_FILE',
    allowed: 'readable YAML, exporter-toolkit web-config format',
    meaning:
      'TLS, basic auth and extra response headers ([protecting the endpoint](#protecting-the-endpoint))',
  },
  {
    variable: 'WEB__HEALTH_OPEN',
    allowed: 'boolean',
    meaning:
      'with basic auth on, `/health`, `/ready`, `/-/healthy` and `/-/ready` still answer without credentials (for orchestrator probes); `/metrics` and `/` never do',
  },
  {
    variable: 'WEB__ENABLE_LIFECYCLE',
    allowed: 'boolean',
    meaning:
      "serve `POST /-/reload` (Prometheus' `--web.enable-lifecycle`), behind the same TLS and basic auth as every path ([reloading](#reloading))",
  },
  {
    variable: 'STATE__DIR',
    allowed: 'a directory the exporter may write (created if missing)',
    meaning:
      "keep each CQM line's counters and each account's auth pause in `DIR/state.json` across restarts ([state](#state-across-restarts))",
  },
  {
    variable: 'SERVER__HOST',
    allowed: 'not empty',
    meaning: 'address to listen on (`127.0.0.1` for loopback only)',
  },
  {
    variable: 'SERVER__PORT',
    allowed: rangeText(RANGES.SERVER__PORT),
    meaning: 'port to listen on; `0` picks a free port, shown in the `exporter listening` log line',
  },
  { variable: 'LOGGING__LEVEL', allowed: levels, meaning: 'least severe level logged' },
  {
    variable: 'LOGGING__FORMAT',
    allowed: formats,
    meaning:
      'how log lines are written: logfmt for people and most log stores, JSON for log shippers that want it',
    defaultText: '`logfmt`',
  },
  {
    variable: 'LOGGING__JSON',
    allowed: 'boolean',
    meaning:
      'the older switch: `true` is `LOGGING__FORMAT=json` (refused beside another `LOGGING__FORMAT`; `--log.format` overrides it)',
    defaultText: '`false`',
  },
  { variable: 'INTERVALS__FAST', allowed: rangeText(RANGES.INTERVALS__FAST), meaning: 'fast tier interval' },
  {
    variable: 'INTERVALS__MEDIUM',
    allowed: `${rangeText(RANGES.INTERVALS__MEDIUM)}, ≥ fast`,
    meaning: 'medium tier interval',
  },
  {
    variable: 'INTERVALS__SLOW',
    allowed: `${rangeText(RANGES.INTERVALS__SLOW)}, ≥ medium`,
    meaning: 'slow tier interval',
  },
  {
    variable: 'INTERVALS__CQM',
    allowed: rangeText(RANGES.INTERVALS__CQM),
    meaning: "how often each line's CQM CSV is fetched ([line quality](#line-quality-from-aas-cqm))",
  },
  {
    variable: 'CQM__URLS_FILE',
    allowed: 'readable file, one `line_id url` a line',
    meaning:
      "the `default` account's CQM links ([line quality](#line-quality-from-aas-cqm)); the file is a secret",
  },
  {
    variable: 'API__BASE_URL',
    allowed: '`https://`; plain `http://` only for `localhost`, `127.x.x.x` or `[::1]`',
    meaning: 'CHAOS address (change it only for a local fake CHAOS)',
  },
  {
    variable: 'API__TIMEOUT',
    allowed: rangeText(RANGES.API__TIMEOUT),
    meaning: 'time allowed for each CHAOS HTTP attempt',
  },
  {
    variable: 'API__MAX_RETRIES',
    allowed: rangeText(RANGES.API__MAX_RETRIES),
    meaning:
      'retries after the first attempt, only for network errors, timeouts and HTTP 408/429/502/503/504',
  },
  {
    variable: 'API__CONCURRENCY_LIMIT',
    allowed: rangeText(RANGES.API__CONCURRENCY_LIMIT),
    meaning: 'CHAOS requests in flight at most, across all accounts and tiers',
  },
  {
    variable: 'SHARD__COUNT',
    allowed: `${rangeText(RANGES.SHARD__COUNT)}; with \`SHARD__INDEX\``,
    meaning: 'the number of shards (replicas) sharing the accounts ([shards](#several-replicas-shards))',
  },
  {
    variable: 'SHARD__INDEX',
    allowed: '0 to `SHARD__COUNT` − 1; with `SHARD__COUNT`',
    meaning:
      "this replica's shard: it collects and serves only the accounts Prometheus' `hashmod` (modulus `SHARD__COUNT`) puts at this index",
  },
  {
    variable: 'COLLECTORS__INCLUDE_POSTCODE',
    allowed: 'boolean',
    meaning:
      'add a `postcode` label to `aaisp_broadband_line_info`. Postcodes are personal data: they stay out of logs, the status page, `/health` and the `name` label either way (CHAOS titles a line "POSTCODE LOGIN"; `name` is that title without the postcode, `""` when only the login is left)',
  },
];

/**
 * The default of `entry` as the docs show it: its own `defaultText`, else the parser's default as
 * a code span, else `–` (none).
 */
export function defaultOf(entry: SettingEntry): string {
  if (entry.defaultText !== undefined) return entry.defaultText;
  const value = fixedDefaults()[entry.variable];
  return value === undefined ? '–' : `\`${String(value)}\``;
}
