/**
 * `aaisp-exporter --help`, rendered from the definitions the exporter runs on: the setting and
 * command flags (`./flags.ts`), every variable of the settings catalog with the parser's default
 * and range (`../config/setting-catalog.ts`), and the collector switches and data-source settings
 * of the bindings. The README's Configuration table comes from the same definitions, and a test
 * holds the two to each other.
 *
 * @module
 */

import {
  BINDINGS,
  type CollectorBinding,
  enableSettings,
  nameOf,
  sourceSettings,
} from '../collectors/index.ts';
import { defaultOf, SETTING_CATALOG } from '../config/setting-catalog.ts';
import { flagFor, SETTING_FLAGS, type SettingFlag } from '../config/setting-flags.ts';
import { PREFIX } from '../config/settings.ts';
import { plainText } from '../docs/markdown.ts';
import { COMMAND_FLAGS } from './flags.ts';

/** How wide `--help` wraps its prose: an 80-column terminal's width, give or take the indent. */
const WIDTH = 96;
const INDENT = '      ';

/** `text` wrapped at word boundaries to {@link WIDTH}, each line indented by `indent`. */
function wrap(text: string, indent: string = INDENT): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(`${indent}${line}`);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(`${indent}${line}`);
  return lines;
}

/** One variable as `--help` lists it; `default` and `allowed` are plain text, `–` for none. */
export interface HelpVariable {
  readonly variable: string;
  readonly flag?: string | undefined;
  readonly defaultText: string;
  readonly allowed: string;
  readonly meaning: string;
}

/**
 * Every variable `--help` lists, in its order: the catalog, then the collector switches, then the
 * data sources' own settings.
 */
export function helpVariables(bindings: readonly CollectorBinding[] = BINDINGS): HelpVariable[] {
  const catalog = SETTING_CATALOG.map((entry) => ({
    variable: entry.variable,
    flag: flagFor(entry.variable)?.name,
    defaultText: plainText(defaultOf(entry)),
    allowed: plainText(entry.allowed),
    meaning: plainText(entry.meaning),
  }));
  const switches = enableSettings(bindings).map((setting) => ({
    variable: setting.variable,
    defaultText: String(setting.default),
    allowed: 'boolean',
    meaning: `turns on ${bindings
      .filter((binding) => binding.enable.flag === setting.flag)
      .map(nameOf)
      .join(', ')}`,
  }));
  const sources = sourceSettings(bindings).map((setting) => ({
    variable: setting.variable,
    defaultText: '–',
    allowed: setting.allowed,
    meaning: setting.description,
  }));
  return [...catalog, ...switches, ...sources];
}

/**
 * A setting flag's help after its summary: the variables it sets, their default (`0.0.0.0:9099`
 * for the address) and, for a flag of one variable, what that allows when it is a short list or
 * range (a file's "readable YAML" adds nothing to `=FILE`).
 */
function flagDetails(flag: SettingFlag, all: readonly HelpVariable[]): string {
  const entries = flag.variables.flatMap((variable) => all.filter((entry) => entry.variable === variable));
  const defaults = entries.map((entry) => entry.defaultText);
  const facts: string[] = [];
  if (!defaults.every((text) => text === '–')) facts.push(`default ${defaults.join(':')}`);
  const [only] = entries;
  if (
    entries.length === 1 &&
    only !== undefined &&
    flag.value !== 'FILE' &&
    !['', 'boolean'].includes(only.allowed)
  ) {
    facts.push(`allowed ${only.allowed}`);
  }
  const names = flag.variables.map((variable) => `${PREFIX}${variable}`).join(' and ');
  return `; sets ${names}${facts.length === 0 ? '' : ` (${facts.join('; ')})`}`;
}

function flagLines(all: readonly HelpVariable[]): string[] {
  const lines: string[] = [];
  for (const flag of SETTING_FLAGS) {
    lines.push(`  --${flag.name}${flag.value === undefined ? '' : `=${flag.value}`}`);
    lines.push(...wrap(`${flag.summary}${flagDetails(flag, all)}`));
  }
  for (const flag of COMMAND_FLAGS) {
    const short = flag.short === undefined ? '' : `-${flag.short}, `;
    lines.push(
      `  ${short}--${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`}`,
      ...wrap(flag.summary),
    );
  }
  return lines;
}

function variableLines(all: readonly HelpVariable[]): string[] {
  const lines: string[] = [];
  for (const entry of all) {
    lines.push(`  ${PREFIX}${entry.variable}${entry.flag === undefined ? '' : `  (flag --${entry.flag})`}`);
    lines.push(...wrap(entry.meaning));
    lines.push(`${INDENT}default: ${entry.defaultText === '–' ? 'none' : entry.defaultText}`);
    if (entry.allowed !== '') lines.push(`${INDENT}allowed: ${entry.allowed}`);
  }
  return lines;
}

/** The whole of `aaisp-exporter --help`. */
export function renderHelp(bindings: readonly CollectorBinding[] = BINDINGS): string {
  const all = helpVariables(bindings);
  return [
    'Usage: aaisp-exporter [flags]',
    '       aaisp-exporter record --out DIR [--demo]',
    '',
    'A Prometheus exporter for Andrews & Arnold (AAISP) broadband, from the CHAOS v2 API.',
    '',
    ...wrap(
      `Settings are ${PREFIX}… environment variables, also read from a .env file in the directory the command is run in. The flags below set some of them and win over them. Relative paths resolve from that same directory. An empty variable counts as unset; booleans take true/false, 1/0, yes/no, on/off.`,
      '',
    ),
    '',
    'Flags:',
    ...flagLines(all),
    '',
    'Commands:',
    '  record --out DIR',
    ...wrap(
      'calls every CHAOS read command once per configured account and writes the answers to DIR with passwords removed and postcodes and logins replaced, for a bug report. Read the files before you share them.',
    ),
    '',
    'Environment variables:',
    ...variableLines(all),
    '',
    ...wrap(
      'Endpoints: /metrics, /probe?target=NAME, /health and /-/healthy, /ready and /-/ready, a status page at /, and POST /-/reload with --web.enable-lifecycle.',
      '',
    ),
    '',
    ...wrap(
      'Signals: SIGTERM or SIGINT stops it (within 5 s). SIGHUP reloads the configuration: the files it names (accounts file, *_FILE secrets, CQM links, line names, web-config file) are read again and applied without a restart. Flags and environment variables cannot change in a running process: a change there needs a restart.',
      '',
    ),
    '',
    'Full documentation: the README of @aaisp/exporter (https://github.com/aaisp-exporter/aaisp-exporter/tree/main/apps/exporter#readme).',
    '',
  ].join('\n');
}
