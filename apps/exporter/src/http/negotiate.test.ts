import { describe, expect, it } from 'vitest';
import { acceptsGzip, negotiateFormat } from './negotiate.ts';

describe('negotiateFormat: the Accept header → the exposition format', () => {
  it.each([
    // What Prometheus 3 sends by default (scrape_protocols), OpenMetrics first.
    [
      'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
      'openmetrics',
    ],
    ['application/openmetrics-text', 'openmetrics'],
    ['Application/OpenMetrics-Text; version=1.0.0', 'openmetrics'],
    ['text/plain, application/openmetrics-text;q=0.1', 'openmetrics'],
    ['text/plain;version=0.0.4', 'text'],
    ['*/*', 'text'],
    ['text/html,application/xhtml+xml', 'text'],
    ['', 'text'],
  ] as const)('%j → %s', (accept, expected) => {
    expect(negotiateFormat(accept)).toBe(expected);
  });

  it('is the text format without the header (curl, a browser)', () => {
    expect(negotiateFormat(undefined)).toBe('text');
  });
});

describe('acceptsGzip: the Accept-Encoding header, with q-values', () => {
  it.each([
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['deflate, GZIP;q=0.5', true],
    ['x-gzip', true],
    ['*', true],
    ['br, *;q=0.1', true],
    ['gzip;q=0', false],
    ['gzip;q=0.000, *', false],
    ['*;q=0', false],
    ['identity', false],
    ['deflate, br', false],
    ['', false],
  ])('%j → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });

  it('is false without the header: a client that did not ask may not decode it', () => {
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
