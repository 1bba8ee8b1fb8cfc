import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BINDINGS, enableSettings, nameOf } from '../collectors/index.ts';
import { MAX_AGE_INTERVALS } from '../schedule/tiers.ts';
import { SELF_METRIC_DEFINITIONS } from '../telemetry/self-metric-definitions.ts';
import { REGENERATE_COMMAND } from './metrics-reference.ts';
import {
  endMarker,
  README_BLOCKS,
  renderCollectorSwitches,
  renderReadmeBlocks,
  renderSelfMetricsTable,
  renderTiersTable,
  replaceGeneratedBlocks,
  startMarker,
} from './readme-tables.ts';

const README = new URL('../../README.md', import.meta.url);

/** The lines of `text` from `block`'s start marker to its end marker. */
function blockOf(text: string, block: string): string {
  const from = text.indexOf(startMarker(block));
  const to = text.indexOf(endMarker(block));
  return from === -1 || to === -1 ? '' : text.slice(from, to);
}

describe('apps/exporter/README.md', () => {
  it('has its generated blocks up to date with the bindings and the self-metric definitions', async () => {
    const committed = await readFile(README, 'utf8');
    let expected: string;
    try {
      expected = replaceGeneratedBlocks(committed, renderReadmeBlocks());
    } catch (error) {
      throw new Error(
        `apps/exporter/README.md lost a generated block's markers (${String(error)}); put them back and run \`${REGENERATE_COMMAND}\` from the repository root`,
      );
    }
    expect(
      committed,
      `apps/exporter/README.md is out of date: run \`${REGENERATE_COMMAND}\` from the repository root and commit the result`,
    ).toBe(expected);
  });

  it('keeps the enable variables in their generated block only', async () => {
    const committed = await readFile(README, 'utf8');
    const switches = blockOf(committed, 'collector-switches');
    for (const setting of enableSettings()) {
      const row = `| \`AAISP_EXPORTER_${setting.variable}\` |`;
      expect(switches, setting.variable).toContain(row);
      expect(committed.split(row).length - 1, `${setting.variable} has one row`).toBe(1);
    }
    // The postcode switch is not a collector's: it stays in the hand-written Configuration table.
    expect(switches).not.toContain('INCLUDE_POSTCODE');
    expect(committed).toContain('| `AAISP_EXPORTER_COLLECTORS__INCLUDE_POSTCODE` | `false` | boolean |');
  });
});

