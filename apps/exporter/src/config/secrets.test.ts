import { describe, expect, it } from 'vitest';
import type { ConfigProblem } from './problem.ts';
import { readSecret } from './secrets.ts';

const NAMES = { value: 'PASSWORD', file: 'PASSWORD_FILE' };
const FILES: Record<string, string> = {
  '/s': 'secret\n',
  '/crlf': 'secret\r\n',
  '/two': 'secret\n\n',
  '/e': '\n',
};
const readFile = (path: string): string => {
  const text = FILES[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
  return text;
};

/** The secret and the problems from one call. */
function read(value: string | undefined, file: string | undefined) {
  const problems: ConfigProblem[] = [];
  return { secret: readSecret(value, file, NAMES, readFile, problems), problems };
}

describe('readSecret', () => {
  it('takes the value as given, and an empty value as unset', () => {
    expect(read('secret', undefined)).toEqual({ secret: 'secret', problems: [] });
    expect(read('', undefined)).toEqual({ secret: undefined, problems: [] });
    expect(read(undefined, undefined)).toEqual({ secret: undefined, problems: [] });
  });

  it('drops exactly one trailing newline from a file, LF or CRLF', () => {
    expect(read(undefined, '/s').secret).toBe('secret');
    expect(read(undefined, '/crlf').secret).toBe('secret');
    expect(read(undefined, '/two').secret).toBe('secret\n');
  });

  it('refuses a value and a file together, named by the value, as a given secret that failed', () => {
    expect(read('secret', '/s')).toEqual({
      secret: { kind: 'secret-failed' },
      problems: [{ variable: 'PASSWORD', message: 'set either PASSWORD or PASSWORD_FILE, not both' }],
    });
  });

  it('takes the value when the _FILE beside it is empty, and nothing from an empty _FILE alone', () => {
    expect(read('pw', '')).toEqual({ secret: 'pw', problems: [] });
    expect(read(undefined, '')).toEqual({ secret: undefined, problems: [] });
  });

  it('reads the file when the value beside it is empty, since an empty value counts as unset', () => {
    expect(read('', '/s')).toEqual({ secret: 'secret', problems: [] });
  });

  it('names the file for an empty or unreadable one, by path and error code only, and fails the secret', () => {
    expect(read(undefined, '/e')).toEqual({
      secret: { kind: 'secret-failed' },
      problems: [{ variable: 'PASSWORD_FILE', message: 'file /e is empty' }],
    });
    expect(read(undefined, '/nope')).toEqual({
      secret: { kind: 'secret-failed' },
      problems: [{ variable: 'PASSWORD_FILE', message: 'cannot read /nope (ENOENT)' }],
    });
  });
});
