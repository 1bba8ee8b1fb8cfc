/**
 * A stand-in for Prometheus and a curious person: scrapes the exporter's endpoints once a
 * second and counts the answers, so the soak exercises the render paths while faults play.
 *
 * @module
 */

import { setTimeout as delay } from 'node:timers/promises';

/** What the scraper saw. */
export interface ScrapeTally {
  readonly rounds: number;
  readonly ok: number;
  /** Non-2xx answers and failed requests, as `path status` or `path ErrorName`. */
  readonly failures: Readonly<Record<string, number>>;
  /** The slowest answer per path, ms. */
  readonly slowestMs: Readonly<Record<string, number>>;
}

/** A running scraper. */
export interface Scraper {
  tally(): ScrapeTally;
  /** Ends the loop after the round in progress. */
  stop(): Promise<ScrapeTally>;
}

/** Longer than the exporter's own 10 s request timeout: a hang shows as a failure, not a stall. */
const REQUEST_LIMIT_MS = 15_000;

/** Starts scraping `paths` of `baseUrl` in turn, pausing `pauseMs` after each round. */
export function startScraper(baseUrl: string, paths: readonly string[], pauseMs = 1000): Scraper {
  const controller = new AbortController();
  let rounds = 0;
  let ok = 0;
  const failures: Record<string, number> = {};
  const slowestMs: Record<string, number> = {};
  const fail = (key: string): void => {
    failures[key] = (failures[key] ?? 0) + 1;
  };

  const scrape = async (path: string): Promise<void> => {
    const started = performance.now();
    try {
      const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(REQUEST_LIMIT_MS) });
      await response.arrayBuffer();
      if (response.ok) ok++;
      else fail(`${path} ${response.status}`);
    } catch (error) {
      fail(`${path} ${error instanceof Error ? error.name : 'error'}`);
    }
    slowestMs[path] = Math.max(slowestMs[path] ?? 0, performance.now() - started);
  };

  const loop = (async () => {
    while (!controller.signal.aborted) {
      for (const path of paths) await scrape(path);
      rounds++;
      // An abort only cuts the pause short; it is how the loop ends, not a failure.
      await delay(pauseMs, undefined, { signal: controller.signal }).catch(() => undefined);
    }
  })();

  const tally = (): ScrapeTally => ({ rounds, ok, failures: { ...failures }, slowestMs: { ...slowestMs } });
  return {
    tally,
    async stop() {
      controller.abort();
      await loop;
      return tally();
    },
  };
}
