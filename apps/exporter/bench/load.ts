/**
 * One autocannon run against a URL, reduced to the figures the table prints.
 *
 * @module
 */

import { request } from 'node:http';
import autocannon from 'autocannon';
import { ACCEPT_HEADERS } from '../scripts/harness.ts';

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
  /** Ask for gzip, as Prometheus does; identity when absent. */
  readonly gzip?: boolean | undefined;
}

/** What a response carried on the wire: the body as sent, not decoded. */
export interface WireResponse {
  readonly status: number;
  readonly contentType: string;
  readonly contentEncoding: string | undefined;
  readonly body: Buffer;
}

/** One GET with the load's headers, its body left as sent (fetch would decode gzip). */
export function getOnce(url: string, options: Pick<LoadOptions, 'gzip'> = {}): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    request(url, { headers: loadHeaders(options) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'] ?? 'text/plain; version=0.0.4; charset=utf-8',
          contentEncoding: response.headers['content-encoding'],
          body: Buffer.concat(chunks),
        }),
      );
    })
      .on('error', reject)
      .end();
  });
}

/** The request headers of a load: Prometheus' text `Accept`, gzip or identity. */
export function loadHeaders(options: Pick<LoadOptions, 'gzip'>): Record<string, string> {
  return { accept: ACCEPT_HEADERS.text, 'accept-encoding': options.gzip === true ? 'gzip' : 'identity' };
}

/** Loads `url` with autocannon in this process and answers its figures. */
export async function loadUrl(url: string, options: LoadOptions): Promise<LoadFigures> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationSeconds,
    headers: loadHeaders(options),
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
