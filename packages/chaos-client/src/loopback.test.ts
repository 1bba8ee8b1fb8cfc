import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './loopback.ts';

describe('isLoopbackHost', () => {
  it('accepts localhost in any case, all of 127.0.0.0/8 and [::1]', () => {
    for (const host of ['localhost', 'LocalHost', '127.0.0.1', '127.1.2.3', '127.255.255.255', '[::1]']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it('refuses other hosts, look-alikes and strings that are no address', () => {
    for (const host of [
      'example.com',
      'localhost.example.com',
      'foo.localhost',
      '128.0.0.1',
      '10.127.0.0',
      '127.0.0',
      '127.256.0.1',
      '127.0.0.01',
      '::1',
      '[::2]',
      '',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('takes a URL’s hostname as the URL parser normalises it', () => {
    expect(isLoopbackHost(new URL('http://LOCALHOST:9099/').hostname)).toBe(true);
    expect(isLoopbackHost(new URL('http://127.1/').hostname)).toBe(true);
    expect(isLoopbackHost(new URL('http://[0:0:0:0:0:0:0:1]/').hostname)).toBe(true);
    expect(isLoopbackHost(new URL('http://127.0.0.1.example.com/').hostname)).toBe(false);
  });
});
