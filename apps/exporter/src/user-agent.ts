/**
 * The `User-Agent` the exporter sends to CHAOS and to every other source (CQM links included), in
 * one place so the long-running exporter and the `record` command cannot drift apart: A&A sees
 * one product name, and a recording says so in a way their logs can tell apart.
 *
 * @module
 */

/**
 * The exporter's `User-Agent`: `aaisp-exporter/<version>`, or `aaisp-exporter/<version> (record)`
 * for what the `record` command sends, so that a one-off capture is never mistaken for the
 * exporter's regular polling.
 *
 * @example
 * ```ts
 * exporterUserAgent('1.4.0'); //=> 'aaisp-exporter/1.4.0'
 * exporterUserAgent('1.4.0', 'record'); //=> 'aaisp-exporter/1.4.0 (record)'
 * ```
 */
export function exporterUserAgent(version: string, purpose?: 'record'): string {
  const product = `aaisp-exporter/${version}`;
  return purpose === undefined ? product : `${product} (${purpose})`;
}
