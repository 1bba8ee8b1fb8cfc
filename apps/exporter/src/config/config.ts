/**
 * The exporter's configuration: `AAISP_EXPORTER_…` environment variables (the original design's
 * names, so an existing `.env` keeps working), `*_PASSWORD_FILE` secrets, and an optional YAML
 * file of named accounts. Validated with zod; every problem is reported at once, by variable,
 * and no secret is ever echoed.
 *
 * @module
 */

import type { ChaosAuth } from '@aaisp/chaos-client';
import * as z from 'zod';
import {
  BINDINGS,
  type CollectorBinding,
  type EnableSetting,
  enableSettings,
  isEnabled,
} from '../collectors/index.ts';
import type { ShardConfig } from '../schedule/shard.ts';
import { loadWebConfig, type WebConfigFile } from './web-config.ts';
import { cannotRead, notValidYaml, parseYamlText } from './yaml-file.ts';

/** The prefix of every variable. */
export const PREFIX = 'AAISP_EXPORTER_';

/** Log levels pino knows. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One CHAOS account to collect. */
export interface AccountConfig {
  /** `default` for the `AUTH__…` variables; the YAML name otherwise. Used as the `account` label. */
  readonly name: string;
  readonly auth: ChaosAuth;
}

/** How the endpoints are protected: the web-config file, plus whether probes stay open. */
export interface WebConfig extends WebConfigFile {
  /** With basic auth on, `/health` and `/ready` still answer without credentials (orchestrator probes). */
  readonly healthOpen: boolean;
}

/** The validated configuration. Durations are in seconds, as configured. */
export interface ExporterConfig {
  readonly accounts: readonly AccountConfig[];
  readonly server: { readonly host: string; readonly port: number };
  readonly logging: { readonly level: (typeof LOG_LEVELS)[number]; readonly json: boolean };
  readonly intervals: {
    readonly fastSeconds: number;
    readonly mediumSeconds: number;
    readonly slowSeconds: number;
  };
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
  };
  /** TLS, basic auth and extra headers; `{ headers: {}, healthOpen: false }` is plain, open HTTP. */
  readonly web: WebConfig;
  /** Collect only this shard's share of `accounts` (Prometheus `hashmod`); absent: every account. */
  readonly shard?: ShardConfig | undefined;
}

/** One thing wrong with the configuration: which variable (or file field), and why. */
export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

/** The result of {@link loadConfig}: a config, or every problem found. */
export type ConfigResult =
  | { readonly ok: true; readonly config: ExporterConfig }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** What {@link loadConfig} reads. Injected, so tests need no real environment or files. */
export interface ConfigSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a file as UTF-8 text; throws when it cannot. */
  readonly readFile: (path: string) => string;
  /** `--demo`: credentials are not needed (the built-in mock serves the data). */
  readonly demo?: boolean;
}

function wholeNumber(min: number, max: number): z.ZodType<number, string> {
  return z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((value) => value >= min && value <= max, `must be between ${min} and ${max}`);
}

const booleanText: z.ZodType<boolean, string> = z
  .string()
  .trim()
  .toLowerCase()
  .refine(
    (text) => ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(text),
    'must be true or false',
  )
  .transform((text) => ['true', '1', 'yes', 'on'].includes(text));

const baseUrl: z.ZodType<string, string> = z
  .string()
  .trim()
  .refine((text) => URL.canParse(text), { error: 'must be a URL', abort: true })
  .refine((text) => {
    const url = new URL(text);
    return (
      url.protocol === 'https:' ||
      (url.protocol === 'http:' && /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname))
    );
  }, 'must be https:// (plain http:// only for localhost)')
  .refine((text) => {
    const url = new URL(text);
    return url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  }, 'must not carry credentials, a query or a fragment (credentials go in AUTH__ variables)');