describe('the README tables', () => {
  it('plan every collector on its tier, with the default interval, command, summary, switch and max age', () => {
    const tiers = renderTiersTable();
    expect(tiers).toContain(`| max age (${MAX_AGE_INTERVALS} × interval) |`);
    expect(tiers).toContain(
      '| fast | 60 s | `broadband/info` | `broadband_lines`: line info, sync rates, adjusted rate, quota, resync counter, line count (every line from one call) | `COLLECTORS__ENABLE_BROADBAND` (on) | 180 s |',
    );
    expect(tiers).toContain(
      '| slow | 900 s | `telephony/ratecard` | `telephony_ratecard`: call rates | `COLLECTORS__ENABLE_TELEPHONY` (off) | 2700 s |',
    );
    // Tier order, and every binding once, the ones off by default included.
    expect(
      tiers
        .split('\n')
        .slice(2)
        .map((row) => row.split(' | ')[0]),
    ).toEqual(['| fast', '| medium', '| slow', '| slow', '| cqm']);
    expect(tiers).toContain('| cqm | 300 s | none: one CQM CSV per configured line | `cqm`: ');
    for (const binding of BINDINGS) expect(tiers).toContain(`\`${nameOf(binding)}\`: ${binding.summary} |`);
  });

  it('list one switch per enable flag, naming the collectors it turns on', () => {
    const switches = renderCollectorSwitches();
    expect(switches.split('\n')).toHaveLength(2 + enableSettings().length);
    expect(switches).toContain(
      '| `AAISP_EXPORTER_COLLECTORS__ENABLE_BROADBAND` | `true` | boolean | turns on `broadband_lines` (fast, `broadband/info`): ',
    );
    expect(switches).toContain('; `broadband_services` (medium, `broadband/services`): services count |');
    expect(switches).toContain(
      '| `AAISP_EXPORTER_COLLECTORS__ENABLE_LOGIN` | `false` | boolean | turns on `login_services` (slow, `login/services`): control logins count |',
    );
    // The CQM collector calls no CHAOS command: its switch says so rather than show a pseudo-command.
    expect(switches).toContain(
      "| `AAISP_EXPORTER_COLLECTORS__ENABLE_CQM` | `true` | boolean | turns on `cqm` (cqm, A&A's CQM CSV, not CHAOS): ",
    );
    expect(switches).not.toContain('cqm/csv');
  });

  it('list every self-metric with its type, labels and help, and which ones lack `account`', () => {
    const table = renderSelfMetricsTable();
    for (const metric of SELF_METRIC_DEFINITIONS) {
      expect(table).toContain(`| \`${metric.name}\` | ${metric.type} |`);
      expect(table).toContain(`| ${metric.help} |`);
    }
    expect(table).toContain('| `aaisp_collector_errors_total` | counter | `collector`, `error_type` |');
    expect(table).toContain(
      'With several accounts each of these, except `aaisp_exporter_build_info`, `aaisp_exporter_up`, `aaisp_exporter_config_last_reload_successful` and `aaisp_exporter_config_last_reload_success_timestamp_seconds`, also carries `account`.',
    );
    expect(renderSelfMetricsTable(SELF_METRIC_DEFINITIONS.filter((metric) => metric.perAccount))).toContain(
      'With several accounts each of these also carries `account`.',
    );
  });

  it('refuse a binding without a summary', () => {
    const [first, ...rest] = BINDINGS;
    if (first === undefined) throw new Error('no bindings');
    const bindings = [{ ...first, summary: ' ' }, ...rest];
    expect(() => renderTiersTable(bindings)).toThrow(`collector ${nameOf(first)} has no summary`);
    expect(() => renderCollectorSwitches(bindings)).toThrow('has no summary');
  });
});

describe('replaceGeneratedBlocks', () => {
  const text = [
    'before',
    startMarker('a'),
    'stale',
    endMarker('a'),
    'middle',
    startMarker('b'),
    endMarker('b'),
    'after',
  ].join('\n');

  it('rewrites only between the markers, and is idempotent', () => {
    const once = replaceGeneratedBlocks(text, { a: 'A1\nA2', b: 'B' });
    expect(once).toBe(
      [
        'before',
        startMarker('a'),
        '',
        'A1',
        'A2',
        '',
        endMarker('a'),
        'middle',
        startMarker('b'),
        '',
        'B',
        '',
        endMarker('b'),
        'after',
      ].join('\n'),
    );
    expect(replaceGeneratedBlocks(once, { a: 'A1\nA2', b: 'B' })).toBe(once);
  });

  it('fails loudly on a missing, repeated or misplaced marker', () => {
    expect(() => replaceGeneratedBlocks(text, { c: 'C' })).toThrow(
      /generated block c needs exactly one line/,
    );
    expect(() => replaceGeneratedBlocks(text.replace(endMarker('a'), ''), { a: 'A' })).toThrow(
      /found 1 and 0/,
    );
    expect(() => replaceGeneratedBlocks(`${text}\n${startMarker('b')}`, { b: 'B' })).toThrow(/found 2 and 1/);
    const swapped = [endMarker('a'), startMarker('a')].join('\n');
    expect(() => replaceGeneratedBlocks(swapped, { a: 'A' })).toThrow(/in the wrong order/);
  });

  it('names the regenerate command in the start marker', () => {
    expect(startMarker('tiers')).toBe(`<!-- generated:tiers (${REGENERATE_COMMAND}) -->`);
    expect(endMarker('tiers')).toBe('<!-- /generated:tiers -->');
    expect(Object.keys(renderReadmeBlocks()).sort()).toEqual([...README_BLOCKS].sort());
  });
});
