import { describe, expect, it } from 'vitest';
import { acceptsGzip, negotiateFormat } from './negotiate.ts';

describe('negotiateFormat: the Accept header → the exposition format, by q-value', () => {
  it.each([
    // Prometheus 2.5–2.33 (a constant in scrape/scrape.go).
    ['application/openmetrics-text; version=0.0.1,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', 'openmetrics'],
    // Prometheus 2.34–2.48 (a constant in scrape/scrape.go).
    [
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'openmetrics',
    ],
    // Prometheus 2.49–2.55, default scrape_protocols (built by acceptHeader(): q from 0.5 down).
    [
      'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
      'openmetrics',
    ],
    // Prometheus 3.4+, default scrape_protocols: OpenMetrics named twice, the higher q counts.
    [
      'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
      'openmetrics',
    ],
    // Prometheus 3.4+, protobuf first (scrape_native_histograms): no protobuf here, OpenMetrics next.
    [
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1',
      'openmetrics',
    ],
    // Prometheus 3.4+, scrape_protocols: [PrometheusText0.0.4]: OpenMetrics only through */*, lower.
    ['text/plain;version=0.0.4;q=0.6,*/*;q=0.5', 'text'],
    // The same in Prometheus 3.0–3.3, which put escaping on every protocol.
    ['text/plain;version=0.0.4;escaping=allow-utf-8;q=0.6,*/*;q=0.5', 'text'],
    // Prometheus 3.4+, scrape_protocols: [PrometheusText0.0.4, OpenMetricsText1.0.0].
    [
      'text/plain;version=0.0.4;q=0.6,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,*/*;q=0.4',
      'text',
    ],
    // curl, and browsers (Firefox, Chrome): OpenMetrics only ties through a wildcard.
    ['*/*', 'text'],
    ['text/html,application/xhtml+xml,*/*;q=0.8', 'text'],
    [
      'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
      'text',
    ],
    // Java's HttpURLConnection: a bare `*` read as */*.
    ['text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2', 'text'],
    // q=0 is "not acceptable", and the most specific range decides.
    ['application/openmetrics-text;q=0', 'text'],
    ['application/openmetrics-text;q=0, */*', 'text'],
    ['text/plain;version=0.0.4, application/openmetrics-text;version=1.0.0;q=0', 'text'],
    ['text/plain;q=0, application/openmetrics-text', 'openmetrics'],
    ['*/*;q=0, application/openmetrics-text', 'openmetrics'],
    ['text/*;q=0, */*;q=0.1', 'openmetrics'],
    // Nothing acceptable: still never a 406, the text format.
    ['text/plain;q=0', 'text'],
    ['text/plain;q=0, application/openmetrics-text;q=0', 'text'],
    ['*/*;q=0', 'text'],
    ['text/html,application/xhtml+xml', 'text'],
    ['', 'text'],
    [' , ', 'text'],
    // The higher q wins, whichever comes first.
    ['text/plain;q=0.9, application/openmetrics-text;q=0.8', 'text'],
    ['text/plain, application/openmetrics-text;q=0.1', 'text'],
    ['text/*;q=0.9, application/openmetrics-text;q=0.5', 'text'],
    [
      'application/openmetrics-text;version=0.0.1;q=0.2,application/openmetrics-text;q=0.7,text/plain;q=0.5',
      'openmetrics',
    ],
    ['application/*', 'openmetrics'],
    // Ties: OpenMetrics when named, text when OpenMetrics comes only through a wildcard.
    ['text/plain, application/openmetrics-text', 'openmetrics'],
    ['application/openmetrics-text;q=0.5, text/plain;q=0.5', 'openmetrics'],
    ['*/*;q=0.5, application/openmetrics-text;q=0.5', 'openmetrics'],
    ['application/*, text/*', 'text'],
    ['application/*;q=0.5, text/plain;q=0.5', 'text'],
    // Case-insensitive names and parameters, lenient q-values and whitespace.
    ['APPLICATION/OPENMETRICS-TEXT;Q=0.5, text/plain;q=0.4', 'openmetrics'],
    ['Application/OpenMetrics-Text; version=1.0.0', 'openmetrics'],
    [' application/openmetrics-text ; q = 0.5 , text/plain ; q=0.4', 'openmetrics'],
    ['application/openmetrics-text;q=.5, text/plain;q=.4', 'openmetrics'],
    ['application/openmetrics-text;q=high, text/plain;q=0.9', 'openmetrics'],
    ['application/openmetrics-text;q=-1, */*', 'text'],
    ['text/plain;q=7, application/openmetrics-text', 'openmetrics'],
    [',,application/openmetrics-text,', 'openmetrics'],
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
    ['GZIP;Q=0', false],
    // An unreadable q-value counts as 1, an empty one too.
    ['gzip;q=', true],
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
