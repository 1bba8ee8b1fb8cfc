import { describe, expect, it } from 'vitest';
import { errorCode } from './error-code.ts';

describe('errorCode', () => {
  it('reads a string code, and nothing else', () => {
    expect(errorCode(Object.assign(new Error('no'), { code: 'ENOENT' }))).toBe('ENOENT');
    expect(errorCode(Object.assign(new Error('no'), { code: 20 }))).toBeUndefined();
    expect(errorCode(new Error('no'))).toBeUndefined();
    expect(errorCode({ code: 'ENOENT' })).toBeUndefined();
    expect(errorCode('ENOENT')).toBeUndefined();
  });
});