/** Each variable after the prefix, its parser and default; the collector flags are added per binding. */
const Settings = z.object({
  SERVER__HOST: z.string().trim().min(1, 'must not be empty').default('0.0.0.0'),
  // 0 picks a free port (tests, side-by-side runs); the address is logged at start.
  SERVER__PORT: wholeNumber(0, 65535).default(9099),
  LOGGING__LEVEL: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }))
    .default('info'),
  LOGGING__JSON: booleanText.default(false),
  // Bounds from the original design: a faster tier would hammer CHAOS for no new data.
  INTERVALS__FAST: wholeNumber(10, 3600).default(60),
  INTERVALS__MEDIUM: wholeNumber(60, 3600).default(300),
  INTERVALS__SLOW: wholeNumber(300, 7200).default(900),
  API__BASE_URL: baseUrl.default('https://chaos2.aa.net.uk'),
  API__TIMEOUT: wholeNumber(1, 300).default(30),
  API__MAX_RETRIES: wholeNumber(0, 10).default(3),
  API__CONCURRENCY_LIMIT: wholeNumber(1, 100).default(5),
  COLLECTORS__INCLUDE_POSTCODE: booleanText.default(false),
  WEB__HEALTH_OPEN: booleanText.default(false),
  // Bounds: a thousand replicas is far past any real deployment; INDEX < COUNT is checked below.
  SHARD__INDEX: wholeNumber(0, 999).optional(),
  SHARD__COUNT: wholeNumber(1, 1000).optional(),
});

/** One `COLLECTORS__ENABLE_<FLAG>` per enable flag of `bindings`, with the flag's default. */
function flagSettingsOf(flags: readonly EnableSetting[]) {
  return z.object(
    Object.fromEntries(flags.map((setting) => [setting.variable, booleanText.default(setting.default)])),
  );
}

const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** Credential fields as they appear in env (after the prefix) or in a YAML account. */
interface CredentialFields {
  readonly controlLogin?: string | undefined;
  readonly controlPassword?: string | undefined;
  readonly accountNumber?: string | undefined;
  readonly accountPassword?: string | undefined;
}

/**
 * Reads a secret from `value` or from the file named by `file`, never both. Docker and Kubernetes
 * secret files usually end in a newline, which is not part of the password.
 */
function secret(
  value: string | undefined,
  file: string | undefined,
  names: { readonly value: string; readonly file: string },
  sources: ConfigSources,
  problems: ConfigProblem[],
): string | undefined {
  if (value !== undefined && file !== undefined) {
    problems.push({ variable: names.value, message: `set either ${names.value} or ${names.file}, not both` });
    return undefined;
  }
  if (file === undefined) return value === '' ? undefined : value;
  try {
    const text = sources.readFile(file).replace(/\r?\n$/, '');
    if (text === '') problems.push({ variable: names.file, message: `file ${file} is empty` });
    return text === '' ? undefined : text;
  } catch (error) {
    problems.push({ variable: names.file, message: cannotRead(file, error) });
    return undefined;
  }
}

/** Turns credential fields into a ChaosAuth, or reports what is missing. */
function toAuth(
  fields: CredentialFields,
  label: (field: string) => string,
  problems: ConfigProblem[],
): ChaosAuth | undefined {
  const { controlLogin, controlPassword, accountNumber, accountPassword } = fields;
  if (accountNumber !== undefined || accountPassword !== undefined) {
    if (accountNumber === undefined)
      problems.push({ variable: label('ACCOUNT_NUMBER'), message: 'is required with the account password' });
    if (accountPassword === undefined)
      problems.push({ variable: label('ACCOUNT_PASSWORD'), message: 'is required with the account number' });
    if (controlPassword !== undefined) {
      problems.push({
        variable: label('CONTROL_PASSWORD'),
        message: 'set either the control login pair or the account pair, not both',
      });
    }
    if (accountNumber === undefined || accountPassword === undefined) return undefined;
    return { accountNumber, accountPassword, ...(controlLogin === undefined ? {} : { controlLogin }) };
  }
  if (controlLogin === undefined && controlPassword === undefined) return undefined;
  if (controlLogin === undefined)
    problems.push({ variable: label('CONTROL_LOGIN'), message: 'is required with the control password' });
  if (controlPassword === undefined)
    problems.push({ variable: label('CONTROL_PASSWORD'), message: 'is required with the control login' });
  if (controlLogin === undefined || controlPassword === undefined) return undefined;
  if (!controlLogin.includes('@')) {
    problems.push({ variable: label('CONTROL_LOGIN'), message: 'must be a control login such as ab123@a' });
    return undefined;
  }
  if (/\.\d+$/.test(controlLogin)) {
    problems.push({
      variable: label('CONTROL_LOGIN'),
      message: 'is a line login (ends in .n); use the base control login, e.g. ab123@a',
    });
    return undefined;
  }
  return { controlLogin, controlPassword };
}

const YamlAccount = z.object({
  name: z.string().regex(ACCOUNT_NAME, 'must be letters, digits, - or _ (at most 63)'),
  control_login: z.string().optional(),
  control_password: z.string().optional(),
  control_password_file: z.string().optional(),
  account_number: z.string().optional(),
  account_password: z.string().optional(),
  account_password_file: z.string().optional(),
});
const YamlConfig = z.object({ accounts: z.array(YamlAccount).min(1, 'must list at least one account') });

