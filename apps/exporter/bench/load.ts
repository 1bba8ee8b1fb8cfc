/**
 * One autocannon run against a URL, reduced to the figures the table prints.
 *
 * @module
 */

import autocannon from 'autocannon';

/** The `Accept` header Prometheus sends for the text format. */
export const TEXT_ACCEPT = 'text/plain;version=0.0.4;q=1,*/*;q=0.1';

/** What one load run measured. */
export interface LoadFigures {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requestsPerSecond: number;
  readonly requests: number;
  /** Errors, timeouts and non-2xx answers together: any of them makes the latency suspect. */
  readonly failures: number;
}

/** What shapes the load. */
export interface LoadOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  /** Requests per second over all connections; as fast as possible when absent. */
  readonly overallRate?: number | undefined;
}

/** Loads `url` with autocannon in this process and answers its figures. */
export async function loadUrl(url: string, options: LoadOptions): Promise<LoadFigures> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationSeconds,
    headers: { accept: TEXT_ACCEPT },
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
  });
  return {
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    failures: result.errors + result.non2xx,
  };
}
