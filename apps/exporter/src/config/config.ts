/**
 * The exporter's configuration: `AAISP_EXPORTER_…` environment variables (the original design's
 * names, so an existing `.env` keeps working), `*_PASSWORD_FILE` secrets, and an optional YAML
 * file of named accounts. Validated with zod; every problem is reported at once, by variable,
 * and no secret is ever echoed.
 *
 * This module holds the public types and {@link loadConfig}, which only composes the parts:
 * - `settings.ts`: the plain variables and the collector enable flags;
 * - `default-account.ts`, `credentials.ts`, `secrets.ts`: the `AUTH__…` account and its rules;
 * - `accounts-file.ts`: the YAML accounts file (`CONFIG_FILE`);
 * - `web-config.ts`: the web-config file (TLS, basic auth, headers);
 * - `shard-config.ts`: the shard pair; `checks.ts`: checks across settings.
 *
 * @module
 */

import {
  accountParts,
  BINDINGS,
  type CollectorBinding,
  enableSettings,
  sourceSettings,
} from '../collectors/index.ts';
import type { AccountConfig } from '../model/account.ts';
import type { TierIntervals } from '../model/tiers.ts';
import { accountsFromFile } from './accounts-file.ts';
import {
  allDisabledProblem,
  duplicateNameProblems,
  logFormatProblem,
  noCredentialsProblem,
  tierOrderProblems,
} from './checks.ts';
import { defaultAccount } from './default-account.ts';
import type { ConfigProblem } from './problem.ts';
import {
  type Env,
  type LOG_FORMATS,
  type LOG_LEVELS,
  PREFIX,
  readSettings,
  type Settings,
  settingText,
} from './settings.ts';
import { type ShardConfig, shardFrom, shardPairProblem } from './shard-config.ts';
import { loadWebConfig, type WebConfigFile } from './web-config.ts';

// Defined where they are parsed or needed first; exported here, where the rest of the exporter looks.
export type { AccountConfig, CqmLineConfig } from '../model/account.ts';
export type { ConfigProblem } from './problem.ts';
export { LOG_FORMATS, LOG_LEVELS, PREFIX } from './settings.ts';

/** How the endpoints are protected: the web-config file, plus whether probes stay open. */
export interface WebConfig extends WebConfigFile {
  /** With basic auth on, `/health` and `/ready` still answer without credentials (orchestrator probes). */
  readonly healthOpen: boolean;
}

/** The validated configuration. Durations are in seconds, as configured. */
export interface ExporterConfig {
  readonly accounts: readonly AccountConfig[];
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** `POST /-/reload` is served (Prometheus' `--web.enable-lifecycle`); off by default. */
    readonly enableLifecycle: boolean;
  };
  /**
   * Where what must outlive a restart is written (each CQM line's position and totals, each
   * account's auth pause): `<dir>/state.json`. Absent: kept in memory only.
   */
  readonly state: { readonly dir?: string | undefined };
  readonly logging: {
    readonly level: (typeof LOG_LEVELS)[number];
    /** `logfmt` (the default) or `json`; `LOGGING__JSON=true` is the older way to ask for `json`. */
    readonly format: (typeof LOG_FORMATS)[number];
  };
  /** How often each tier runs (`../model/tiers.ts`); `cqmSeconds` is how often each line's CQM CSV is fetched. */
  readonly intervals: TierIntervals;
  readonly api: {
    readonly baseUrl: string;
    readonly timeoutSeconds: number;
    readonly maxRetries: number;
    readonly concurrencyLimit: number;
  };
  readonly collectors: {
    /**
     * Each collector enable flag (`broadband`, `telephony`, `login`, …: see the bindings in
     * `src/collectors/`) as set by `COLLECTORS__ENABLE_<FLAG>`; a flag left out takes its default.
     */
    readonly enabled: Readonly<Record<string, boolean>>;
    /** Add the `postcode` label to `aaisp_broadband_line_info` (personal data; off by default). */
    readonly includePostcode: boolean;
    /**
     * The settings the data sources declare (`DataSource.settings`), validated, by variable after
     * the prefix; one left unset is absent. Absent: none set.
     */
    readonly sourceSettings?: Readonly<Record<string, string>> | undefined;
  };
  /** TLS, basic auth and extra headers; `{ headers: {}, healthOpen: false }` is plain, open HTTP. */
  readonly web: WebConfig;
  /** Collect only this shard's share of `accounts` (Prometheus `hashmod`); absent: every account. */
  readonly shard?: ShardConfig | undefined;
}

/** The result of {@link loadConfig}: a config, or every problem found. */
export type ConfigResult =
  | { readonly ok: true; readonly config: ExporterConfig }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** What {@link loadConfig} reads. Injected, so tests need no real environment or files. */