function accountsFromFile(path: string, sources: ConfigSources, problems: ConfigProblem[]): AccountConfig[] {
  const variable = `${PREFIX}CONFIG_FILE`;
  let text: string;
  try {
    text = sources.readFile(path);
  } catch (error) {
    problems.push({ variable, message: cannotRead(path, error) });
    return [];
  }
  // The YAML parser's message quotes the offending text, which may be a password: only the line.
  const yaml = parseYamlText(text);
  if (!yaml.ok) {
    problems.push({ variable, message: notValidYaml(path, yaml.line) });
    return [];
  }
  const parsed = YamlConfig.safeParse(yaml.document);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({
        variable: `${variable} ${path}: ${issue.path.join('.') || '(document)'}`,
        message: issue.message,
      });
    }
    return [];
  }
  const accounts: AccountConfig[] = [];
  parsed.data.accounts.forEach((entry, index) => {
    const where = (field: string): string => `${variable} ${path}: accounts.${index}.${field.toLowerCase()}`;
    const auth = toAuth(
      {
        controlLogin: entry.control_login,
        controlPassword: secret(
          entry.control_password,
          entry.control_password_file,
          { value: where('CONTROL_PASSWORD'), file: where('CONTROL_PASSWORD_FILE') },
          sources,
          problems,
        ),
        accountNumber: entry.account_number,
        accountPassword: secret(
          entry.account_password,
          entry.account_password_file,
          { value: where('ACCOUNT_PASSWORD'), file: where('ACCOUNT_PASSWORD_FILE') },
          sources,
          problems,
        ),
      },
      where,
      problems,
    );
    if (auth === undefined && !problems.some((problem) => problem.variable.startsWith(where('')))) {
      problems.push({ variable: where('name'), message: `account ${entry.name} has no credentials` });
    }
    if (auth !== undefined) accounts.push({ name: entry.name, auth });
  });
  return accounts;
}

const SHARD_INDEX = `${PREFIX}SHARD__INDEX`;
const SHARD_COUNT = `${PREFIX}SHARD__COUNT`;

/**
 * `SHARD__INDEX` and `SHARD__COUNT` go together. Judged on which are set, not on their values, so
 * the missing one is reported alongside any other problem.
 */
function shardPairProblem(set: {
  readonly index: boolean;
  readonly count: boolean;
}): ConfigProblem | undefined {
  if (set.index === set.count) return undefined;
  return set.index
    ? { variable: SHARD_COUNT, message: `is required with ${SHARD_INDEX}: set both or neither` }
    : { variable: SHARD_INDEX, message: `is required with ${SHARD_COUNT}: set both or neither` };
}

/** The shard from the parsed pair, or a problem when the index is not below the count. */
function shardFrom(
  index: number | undefined,
  count: number | undefined,
  problems: ConfigProblem[],
): ShardConfig | undefined {
  if (index === undefined || count === undefined) return undefined;
  if (index >= count) {
    problems.push({
      variable: SHARD_INDEX,
      message: `must be below ${SHARD_COUNT} (${count}): shards are numbered 0 to ${count - 1}`,
    });
    return undefined;
  }
  return { index, count };
}

