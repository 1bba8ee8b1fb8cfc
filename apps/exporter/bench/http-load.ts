/**
 * A load generator on Node's own HTTP client, for gzipped bodies. autocannon parses responses with
 * http-parser-js, which is ~10× slower on binary bodies than on text (on this machine: a 52 KB body
 * of letters 13 700 requests/s, of random bytes 1 350), so under autocannon a gzipped scrape
 * measures the load generator, not the server. Node's parser (llhttp) does not care what the body
 * holds. Same shape of load: keep-alive connections, each sending its next request when the last
 * answer ends, bodies read and dropped.
 *
 * @module
 */

import { Agent, request } from 'node:http';
import type { LoadFigures, LoadOptions } from './load.ts';
import { loadHeaders } from './load.ts';

/** The value at quantile `q` (0–1) of ascending `sorted`, nearest rank (the bench's one definition). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

/** A request that has not answered within this is counted as a failure and dropped. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Loads `url` with Node's HTTP client in this process. Latencies keep their fractions of a ms
 * (autocannon's are whole ms), so a ratio of two small p99s stays meaningful; `requests` counts
 * the 200 answers, as the latencies do.
 */
export async function loadUrlNode(
  url: string,
  options: Pick<LoadOptions, 'connections' | 'durationSeconds' | 'gzip'>,
): Promise<LoadFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const headers = loadHeaders(options);
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const until = started + options.durationSeconds * 1000;
  const once = (): Promise<void> =>
    new Promise((resolve) => {
      const sent = performance.now();
      // An aborted answer can fail on the response and the request both: count it once.
      let settled = false;
      const settle = (ok: boolean): void => {
        if (settled) return;
        settled = true;
        if (ok) latencies.push(performance.now() - sent);
        else failures++;
        resolve();
      };
      const call = request(url, { agent, headers, timeout: REQUEST_TIMEOUT_MS }, (response) => {
        response.resume();
        response.on('end', () => settle(response.statusCode === 200));
        response.on('error', () => settle(false));
      });
      call.on('timeout', () => call.destroy(new Error('timed out')));
      call.on('error', () => settle(false));
      call.end();
    });
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < until) await once();
    }),
  );
  const elapsedSeconds = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    requestsPerSecond: latencies.length / elapsedSeconds,
    requests: latencies.length,
    failures,
  };
}
