/**
 * The plain `AAISP_EXPORTER_…` settings: every variable that holds a value rather than a secret or
 * a file, with its parser, bounds and default, plus one `COLLECTORS__ENABLE_<FLAG>` per collector
 * enable flag. Credentials, the accounts file and the web-config file are read elsewhere in this
 * folder; this module only turns environment text into typed values or problems.
 *
 * @module
 */

import { isLoopbackHost } from '@aaisp/chaos-client';
import * as z from 'zod';
import type { EnableSetting, SourceSetting } from '../collectors/index.ts';
import type { ConfigProblem } from './problem.ts';

/** The prefix of every variable. */
export const PREFIX = 'AAISP_EXPORTER_';

/** Log levels pino knows. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** How log lines are written: logfmt (Prometheus' default, for people and Loki alike) or JSON. */
export const LOG_FORMATS = ['logfmt', 'json'] as const;

/** The environment: variable name → text (`process.env`, or a plain object in tests). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The text of `AAISP_EXPORTER_<name>`, or undefined when unset or empty. An empty variable counts
 * as unset, so `FOO=` in a compose file or `.env` means "use the default", not "invalid".
 */
export function settingText(env: Env, name: string): string | undefined {
  const text = env[`${PREFIX}${name}`];
  return text === undefined || text === '' ? undefined : text;
}

/** The bounds of a whole-number setting, and what it counts (for messages and docs). */
export interface WholeNumberRange {
  readonly min: number;
  readonly max: number;
  /** E.g. `seconds`; absent for a plain count. */
  readonly unit?: string;
}

/** `0–65535`, `10–3600 s`: a range as the docs and `--help` show it. */
export function rangeText({ min, max, unit }: WholeNumberRange): string {
  return `${min}–${max}${unit === 'seconds' ? ' s' : ''}`;
}

/** The whole-number settings, by variable after the prefix. */
export type RangedSetting =
  | 'SERVER__PORT'
  | 'INTERVALS__FAST'
  | 'INTERVALS__MEDIUM'
  | 'INTERVALS__SLOW'
  | 'INTERVALS__CQM'
  | 'API__TIMEOUT'
  | 'API__MAX_RETRIES'
  | 'API__CONCURRENCY_LIMIT'
  | 'SHARD__INDEX'
  | 'SHARD__COUNT';

/**
 * Every whole-number setting's bounds, by variable after the prefix: the parser below and the
 * docs (`setting-catalog.ts`) read them from here, so a message, `--help` and the README cannot
 * disagree about a range.
 */
export const RANGES: Readonly<Record<RangedSetting, WholeNumberRange>> = {
  SERVER__PORT: { min: 0, max: 65535 },
  // Bounds from the original design: a faster tier would hammer CHAOS for no new data.
  INTERVALS__FAST: { min: 10, max: 3600, unit: 'seconds' },
  INTERVALS__MEDIUM: { min: 60, max: 3600, unit: 'seconds' },
  INTERVALS__SLOW: { min: 300, max: 7200, unit: 'seconds' },
  // CQM samples are 100 s long, so a minute is the most often that can bring news; at most an
  // hour, so even three failed fetches in a row (the max age) stay far inside the 24 h window
  // each fetch returns, and no sample is lost.
  INTERVALS__CQM: { min: 60, max: 3600, unit: 'seconds' },
  API__TIMEOUT: { min: 1, max: 300, unit: 'seconds' },
  API__MAX_RETRIES: { min: 0, max: 10 },
  API__CONCURRENCY_LIMIT: { min: 1, max: 100 },
  // A thousand replicas is far past any real deployment. INDEX < COUNT and "both or neither" are
  // checked in shard-config.ts, since each value alone cannot tell.
  SHARD__INDEX: { min: 0, max: 999 },
  SHARD__COUNT: { min: 1, max: 1000 },
};

