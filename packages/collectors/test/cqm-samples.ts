/**
 * CQM samples for the collectors' tests: DJ's real 2017 row (docs/chaos-api.md §11.2) as the SDK
 * parses it (6 376 000 ns is 0.006376 s), placed at 100 s steps from a fixed start.
 *
 * @module
 */

import type { CqmSample } from '@aaisp/chaos-client';

/** 2025-11-20 08:00:00 UTC: GMT, so the CSV's wall time is the same. */
export const T0: number = Date.UTC(2025, 10, 20, 8, 0, 0);

/** The start of sample `index`, ms. */
export const at = (index: number): number => T0 + index * 100_000;

/** Sample `index` as the real row, with `change`s. */
export const real = (index: number, change: Partial<CqmSample> = {}): CqmSample => ({
  start: new Date(at(index)),
  periodSeconds: 100,
  pollsSent: 100,
  failedRatio: 0,
  latencySeconds: { min: 0.006376, avg: 0.006807, max: 0.007345 },
  trafficBitsPerSecond: { down: 278400, up: 19670 },
  score: 1,
  ...change,
});
