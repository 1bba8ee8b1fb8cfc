/**
 * The Prometheus-style flags that set configuration variables (`--web.listen-address`,
 * `--log.level`, …): which variables each sets and how its text becomes their values. Defined
 * beside the settings because a flag is only another way to give a variable; the command line
 * (`../cli/flags.ts`) reads them, and the docs and `--help` list them.
 *
 * @module
 */

/** A flag that sets variables: its name without `--`, and how its text becomes their values. */
export interface SettingFlag {
  /** E.g. `log.level`. */
  readonly name: string;
  /** The placeholder `--help` shows (`LEVEL`); absent for an on/off flag (`--no-…` turns it off). */
  readonly value?: string;
  /** The variables it sets, after the prefix. */
  readonly variables: readonly string[];
  /** One line for `--help`, plain text; the variables' own help follows it there. */
  readonly summary: string;
  /** The variables' values for the flag's text, or why the text is no good. */
  readonly toVariables: (text: string) => FlagValues;
}

/** What a setting flag's text comes to: the values of its variables, or why it is no good. */
export type FlagValues =
  | { readonly ok: true; readonly values: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly problem: string };

/** `[HOST]:PORT`, as Prometheus' exporters take it: `:9099`, `127.0.0.1:9099`, `[::1]:9099`. */
function listenAddress(text: string): FlagValues {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):([^:]+)$/.exec(text.trim());
  if (match === null) {
    return { ok: false, problem: 'must be [HOST]:PORT, e.g. :9099, 127.0.0.1:9099 or [::1]:9099' };
  }
  const host = match[1] ?? match[2] ?? '';
  // An empty host is 0.0.0.0, the exporter's default host: every IPv4 interface (Go's `:9099`
  // takes IPv6 too, but `::` fails where IPv6 is off, and the default must start anywhere). The
  // port's own check names its range.
  return { ok: true, values: { SERVER__HOST: host === '' ? '0.0.0.0' : host, SERVER__PORT: match[3] ?? '' } };
}

/** The flag's text is the variable's (an on/off flag's is `true` or `false`). */
const asIs =
  (variable: string) =>
  (text: string): FlagValues => ({ ok: true, values: { [variable]: text } });

/** Every setting flag, in `--help`'s order. */
export const SETTING_FLAGS: readonly SettingFlag[] = [
  {
    name: 'web.listen-address',
    value: '[HOST]:PORT',
    variables: ['SERVER__HOST', 'SERVER__PORT'],
    summary: 'address to listen on, e.g. :9099 (every IPv4 interface), 127.0.0.1:9099 or [::]:9099',
    toVariables: listenAddress,
  },
  {
    name: 'web.config.file',
    value: 'FILE',
    variables: ['WEB__CONFIG_FILE'],
    summary: 'web-config file: TLS, basic auth, response headers',
    toVariables: asIs('WEB__CONFIG_FILE'),
  },
  {
    name: 'web.enable-lifecycle',
    variables: ['WEB__ENABLE_LIFECYCLE'],
    summary: 'serve POST /-/reload',
    toVariables: asIs('WEB__ENABLE_LIFECYCLE'),
  },
  {
    name: 'config.file',
    value: 'FILE',
    variables: ['CONFIG_FILE'],
    summary: 'accounts file: several named accounts',
    toVariables: asIs('CONFIG_FILE'),
  },
  {
    name: 'log.level',
    value: 'LEVEL',
    variables: ['LOGGING__LEVEL'],
    summary: 'least severe level logged',
    toVariables: asIs('LOGGING__LEVEL'),
  },
  {
    name: 'log.format',
    value: 'FORMAT',
    variables: ['LOGGING__FORMAT'],
    summary: 'how log lines are written',
    // It wins over the older LOGGING__JSON too, which only ever chose the format: set empty,
    // which every setting reads as unset.
    toVariables: (text) => ({ ok: true, values: { LOGGING__FORMAT: text, LOGGING__JSON: '' } }),
  },
];

/** The setting flag that sets `variable` (after the prefix), if one does. */
export function flagFor(variable: string): SettingFlag | undefined {
  return SETTING_FLAGS.find((flag) => flag.variables.includes(variable));
}
