import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTING_FLAGS } from '../config/setting-flags.ts';
import { plainText } from '../docs/markdown.ts';
import { endMarker, startMarker } from '../docs/readme-tables.ts';
import { COMMAND_FLAGS } from './flags.ts';
import { helpVariables, renderHelp } from './help.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The table rows of one generated block of the README, as plain-text cells. */
function readmeRows(block: string): string[][] {
  const from = README.indexOf(startMarker(block));
  const to = README.indexOf(endMarker(block));
  if (from === -1 || to === -1) throw new Error(`the README has no ${block} block`);
  return README.slice(from, to)
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .slice(2, -2)
        .split(' | ')
        .map((cell) => plainText(cell).trim()),
    );
}

/** `--help`'s entry for each variable: name → its default and allowed lines. */
function helpEntries(help: string): Map<string, { defaultText: string; allowed: string }> {
  const entries = new Map<string, { defaultText: string; allowed: string }>();
  const section = help.slice(help.indexOf('Environment variables:\n'));
  for (const chunk of section.split(/\n {2}(?=AAISP_EXPORTER_)/).slice(1)) {
    const [head = '', ...rest] = chunk.split('\n');
    const name = head.split(' ')[0] ?? '';
    const line = (label: string): string =>
      rest.find((text) => text.startsWith(`      ${label}: `))?.slice(`      ${label}: `.length) ?? '';
    entries.set(name, { defaultText: line('default'), allowed: line('allowed') });
  }
  return entries;
}

describe('--help and the README', () => {
  const help = renderHelp();
  const entries = helpEntries(help);

  it('list the same variables with the same default and allowed values', () => {
    const rows = [...readmeRows('settings'), ...readmeRows('collector-switches')];
    expect(rows.length).toBe(helpVariables().length);
    expect(entries.size).toBe(rows.length);
    for (const [variable = '', defaultText = '', allowed = ''] of rows) {
      expect(entries.get(variable), variable).toEqual({
        defaultText: defaultText === '–' ? 'none' : defaultText,
        allowed,
      });
    }
  });

  it('list the same setting flags, each setting the same variables', () => {
    const rows = readmeRows('flags');
    expect(rows.map(([flag]) => flag)).toEqual(
      SETTING_FLAGS.map((flag) => `--${flag.name}${flag.value === undefined ? '' : `=${flag.value}`}`),
    );
    for (const [flag = '', sets = ''] of rows) {
      expect(help, flag).toContain(`\n  ${flag}\n`);
      for (const variable of sets.split(' and ')) expect(entries.has(variable), variable).toBe(true);
    }
  });
});

describe('renderHelp', () => {
  const help = renderHelp();

  it('lists every flag, setting and command alike', () => {
    for (const flag of SETTING_FLAGS) expect(help).toContain(`\n  --${flag.name}`);
    for (const flag of COMMAND_FLAGS)
      expect(help).toMatch(new RegExp(`\\n  (-${flag.short}, )?--${flag.name}\\b`));
  });

  it("gives each variable the parser's default and range, and each flag its variables and default", () => {
    expect(help).toContain(
      '  AAISP_EXPORTER_SERVER__PORT  (flag --web.listen-address)\n      port to listen on; 0 picks a free port, shown in the exporter listening log line\n      default: 9099\n      allowed: 0–65535\n',
    );
    expect(help).toContain(
      '  --log.level=LEVEL\n      least severe level logged; sets AAISP_EXPORTER_LOGGING__LEVEL (default info; allowed\n      fatal, error, warn, info, debug, trace, silent)\n',
    );
    expect(help).toContain('AAISP_EXPORTER_SERVER__PORT (default 0.0.0.0:9099)');
    expect(help).toContain(
      '  AAISP_EXPORTER_COLLECTORS__ENABLE_CQM\n      turns on cqm\n      default: true\n',
    );
  });

  it('keeps its prose within the width of a terminal, Markdown removed', () => {
    const prose = help.split('\n').filter((line) => !/^ {6}(allowed|default): |https:\/\//.test(line));
    for (const line of prose) expect(line.length, line).toBeLessThanOrEqual(96);
    expect(help).not.toContain('`');
    expect(help).not.toMatch(/\]\(#/);
  });
});
