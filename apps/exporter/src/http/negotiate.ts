/**
 * What the client asked for: the exposition format (from `Accept`) and whether it takes gzip (from
 * `Accept-Encoding`). Both are read leniently, since the clients that matter are Prometheus and
 * people with `curl`; neither ever gets a 406.
 *
 * @module
 */

import type { ExpositionFormat } from '@aaisp/collectors';

/**
 * The exposition format for an `Accept` header. Prometheus asks for OpenMetrics in `Accept`;
 * anything else gets the text format.
 *
 * @example
 * ```ts
 * negotiateFormat('application/openmetrics-text;version=1.0.0,text/plain;q=0.5'); // 'openmetrics'
 * negotiateFormat(undefined); // 'text'
 * ```
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  return accept !== undefined && /application\/openmetrics-text/i.test(accept) ? 'openmetrics' : 'text';
}

/**
 * Whether an `Accept-Encoding` header accepts gzip (RFC 9110 §12.5.3): `gzip` or `x-gzip` (the
 * first named) with a q-value above 0, or, when neither is named, `*` with one. A missing header
 * means identity: a client that did not ask may not be able to decode it. Weights are not ranked
 * against each other: a client that accepts gzip at all gets it, because for a 6 MB exposition
 * gzip is what any client wants (RFC 9110 lets the server choose among acceptable codings).
 *
 * @example
 * ```ts
 * acceptsGzip('gzip'); // true (Prometheus)
 * acceptsGzip('gzip;q=0, identity'); // false
 * acceptsGzip(undefined); // false
 * ```
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  let wildcard: boolean | undefined;
  for (const element of header.split(',')) {
    const [coding = '', ...parameters] = element.split(';').map((part) => part.trim().toLowerCase());
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    // An unreadable q-value counts as 1 (RFC 9110 allows at most three decimals; be lenient).
    const weight = q === undefined ? 1 : Number(q.slice(2));
    const accepted = Number.isNaN(weight) || weight > 0;
    if (coding === 'gzip' || coding === 'x-gzip') return accepted;
    if (coding === '*') wildcard = accepted;
  }
  return wildcard ?? false;
}
