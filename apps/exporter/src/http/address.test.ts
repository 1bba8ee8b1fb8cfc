import { describe, expect, it } from 'vitest';
import { addressText } from './address.ts';

describe('addressText', () => {
  it('brackets an IPv6 host and leaves the others as they are', () => {
    expect(addressText('::1', 9099)).toBe('[::1]:9099');
    expect(addressText('::', 0)).toBe('[::]:0');
    expect(addressText('127.0.0.1', 9099)).toBe('127.0.0.1:9099');
    expect(addressText('localhost', 80)).toBe('localhost:80');
  });
});
