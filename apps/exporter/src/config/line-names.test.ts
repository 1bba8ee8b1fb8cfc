import { describe, expect, it } from 'vitest';
import { LINE_NAME_MAX, lineNamesFromRecord, lineNamesFromText } from './line-names.ts';
import type { ConfigProblem } from './problem.ts';

/** The names and the problems (as `where: message`) from a names file's text. */
function fromText(text: string) {
  const problems: ConfigProblem[] = [];
  const names = lineNamesFromText(text, (line) => `line ${line}`, problems);
  return { names, problems: problems.map(({ variable, message }) => `${variable}: ${message}`) };
}

/** The names and the problems from an accounts-file `names:` mapping. */
function fromRecord(entries: Record<string, unknown>) {
  const problems: ConfigProblem[] = [];
  const names = lineNamesFromRecord(entries, (lineId) => `names.${lineId}`, problems);
  return { names, problems: problems.map(({ variable, message }) => `${variable}: ${message}`) };
}

describe('lineNamesFromText', () => {
  it('reads `line_id name`, the name being the rest of the line, trimmed; skips comments and blanks', () => {
    expect(
      fromText(
        '# my lines\n\n32001 Home\r\n  32002\tShop floor  # till\n\t\n# 32003 Old\n32004   Mum’s   \n',
      ),
    ).toEqual({
      names: { '32001': 'Home', '32002': 'Shop floor  # till', '32004': 'Mum’s' },
      problems: [],
    });
    expect(fromText('')).toEqual({ names: {}, problems: [] });
  });

  it('reports each bad line by its number, never quoting it, and keeps the good ones', () => {
    const secretish = 'XX1 1XX private';
    const { names, problems } = fromText(
      [
        '32001 Home',
        '32002',
        `home ${secretish}`,
        '32001 Again',
        `32003 ${'x'.repeat(LINE_NAME_MAX + 1)}`,
        `32004 ${'é'.repeat(LINE_NAME_MAX)}`,
        '32005 a\u0007b',
      ].join('\n'),
    );
    expect(names).toEqual({ '32001': 'Home', '32004': 'é'.repeat(LINE_NAME_MAX) });
    expect(problems).toEqual([
      'line 2: expected `<line_id> <name>`',
      'line 3: the line ID must be digits (the A&A line ID, e.g. 32001)',
      'line 4: line 32001 is named twice',
      `line 5: the name must be at most ${LINE_NAME_MAX} characters`,
      'line 7: the name must not contain control characters such as tabs',
    ]);
    expect(problems.join('\n')).not.toContain(secretish);
  });
});

describe('lineNamesFromRecord', () => {
  it('trims each name and keeps the good entries', () => {
    expect(fromRecord({ '32001': '  Home ', '32002': 'Shop' })).toEqual({
      names: { '32001': 'Home', '32002': 'Shop' },
      problems: [],
    });
  });

  it('names the key of each bad entry', () => {
    expect(
      fromRecord({ '32001': 'Home', Home: 'Shop', '32002': '   ', '32003': 2024, '32004': 'y'.repeat(65) }),
    ).toEqual({
      names: { '32001': 'Home' },
      problems: [
        'names.32002: the name must not be empty',
        'names.32003: the name must be text (quote it, e.g. "2024")',
        `names.32004: the name must be at most ${LINE_NAME_MAX} characters`,
        'names.Home: the line ID must be digits (the A&A line ID, e.g. 32001)',
      ],
    });
  });
});
