import { describe, expect, it } from 'vitest';
import { readValueOrFile } from './value-or-file.ts';

const NAMES = { value: 'cert', file: 'cert_file' };
const readFile = (path: string): string => {
  if (path === '/pem') return 'text\n';
  throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
};

describe('readValueOrFile', () => {
  it('takes the value, or the file’s text as it is, or says neither was given', () => {
    expect(readValueOrFile('inline', undefined, NAMES, readFile)).toEqual({ kind: 'value', text: 'inline' });
    expect(readValueOrFile(undefined, '/pem', NAMES, readFile)).toEqual({
      kind: 'file',
      path: '/pem',
      text: 'text\n',
    });
    expect(readValueOrFile(undefined, undefined, NAMES, readFile)).toEqual({ kind: 'none' });
  });

  it('refuses both, even an empty value, without reading the file', () => {
    const read = (path: string): string => {
      throw new Error(`read ${path}`);
    };
    for (const value of ['inline', '']) {
      expect(readValueOrFile(value, '/pem', NAMES, read)).toEqual({
        kind: 'both',
        message: 'set either cert or cert_file, not both',
      });
    }
  });

  it('reports an unreadable file by path and error code only', () => {
    expect(readValueOrFile(undefined, '/nope', NAMES, readFile)).toEqual({
      kind: 'unreadable',
      path: '/nope',
      message: 'cannot read /nope (ENOENT)',
    });
  });
});