/** A whole number in `range`; both ways to miss it get the same message, which names the range. */
function wholeNumber(range: WholeNumberRange): z.ZodType<number, string> {
  const { min, max, unit } = range;
  const message = `must be a whole number${unit === undefined ? '' : ` of ${unit}`} from ${min} to ${max}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, message)
    .transform(Number)
    .refine((value) => value >= min && value <= max, message);
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
  // Abort: the refinements below call `new URL`, which throws on what this one rejects.
  .refine((text) => URL.canParse(text), { error: 'must be a URL', abort: true })
  .refine((text) => {
    const url = new URL(text);
    // Plain http only to loopback: anywhere else the control password would cross the network in clear.
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  }, 'must be https:// (plain http:// only for localhost)')
  .refine((text) => {
    const url = new URL(text);
    return url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  }, 'must not carry credentials, a query or a fragment (credentials go in AUTH__ variables)');

/** Each fixed variable after the prefix, its parser and default. The collector flags are per binding. */
const FixedSchema = z.object({
  SERVER__HOST: z.string().trim().min(1, 'must not be empty').default('0.0.0.0'),
  // 0 picks a free port (tests, side-by-side runs); the address is logged at start.
  SERVER__PORT: wholeNumber(RANGES.SERVER__PORT).default(9099),
  LOGGING__LEVEL: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }))
    .default('info'),
  LOGGING__FORMAT: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(LOG_FORMATS, { error: `must be one of ${LOG_FORMATS.join(', ')}` }))
    .optional(),
  // The original design's switch, kept so an existing `.env` works: true means LOGGING__FORMAT=json.
  LOGGING__JSON: booleanText.optional(),
  INTERVALS__FAST: wholeNumber(RANGES.INTERVALS__FAST).default(60),
  INTERVALS__MEDIUM: wholeNumber(RANGES.INTERVALS__MEDIUM).default(300),
  INTERVALS__SLOW: wholeNumber(RANGES.INTERVALS__SLOW).default(900),
  INTERVALS__CQM: wholeNumber(RANGES.INTERVALS__CQM).default(300),
  API__BASE_URL: baseUrl.default('https://chaos2.aa.net.uk'),
  API__TIMEOUT: wholeNumber(RANGES.API__TIMEOUT).default(30),
  API__MAX_RETRIES: wholeNumber(RANGES.API__MAX_RETRIES).default(3),
  API__CONCURRENCY_LIMIT: wholeNumber(RANGES.API__CONCURRENCY_LIMIT).default(5),
  COLLECTORS__INCLUDE_POSTCODE: booleanText.default(false),
  WEB__HEALTH_OPEN: booleanText.default(false),
  // Prometheus' --web.enable-lifecycle: POST /-/reload changes what the exporter collects, so it is
  // off unless asked for, even behind basic auth.
  WEB__ENABLE_LIFECYCLE: booleanText.default(false),
  // Where the exporter keeps what it must not forget across restarts (CQM positions, auth pauses);
  // unset: nothing is written.
  STATE__DIR: z.string().trim().min(1, 'must not be empty').optional(),
  SHARD__INDEX: wholeNumber(RANGES.SHARD__INDEX).optional(),
  SHARD__COUNT: wholeNumber(RANGES.SHARD__COUNT).optional(),
});

/** The variables `FixedSchema` parses, after the prefix, in its order. */
export const FIXED_VARIABLES: readonly string[] = Object.keys(FixedSchema.shape);

const FIXED_DEFAULTS: Readonly<Record<string, string | number | boolean>> = Object.fromEntries(
  Object.entries(FixedSchema.parse({})).filter(
    (entry): entry is [string, string | number | boolean] => entry[1] !== undefined,
  ),
);

/**
 * Each fixed variable's default as the loader applies it (absent: none), for the docs and
 * `--help`: taken from the schema itself, so they cannot show another.
 */
export function fixedDefaults(): Readonly<Record<string, string | number | boolean>> {
  return FIXED_DEFAULTS;
}

/** The fixed settings, parsed: keyed by variable name after the prefix, defaults applied. */
export interface FixedSettings {
  readonly SERVER__HOST: string;
  readonly SERVER__PORT: number;
  readonly LOGGING__LEVEL: (typeof LOG_LEVELS)[number];
  readonly LOGGING__FORMAT?: (typeof LOG_FORMATS)[number] | undefined;
  readonly LOGGING__JSON?: boolean | undefined;
  readonly INTERVALS__FAST: number;
  readonly INTERVALS__MEDIUM: number;
  readonly INTERVALS__SLOW: number;
  readonly INTERVALS__CQM: number;
  readonly API__BASE_URL: string;
  readonly API__TIMEOUT: number;
  readonly API__MAX_RETRIES: number;
  readonly API__CONCURRENCY_LIMIT: number;
  readonly COLLECTORS__INCLUDE_POSTCODE: boolean;
  readonly WEB__HEALTH_OPEN: boolean;
  readonly WEB__ENABLE_LIFECYCLE: boolean;
  readonly STATE__DIR?: string | undefined;
  readonly SHARD__INDEX?: number | undefined;
  readonly SHARD__COUNT?: number | undefined;
}

/** Every setting, parsed. */
export interface Settings {
  readonly fixed: FixedSettings;
  /** Enable flag (`broadband`, …) → on; every flag of the bindings is present. */
  readonly enabled: Readonly<Record<string, boolean>>;
  /** The data sources' own settings that are set, validated, by variable after the prefix. */
  readonly sources: Readonly<Record<string, string>>;
}

/** One `COLLECTORS__ENABLE_<FLAG>` per enable flag, with the flag's default. */
function flagSchemaOf(flags: readonly EnableSetting[]) {
  return z.object(
    Object.fromEntries(flags.map((setting) => [setting.variable, booleanText.default(setting.default)])),
  );
}

/**
 * Parses the settings from `env`. Every bad variable adds a problem to `problems` (fixed ones
 * first, in schema order, then the flags, then the data sources' settings), and the result is
 * then undefined. Throws when a source declares a variable the exporter already has: a
 * programming error, caught by the tests.
 */
export function readSettings(
  env: Env,
  flags: readonly EnableSetting[],
  problems: ConfigProblem[],
  sourceSettings: readonly SourceSetting[] = [],
): Settings | undefined {
  const FlagSchema = flagSchemaOf(flags);
  for (const { variable } of sourceSettings) {
    if (variable in FixedSchema.shape || variable in FlagSchema.shape) {
      throw new Error(`a data source may not declare ${PREFIX}${variable}: it is one of the exporter's own`);
    }
  }
  const SourceSchema = z.object(
    Object.fromEntries(sourceSettings.map((setting) => [setting.variable, setting.schema.optional()])),
  );
  const known: Record<string, string> = {};
  for (const name of [...Object.keys(FixedSchema.shape), ...Object.keys(FlagSchema.shape)]) {
    const text = settingText(env, name);
    if (text !== undefined) known[name] = text;
  }
  // A source's schema sees its text trimmed, and never a blank one (blank means unset, as above).
  for (const name of Object.keys(SourceSchema.shape)) {
    const text = settingText(env, name)?.trim();
    if (text !== undefined && text !== '') known[name] = text;
  }
  const fixed = FixedSchema.safeParse(known);
  const flagValues = FlagSchema.safeParse(known);
  const sourceValues = SourceSchema.safeParse(known);
  for (const parsed of [fixed, flagValues, sourceValues]) {
    if (parsed.success) continue;
    for (const issue of parsed.error.issues) {
      problems.push({ variable: `${PREFIX}${String(issue.path[0] ?? '')}`, message: issue.message });
    }
  }
  if (!fixed.success || !flagValues.success || !sourceValues.success) return undefined;
  const enabled: Record<string, boolean> = {};
  for (const flag of flags) enabled[flag.flag] = flagValues.data[flag.variable] === true;
  const sources: Record<string, string> = {};
  for (const [variable, value] of Object.entries(sourceValues.data)) {
    if (typeof value === 'string') sources[variable] = value;
  }
  return { fixed: fixed.data, enabled, sources };
}
