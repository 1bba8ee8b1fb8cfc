/**
 * Renders the exporter README's generated blocks from the definitions the exporter runs on, so
 * the README cannot drift from the code:
 * - `flags`: the Prometheus-style setting flags (`../cli/flags.ts`);
 * - `settings`: the Configuration table, every variable of `../config/setting-catalog.ts`;
 * - `tiers`: the tier plan (`../schedule/tiers.ts`, with the default intervals of
 *   `../config/settings.ts`), one row per collector binding;
 * - `collector-switches`: the `COLLECTORS__ENABLE_<FLAG>` variables (`enableSettings`), then the
 *   data sources' own settings (`sourceSettings`);
 * - `self-metrics`: the exporter's own metrics (`../telemetry/self-metric-definitions.ts`).
 *
 * Each block sits between a {@link startMarker} and an {@link endMarker} line in
 * `apps/exporter/README.md`; {@link replaceGeneratedBlocks} rewrites only what lies between them.
 * `scripts/docs-metrics.ts` writes the README (with `docs/metrics.md`) and `readme-tables.test.ts`
 * fails when it is out of date.
 *
 * @module
 */

import {
  BINDINGS,
  type CollectorBinding,
  callOf,
  enableSettings,
  nameOf,
  sourceSettings,
} from '../collectors/index.ts';
import { type ExporterConfig, loadConfig, PREFIX } from '../config/config.ts';
import { defaultOf, SETTING_CATALOG, type SettingEntry } from '../config/setting-catalog.ts';
import { flagFor, SETTING_FLAGS } from '../config/setting-flags.ts';
import { MAX_AGE_INTERVALS, planTiers } from '../schedule/tiers.ts';
import { SELF_METRIC_DEFINITIONS, type SelfMetricDefinition } from '../telemetry/self-metric-definitions.ts';
import { cell, code, labelList, listOf, table } from './markdown.ts';
import { REGENERATE_COMMAND } from './metrics-reference.ts';

/** The README's generated blocks, in the order they appear. */
export const README_BLOCKS = ['flags', 'settings', 'collector-switches', 'tiers', 'self-metrics'] as const;

/** The name of one generated block, as its markers spell it. */
export type ReadmeBlock = (typeof README_BLOCKS)[number];

/** The line a generated block starts after, e.g. `<!-- generated:tiers (npx … docs:metrics) -->`. */
export const startMarker = (block: string): string => `<!-- generated:${block} (${REGENERATE_COMMAND}) -->`;

/** The line a generated block ends before, e.g. `<!-- /generated:tiers -->`. */
export const endMarker = (block: string): string => `<!-- /generated:${block} -->`;

/** The default tier intervals: what the exporter runs with when no `INTERVALS__…` is set. */
function defaultIntervals(bindings: readonly CollectorBinding[]): ExporterConfig['intervals'] {
  const noFiles = (path: string): string => {
    throw new Error(`the defaults read no file, yet ${path} was asked for`);
  };
  const result = loadConfig({ env: {}, readFile: noFiles, demo: true }, bindings);
  if (!result.ok) throw new Error(`the default settings do not parse: ${JSON.stringify(result.problems)}`);
  return result.config.intervals;
}

function summaryOf(binding: CollectorBinding): string {
  if (binding.summary.trim() === '') throw new Error(`collector ${nameOf(binding)} has no summary`);
  return cell(binding.summary);
}

/** What one run of `binding` calls: its CHAOS command, or what its source's docs say instead. */
const switchCallOf = (binding: CollectorBinding): string =>
  binding.source.docs?.switchCall ?? code(callOf(binding));

const onOff = (on: boolean): string => (on ? 'on' : 'off');

/**
 * The README's Tiers table: per tier and collector, the default interval, the one CHAOS call (or
 * what its source's docs say it fetches instead), what
 * the collector gathers, its enable variable (and default) and the max age of its data. Every
 * binding appears, enabled by default or not.
 *
 * @throws {Error} when the bindings are inconsistent (see `enableSettings`) or one lacks a summary.
 */
export function renderTiersTable(bindings: readonly CollectorBinding[] = BINDINGS): string {
  const settings = enableSettings(bindings);
  const everything = Object.fromEntries(settings.map((setting) => [setting.flag, true]));
  const plan = planTiers(
    { intervals: defaultIntervals(bindings), collectors: { enabled: everything, includePostcode: false } },
    bindings,
  );
  const rows = plan.flatMap((tier) =>
    tier.collectors.map((binding) => {
      const setting = settings.find((candidate) => candidate.flag === binding.enable.flag);
      return [
        tier.name,
        `${tier.intervalSeconds} s`,
        binding.source.docs?.tiersCall ?? code(callOf(binding)),
        `${code(nameOf(binding))}: ${summaryOf(binding)}`,
        `${setting === undefined ? '–' : code(setting.variable)} (${onOff(binding.enable.default)})`,
        `${tier.maxAgeSeconds} s`,
      ];
    }),
  );
  return table(
    [
      'tier',
      'default interval',
      'CHAOS call per account per run',
      'collector',
      'enabled by',
      `max age (${MAX_AGE_INTERVALS} × interval)`,
    ],
    rows,
  ).join('\n');
}