export interface ConfigSources {
  readonly env: Env;
  /** Reads a file as UTF-8 text; throws when it cannot. */
  readonly readFile: (path: string) => string;
  /** `--demo`: credentials are not needed (the built-in mock serves the data). */
  readonly demo?: boolean;
}

/**
 * Reads and validates the configuration. Never throws for bad input: every problem comes back,
 * named by its variable, so the exporter can print them all and exit before listening.
 *
 * @example
 * ```ts
 * const result = loadConfig({ env: process.env, readFile: (path) => readFileSync(path, 'utf8') });
 * if (!result.ok) for (const { variable, message } of result.problems) console.error(`${variable}: ${message}`);
 * ```
 */
export function loadConfig(
  sources: ConfigSources,
  bindings: readonly CollectorBinding[] = BINDINGS,
): ConfigResult {
  const { env, readFile } = sources;
  const problems: ConfigProblem[] = [];
  const flags = enableSettings(bindings);
  const settings = readSettings(env, flags, problems, sourceSettings(bindings));
  const shardPair = shardPairProblem(env);
  if (shardPair !== undefined) problems.push(shardPair);

  const accounts: AccountConfig[] = [];
  const fromEnv = defaultAccount(env, readFile, problems);
  if (fromEnv !== undefined) accounts.push(fromEnv);
  const accountsFile = settingText(env, 'CONFIG_FILE');
  if (accountsFile !== undefined) {
    accounts.push(...accountsFromFile(accountsFile, readFile, problems, accountParts(bindings)));
  }
  const webFile = settingText(env, 'WEB__CONFIG_FILE');
  const web = webFile === undefined ? { headers: {} } : webFromFile(webFile, readFile, problems);

  problems.push(...duplicateNameProblems(accounts));
  // Only when nothing else is wrong: a broken credential already says what is missing.
  if (accounts.length === 0 && !sources.demo && problems.length === 0) problems.push(noCredentialsProblem());
  if (settings === undefined || problems.length > 0) return { ok: false, problems };

  // These compare valid values with each other, so they wait until every value is valid.
  problems.push(...tierOrderProblems(settings.fixed));
  const logFormat = logFormatProblem(settings.fixed);
  if (logFormat !== undefined) problems.push(logFormat);
  const allDisabled = allDisabledProblem(bindings, flags, settings.enabled, accounts);
  if (allDisabled !== undefined) problems.push(allDisabled);
  const shard = shardFrom(settings.fixed.SHARD__INDEX, settings.fixed.SHARD__COUNT, problems);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: assemble(settings, accounts, web, shard) };
}

/** Reads the web-config file, reporting its problems as `…WEB__CONFIG_FILE <path>: <field>`. */
function webFromFile(
  path: string,
  readFile: (path: string) => string,
  problems: ConfigProblem[],
): WebConfigFile {
  const variable = `${PREFIX}WEB__CONFIG_FILE`;
  const result = loadWebConfig(path, readFile);
  if (result.ok) return result.config;
  for (const problem of result.problems) {
    problems.push({
      variable: problem.field === '' ? variable : `${variable} ${path}: ${problem.field}`,
      message: problem.message,
    });
  }
  return { headers: {} };
}

/** The validated parts, shaped as {@link ExporterConfig}. */
function assemble(
  { fixed: s, enabled, sources }: Settings,
  accounts: readonly AccountConfig[],
  web: WebConfigFile,
  shard: ShardConfig | undefined,
): ExporterConfig {
  return {
    accounts,
    server: { host: s.SERVER__HOST, port: s.SERVER__PORT, enableLifecycle: s.WEB__ENABLE_LIFECYCLE },
    state: s.STATE__DIR === undefined ? {} : { dir: s.STATE__DIR },
    logging: { level: s.LOGGING__LEVEL, format: logFormatOf(s) },
    intervals: {
      fastSeconds: s.INTERVALS__FAST,
      mediumSeconds: s.INTERVALS__MEDIUM,
      slowSeconds: s.INTERVALS__SLOW,
      cqmSeconds: s.INTERVALS__CQM,
    },
    api: {
      baseUrl: s.API__BASE_URL,
      timeoutSeconds: s.API__TIMEOUT,
      maxRetries: s.API__MAX_RETRIES,
      concurrencyLimit: s.API__CONCURRENCY_LIMIT,
    },
    collectors: {
      enabled,
      includePostcode: s.COLLECTORS__INCLUDE_POSTCODE,
      ...(Object.keys(sources).length === 0 ? {} : { sourceSettings: sources }),
    },
    web: { ...web, healthOpen: s.WEB__HEALTH_OPEN },
    ...(shard === undefined ? {} : { shard }),
  };
}

/** LOGGING__FORMAT, else `json` when the older LOGGING__JSON is true, else logfmt. */
function logFormatOf(s: Settings['fixed']): (typeof LOG_FORMATS)[number] {
  return s.LOGGING__FORMAT ?? (s.LOGGING__JSON === true ? 'json' : 'logfmt');
}
