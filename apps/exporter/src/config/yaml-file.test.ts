import { describe, expect, it } from 'vitest';
import { notValidYaml, parseYamlText } from './yaml-file.ts';
import { reasonForCode } from './yaml-syntax-error.ts';

const SECRET = 'pa55-Very-Secret';
const PATH = '/etc/aaisp/accounts.yml';

/** The problem message for `text`, checked never to quote the secret in it. */
function message(text: string): string {
  const result = parseYamlText(text);
  if (result.ok) throw new Error('expected a YAML error');
  const said = notValidYaml(PATH, result);
  expect(said).not.toContain(SECRET);
  expect(said).not.toContain('pa55');
  return said;
}

describe('parseYamlText', () => {
  it('parses a good document, and an empty one as null', () => {
    expect(parseYamlText('a: 1\nb: [x, "y"]\n')).toEqual({ ok: true, document: { a: 1, b: ['x', 'y'] } });
    expect(parseYamlText('')).toEqual({ ok: true, document: null });
  });

  it('reports an unclosed quote where it opens, not where the file ends', () => {
    const text = [
      'accounts:',
      '  - name: home',
      '    control_login: ab123@a',
      `    control_password: "${SECRET}`,
      '  - name: shop',
      '    control_login: cd456@a',
      '    control_password: other',
    ].join('\n');
    expect(parseYamlText(text)).toEqual({
      ok: false,
      kind: 'yaml-syntax',
      line: 4,
      column: 23,
      reason: 'unclosed double-quoted string',
    });
    expect(message(text)).toBe(`${PATH} line 4, column 23: unclosed double-quoted string`);
  });

  it.each([
    [
      'an unclosed single quote',
      `a: 1\nb: '${SECRET}\nc: 2\n`,
      'line 2, column 4: unclosed single-quoted string',
    ],
    [
      'a double quote whose last quote is escaped',
      `a: "${SECRET}\\"\nb: 1\n`,
      'line 1, column 4: unclosed double-quoted string',
    ],
    [
      'an unclosed quote on the last line, no newline',
      `a: "${SECRET}`,
      'line 1, column 4: unclosed double-quoted string',
    ],
    [
      'an unclosed quote in CRLF text',
      `a: 1\r\nb: "${SECRET}\r\nc: 2\r\n`,
      'line 2, column 4: unclosed double-quoted string',
    ],
    ['an unclosed [', `a: [1, ${SECRET}\nb: 3\n`, 'line 1, column 4: unclosed [ list'],
    ['an unclosed {', `a: { x: ${SECRET}\nb: 3\n`, 'line 1, column 4: unclosed { mapping'],
    ['an unclosed [ at the top', `[1, ${SECRET}\n`, 'line 1, column 1: unclosed [ list'],
    ['an unclosed quote inside [', `a: [1, "${SECRET}\n`, 'line 1, column 8: unclosed double-quoted string'],
  ])('MISSING_CHAR, %s: names the unclosed token at its start', (_title, text, said) => {
    expect(message(text)).toBe(`${PATH} ${said}`);
  });

  it.each([
    [
      'MISSING_CHAR',
      `a: ${SECRET}\nb\n`,
      'line 2, column 1: missing character (a colon after a key, a comma, a space, or a closing bracket)',
    ],
    ['BAD_INDENT', `a:\n  b: ${SECRET}\n c: 2\n`, 'line 3, column 1: bad indentation'],
    [
      'BLOCK_IN_FLOW',
      `a: [b: - ${SECRET}]\n`,
      'line 1, column 8: indented list or mapping inside [ ] or { }',
    ],
    ['DUPLICATE_KEY', `password: ${SECRET}\npassword: 2\n`, 'line 2, column 1: duplicate key'],
    // A number and a string that read the same would be one key of the object: the first lost.
    ['DUPLICATE_KEY', `names:\n  32001: ${SECRET}\n  "32001": Other\n`, 'line 3, column 3: duplicate key'],
    ['TAB_AS_INDENT', `a:\n\tb: ${SECRET}\n`, 'line 2, column 1: tab used for indentation'],
    ['UNEXPECTED_TOKEN', `a: ${SECRET}\n]\n`, 'line 2, column 1: unexpected character'],
    [
      'MULTILINE_IMPLICIT_KEY',
      `a ${SECRET}\nc: 1\n`,
      'line 1, column 1: key runs over more than one line (a missing colon?)',
    ],
    [
      'BAD_DQ_ESCAPE',
      `a: "${SECRET}\\q"\n`,
      'line 1, column 21: bad escape sequence in a double-quoted string',
    ],
    ['MULTIPLE_DOCS', `a: ${SECRET}\n---\nb: 2\n`, 'line 2, column 1: more than one YAML document (---)'],
    [
      'BAD_SCALAR_START',
      `a: @${SECRET}\n`,
      'line 1, column 4: value starts with a reserved character (quote the value)',
    ],
    ['MULTIPLE_ANCHORS', `a: &x &y ${SECRET}\n`, 'line 1, column 7: more than one anchor on one value'],
    ['MULTIPLE_TAGS', `a: !!str !!str ${SECRET}\n`, 'line 1, column 10: more than one tag on one value'],
    [
      'ALIAS_PROPS',
      `a: &x ${SECRET}\nb: !!str *x\n`,
      'line 2, column 10: an alias (*name) cannot have a tag or an anchor',
    ],
    ['BAD_ALIAS', `a: & ${SECRET}\n`, 'line 1, column 4: bad anchor or alias name (empty, or ending in ":")'],
    ['BLOCK_AS_IMPLICIT_KEY', `a: b: ${SECRET}\n`, 'line 1, column 4: list or mapping used as a key'],
    ['BAD_PROP_ORDER', `&x ? ${SECRET}\n: 1\n`, 'line 1, column 4: tag or anchor in the wrong place'],
    [
      'KEY_OVER_1024_CHARS',
      `${SECRET}${'x'.repeat(1100)}: 1\n`,
      'line 1, column 1: key longer than 1024 characters',
    ],
  ])('%s: line, column and our own reason', (_code, text, said) => {
    expect(message(text)).toBe(`${PATH} ${said}`);
  });

  it('names an alias to an anchor that is not defined before it, by position', () => {
    expect(message(`a: ${SECRET}\nb: *${SECRET}\n`)).toBe(
      `${PATH} line 2, column 4: alias (*name) to an anchor not defined before it`,
    );
  });

  it('refuses aliases that expand too far, without a position', () => {
    // Each level repeats the one before nine times: 9^6 values from a few lines.
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [from, to] of ['ab', 'bc', 'cd', 'de', 'ef']) {
      levels.push(`${to}: &${to} [${Array(9).fill(`*${from}`).join(', ')}]`);
    }
    expect(message(levels.join('\n'))).toBe(`${PATH}: aliases expand too far`);
  });
});

describe('reasonForCode', () => {
  it('words a known code, and still names a code it does not know', () => {
    expect(reasonForCode('DUPLICATE_KEY')).toBe('duplicate key');
    expect(reasonForCode('SOME_NEW_CODE')).toBe('YAML error SOME_NEW_CODE');
    expect(reasonForCode('toString')).toBe('YAML error toString');
  });
});
