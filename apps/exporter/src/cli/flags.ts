/**
 * The command line: Prometheus-style setting flags (`--web.listen-address`, `--log.level`, …,
 * defined in `../config/setting-flags.ts`), each standing for one or two `AAISP_EXPORTER_…`
 * variables and winning over them, plus the command flags (`--demo`, `--check-config`, `--help`, `--version`, `record --out`). The variables
 * stay the primary interface; a flag only saves typing them, so the configuration loader sees a
 * flag as the variable it sets ({@link settingOverrides}).
 *
 * @module
 */

import { parseArgs } from 'node:util';
import { flagFor, SETTING_FLAGS } from '../config/setting-flags.ts';
import { PREFIX } from '../config/settings.ts';
import { knownVariables } from '../config/unknown-variables.ts';
import { nearestName } from '../nearest-name.ts';

/** A flag that chooses what to do rather than a setting. */
export interface CommandFlag {
  readonly name: string;
  readonly short?: string;
  /** The placeholder `--help` shows; absent for an on/off flag. */
  readonly value?: string;
  readonly summary: string;
}

/** The command flags, in `--help`'s order. */
export const COMMAND_FLAGS: readonly CommandFlag[] = [
  { name: 'demo', summary: 'serve fake data from a built-in CHAOS mock (no credentials needed)' },
  {
    name: 'check-config',
    summary: 'validate the configuration, print what was read, and exit (0 when valid)',
  },
  { name: 'out', value: 'DIR', summary: 'with record: the new or empty directory the answers go to' },
  { name: 'version', short: 'v', summary: 'print the version, Node version and platform' },
  { name: 'help', short: 'h', summary: 'print this help' },
];

/** What the command line asks for. */
export interface CommandLine {
  readonly command: 'serve' | 'record';
  readonly demo: boolean;
  readonly checkConfig: boolean;
  readonly help: boolean;
  readonly version: boolean;
  /** `record --out DIR`. */
  readonly out?: string | undefined;
  /** The variables the setting flags set, full names (`AAISP_EXPORTER_…`) → text. */
  readonly overrides: Readonly<Record<string, string>>;
}

/** The result of {@link readCommandLine}: what it asks for, or one line saying what is wrong. */
export type CommandLineResult =
  | { readonly ok: true; readonly commandLine: CommandLine }
  | { readonly ok: false; readonly message: string };

type OptionSpec = { type: 'string' | 'boolean'; short?: string };

function optionSpecs(): Record<string, OptionSpec> {
  const options: Record<string, OptionSpec> = {};
  for (const flag of SETTING_FLAGS)
    options[flag.name] = { type: flag.value === undefined ? 'boolean' : 'string' };
  for (const flag of COMMAND_FLAGS) {
    options[flag.name] = {
      type: flag.value === undefined ? 'boolean' : 'string',
      ...(flag.short === undefined ? {} : { short: flag.short }),
    };
  }
  return options;
}

/**
 * One line for an unknown flag, naming the nearest known flag or variable: a Prometheus user's
 * `--web.listen-adress` finds `--web.listen-address`, `--server.port` the variable it means.
 */
export function unknownFlagMessage(rawName: string): string {
  const flags = [...SETTING_FLAGS, ...COMMAND_FLAGS].map((flag) => `--${flag.name}`);
  const variables = knownVariables().map((variable) => `${PREFIX}${variable}`);
  const nearest = nearestName(rawName, [...flags, ...variables]);
  if (nearest === undefined) return `unknown flag ${rawName}; see aaisp-exporter --help`;
  if (nearest.startsWith('--')) return `unknown flag ${rawName}; did you mean ${nearest}?`;
  const flag = flagFor(nearest.slice(PREFIX.length));
  if (flag !== undefined) return `unknown flag ${rawName}; did you mean --${flag.name} (it sets ${nearest})?`;
  return `unknown flag ${rawName}; did you mean the variable ${nearest}? (it has no flag; see aaisp-exporter --help)`;
}

/**
 * Reads `args` (`process.argv.slice(2)`). Never throws: a bad command line is one line of text.
 */