/**
 * The README's collector switches: one `AAISP_EXPORTER_COLLECTORS__ENABLE_<FLAG>` row per enable
 * flag, in the Configuration table's columns, naming each collector it turns on with what it
 * gathers, its CHAOS call and its tier; then a row per setting a data source reads.
 *
 * @throws {Error} when the bindings are inconsistent (see `enableSettings`) or one lacks a summary.
 */
export function renderCollectorSwitches(bindings: readonly CollectorBinding[] = BINDINGS): string {
  const rows = enableSettings(bindings).map((setting) => {
    const collectors = bindings.filter((binding) => binding.enable.flag === setting.flag);
    const meaning = collectors
      .map(
        (binding) =>
          `${code(nameOf(binding))} (${binding.tier}, ${switchCallOf(binding)}): ${summaryOf(binding)}`,
      )
      .join('; ');
    return [
      code(`${PREFIX}${setting.variable}`),
      code(String(setting.default)),
      'boolean',
      `turns on ${meaning}`,
    ];
  });
  // A data source's own settings follow the switches: they matter only with its collectors on.
  const sourceRows = sourceSettings(bindings).map((setting) => [
    code(`${PREFIX}${setting.variable}`),
    '–',
    cell(setting.allowed),
    cell(setting.description),
  ]);
  return table(['variable', 'default', 'allowed', 'meaning'], [...rows, ...sourceRows]).join('\n');
}

/**
 * The README's table of the exporter's own metrics (name, type, labels, meaning from `help`), and
 * which of them carry `account` when several accounts are configured.
 */
export function renderSelfMetricsTable(
  definitions: readonly SelfMetricDefinition[] = SELF_METRIC_DEFINITIONS,
): string {
  const rows = definitions.map((metric) => [
    code(metric.name),
    metric.type,
    labelList(metric.labels),
    cell(metric.help),
  ]);
  const exporterWide = definitions.filter((metric) => !metric.perAccount).map((metric) => code(metric.name));
  const account =
    exporterWide.length === 0
      ? 'With several accounts each of these also carries `account`.'
      : `With several accounts each of these, except ${listOf(exporterWide)}, also carries \`account\`.`;
  return [...table(['metric', 'type', 'labels', 'meaning'], rows), '', account].join('\n');
}

/**
 * The README's Configuration table: every variable of the settings catalog, with the parser's
 * default (`defaultOf`) and the flag that sets it, if any.
 */
export function renderSettingsTable(catalog: readonly SettingEntry[] = SETTING_CATALOG): string {
  const rows = catalog.map((entry) => {
    const flag = flagFor(entry.variable);
    return [
      code(`${PREFIX}${entry.variable}`),
      defaultOf(entry),
      cell(entry.allowed),
      `${cell(entry.meaning)}${flag === undefined ? '' : ` (flag ${code(`--${flag.name}`)})`}`,
    ];
  });
  return table(['variable', 'default', 'allowed', 'meaning'], rows).join('\n');
}

/** The README's table of setting flags: each flag, what it takes, and the variables it sets. */
export function renderFlagsTable(): string {
  const rows = SETTING_FLAGS.map((flag) => [
    code(`--${flag.name}${flag.value === undefined ? '' : `=${flag.value}`}`),
    flag.variables.map((variable) => code(`${PREFIX}${variable}`)).join(' and '),
    cell(flag.summary),
  ]);
  return table(['flag', 'sets', 'meaning'], rows).join('\n');
}

/** Every generated block of the README, rendered. */
export function renderReadmeBlocks(
  bindings: readonly CollectorBinding[] = BINDINGS,
): Readonly<Record<ReadmeBlock, string>> {
  return {
    flags: renderFlagsTable(),
    settings: renderSettingsTable(),
    'collector-switches': renderCollectorSwitches(bindings),
    tiers: renderTiersTable(bindings),
    'self-metrics': renderSelfMetricsTable(),
  };
}

/**
 * `text` with each block of `blocks` put between its markers, a blank line either side; the
 * marker lines and everything outside them are kept as they are. Pure.
 *
 * @throws {Error} when a block's start or end marker is missing, repeated or out of order.
 */
export function replaceGeneratedBlocks(text: string, blocks: Readonly<Record<string, string>>): string {
  let lines = text.split('\n');
  for (const [block, body] of Object.entries(blocks)) {
    const start = startMarker(block);
    const end = endMarker(block);
    const starts = indexesOf(lines, start);
    const ends = indexesOf(lines, end);
    const [from] = starts;
    const [to] = ends;
    if (starts.length !== 1 || ends.length !== 1 || from === undefined || to === undefined || to < from) {
      throw new Error(
        `the generated block ${block} needs exactly one line \`${start}\` followed later by exactly one line \`${end}\` (found ${starts.length} and ${ends.length}${from !== undefined && to !== undefined && to < from ? ', in the wrong order' : ''})`,
      );
    }
    lines = [...lines.slice(0, from + 1), '', ...body.split('\n'), '', ...lines.slice(to)];
  }
  return lines.join('\n');
}

/** The indexes of the lines that are `marker`, ignoring trailing whitespace (and a CR). */
function indexesOf(lines: readonly string[], marker: string): number[] {
  return lines.flatMap((line, index) => (line.trimEnd() === marker ? [index] : []));
}