/** Reads the web-config file, reporting its problems as `…WEB__CONFIG_FILE <path>: <field>`. */
function webFromFile(path: string, sources: ConfigSources, problems: ConfigProblem[]): WebConfigFile {
  const variable = `${PREFIX}WEB__CONFIG_FILE`;
  const result = loadWebConfig(path, sources.readFile);
  if (result.ok) return result.config;
  for (const problem of result.problems) {
    problems.push({
      variable: problem.field === '' ? variable : `${variable} ${path}: ${problem.field}`,
      message: problem.message,
    });
  }
  return { headers: {} };
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
  const problems: ConfigProblem[] = [];
  const flags = enableSettings(bindings);
  const FlagSettings = flagSettingsOf(flags);
  const env = sources.env;
  const value = (name: string): string | undefined => env[`${PREFIX}${name}`];
  const known: Record<string, string> = {};
  for (const key of [...Object.keys(Settings.shape), ...Object.keys(FlagSettings.shape)]) {
    const text = value(key);
    if (text !== undefined && text !== '') known[key] = text;
  }
  const settings = Settings.safeParse(known);
  const flagSettings = FlagSettings.safeParse(known);
  for (const parsed of [settings, flagSettings]) {
    if (parsed.success) continue;
    for (const issue of parsed.error.issues) {
      problems.push({ variable: `${PREFIX}${String(issue.path[0] ?? '')}`, message: issue.message });
    }
  }
  const shardPair = shardPairProblem({ index: 'SHARD__INDEX' in known, count: 'SHARD__COUNT' in known });
  if (shardPair !== undefined) problems.push(shardPair);

  const label = (field: string): string => `${PREFIX}AUTH__${field}`;
  const defaultAuth = toAuth(
    {
      controlLogin: value('AUTH__CONTROL_LOGIN') || undefined,
      controlPassword: secret(
        value('AUTH__CONTROL_PASSWORD'),
        value('AUTH__CONTROL_PASSWORD_FILE'),
        { value: label('CONTROL_PASSWORD'), file: label('CONTROL_PASSWORD_FILE') },
        sources,
        problems,
      ),
      accountNumber: value('AUTH__ACCOUNT_NUMBER') || undefined,
      accountPassword: secret(
        value('AUTH__ACCOUNT_PASSWORD'),
        value('AUTH__ACCOUNT_PASSWORD_FILE'),
        { value: label('ACCOUNT_PASSWORD'), file: label('ACCOUNT_PASSWORD_FILE') },
        sources,
        problems,
      ),
    },
    label,
    problems,
  );
  const accounts: AccountConfig[] = defaultAuth === undefined ? [] : [{ name: 'default', auth: defaultAuth }];
  const file = value('CONFIG_FILE');
  if (file) accounts.push(...accountsFromFile(file, sources, problems));
  const webFile = value('WEB__CONFIG_FILE');
  const web: WebConfigFile = webFile ? webFromFile(webFile, sources, problems) : { headers: {} };

  const names = new Set<string>();
  for (const account of accounts) {
    if (names.has(account.name)) {
      problems.push({
        variable: `${PREFIX}CONFIG_FILE`,
        message: `account name ${account.name} is used twice`,
      });
    }
    names.add(account.name);
  }
  if (accounts.length === 0 && !sources.demo && problems.length === 0) {
    problems.push({
      variable: label('CONTROL_LOGIN'),
      message: `credentials are required: set ${label('CONTROL_LOGIN')} and ${label('CONTROL_PASSWORD')} (or _FILE), the account pair, ${PREFIX}CONFIG_FILE, or run with --demo`,
    });
  }
  if (!settings.success || !flagSettings.success || problems.length > 0) return { ok: false, problems };

  const s = settings.data;
  // A slower tier that ran more often than a faster one would turn the tier table upside down.
  const tiersInOrder = [
    ['INTERVALS__FAST', s.INTERVALS__FAST],
    ['INTERVALS__MEDIUM', s.INTERVALS__MEDIUM],
    ['INTERVALS__SLOW', s.INTERVALS__SLOW],
  ] as const;
  tiersInOrder.forEach(([name, seconds], index) => {
    const faster = tiersInOrder[index - 1];
    if (faster !== undefined && seconds < faster[1]) {
      problems.push({
        variable: `${PREFIX}${name}`,
        message: `must not be shorter than ${PREFIX}${faster[0]} (${faster[1]} s)`,
      });
    }
  });
  const enabled: Record<string, boolean> = {};
  for (const flag of flags) enabled[flag.flag] = flagSettings.data[flag.variable] === true;
  const [firstFlag] = flags;
  if (firstFlag !== undefined && !bindings.some((binding) => isEnabled(binding, enabled))) {
    problems.push({
      variable: `${PREFIX}${firstFlag.variable}`,
      message: 'every collector is disabled: enable at least one',
    });
  }
  // A shard may own none of the accounts (more replicas than accounts): valid, it serves nothing.
  const shard = shardFrom(s.SHARD__INDEX, s.SHARD__COUNT, problems);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      accounts,
      server: { host: s.SERVER__HOST, port: s.SERVER__PORT },
      logging: { level: s.LOGGING__LEVEL, json: s.LOGGING__JSON },
      intervals: {
        fastSeconds: s.INTERVALS__FAST,
        mediumSeconds: s.INTERVALS__MEDIUM,
        slowSeconds: s.INTERVALS__SLOW,
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
      },
      web: { ...web, healthOpen: s.WEB__HEALTH_OPEN },
      ...(shard === undefined ? {} : { shard }),
    },
  };
}