export function readCommandLine(args: readonly string[]): CommandLineResult {
  const options = optionSpecs();
  // A lenient pass first: it lists unknown flags (which the strict pass would only describe in
  // Node's words) and flags missing their value.
  const { tokens } = parseArgs({
    args: [...args],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    // A short flag's raw name is one letter of its argument (`-h=1` gives `-=`): show the argument.
    const typed = token.rawName.startsWith('--') ? token.rawName : (args[token.index] ?? token.rawName);
    const negated = options[token.name.replace(/^no-/, '')];
    const spec = options[token.name] ?? (negated?.type === 'boolean' ? negated : undefined);
    if (spec === undefined) {
      if (negated !== undefined) {
        const name = token.name.replace(/^no-/, '');
        return {
          ok: false,
          message: `${typed}: --${name} takes a value, e.g. --${name}=${placeholder(name)}`,
        };
      }
      return { ok: false, message: unknownFlagMessage(typed) };
    }
    // No value, an empty one, or the next flag taken for one (`--log.level --demo`).
    const missing =
      token.value === undefined || token.value === '' || (!token.inlineValue && token.value.startsWith('-'));
    if (spec.type === 'string' && missing) {
      return {
        ok: false,
        message: `${token.rawName} needs a value, e.g. ${token.rawName}=${placeholder(token.name)}`,
      };
    }
    if (spec.type === 'boolean' && token.value !== undefined) {
      const setting = SETTING_FLAGS.some((flag) => flag.name === token.name);
      return {
        ok: false,
        message: `${token.rawName} takes no value${setting ? ` (--no-${token.name} turns it off)` : ''}`,
      };
    }
  }
  const parsed = strictParse(args, options);
  if (!parsed.ok) return parsed;
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (rest.length > 0 || (command !== undefined && command !== 'record')) {
    return { ok: false, message: `unknown command ${positionals.join(' ')}; the only command is record` };
  }
  const out = typeof values.out === 'string' ? values.out : undefined;
  if (command === 'record' && out === undefined) return { ok: false, message: 'record needs --out DIR' };
  if (command === undefined && out !== undefined) return { ok: false, message: '--out is for record' };

  const overrides: Record<string, string> = {};
  for (const flag of SETTING_FLAGS) {
    const given = values[flag.name];
    if (given === undefined) continue;
    const result = flag.toVariables(String(given));
    if (!result.ok) return { ok: false, message: `--${flag.name} ${result.problem}` };
    for (const [variable, text] of Object.entries(result.values)) {
      overrides[`${PREFIX}${variable}`] = text;
    }
  }
  return {
    ok: true,
    commandLine: {
      command: command === 'record' ? 'record' : 'serve',
      demo: values.demo === true,
      checkConfig: values['check-config'] === true,
      help: values.help === true,
      version: values.version === true,
      out,
      overrides,
    },
  };
}

/** Node's strict parse, for what the lenient pass let through (a short flag's value, say). */
function strictParse(args: readonly string[], options: Record<string, OptionSpec>) {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options,
      strict: true,
      allowPositionals: true,
      allowNegative: true,
    });
    return { ok: true as const, values, positionals };
  } catch (error) {
    return { ok: false as const, message: error instanceof Error ? error.message : String(error) };
  }
}

function placeholder(name: string): string {
  return [...SETTING_FLAGS, ...COMMAND_FLAGS].find((flag) => flag.name === name)?.value ?? 'VALUE';
}

/**
 * The environment the configuration loader reads: `env` with the flags' variables put over it,
 * since a flag wins over its variable.
 */
export function settingOverrides(
  env: Readonly<Record<string, string | undefined>>,
  commandLine: Pick<CommandLine, 'overrides'>,
): Record<string, string | undefined> {
  return { ...env, ...commandLine.overrides };
}

/**
 * A problem's subject as the user gave it: `AAISP_EXPORTER_LOGGING__LEVEL` becomes `--log.level`
 * when the flag set it, i.e. it is among the command line's `overrides` (a web-config field
 * `…WEB__CONFIG_FILE /path: tls` keeps its tail).
 */
export function subjectAsGiven(subject: string, overrides: Readonly<Record<string, string>>): string {
  for (const variable of Object.keys(overrides)) {
    const flag = flagFor(variable.slice(PREFIX.length));
    if (flag !== undefined && (subject === variable || subject.startsWith(`${variable} `)))
      return `--${flag.name}${subject.slice(variable.length)}`;
  }
  return subject;
}
