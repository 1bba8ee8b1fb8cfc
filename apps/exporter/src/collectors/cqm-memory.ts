/**
 * A line's CQM memory (`CqmLineState`) as JSON, for the state file: with it, a restarted exporter
 * goes on counting where it stopped instead of resetting the `aaisp_cqm_*_total` counters and
 * forgetting which samples it has counted. Only counters, times and the newest sample's values go
 * in, never the line's CQM link.
 *
 * The JSON mirrors the state, with the newest sample's `start` as ms since the epoch:
 *
 * ```json
 * {
 *   "lastSeenStartMs": 1768910300000,
 *   "periodSeconds": 100,
 *   "totals": { "pollsSent": 200, "pollsFailed": 3, "offlineSeconds": 0, "unobservedSeconds": 0, "samples": 2 },
 *   "newest": { "start": 1768910300000, "periodSeconds": 100, "pollsSent": 100, "failedRatio": 0.03,
 *               "latencySeconds": { "min": 0.008, "avg": 0.009, "max": 0.012 },
 *               "trafficBitsPerSecond": { "down": 51200, "up": 12800 }, "score": 1 }
 * }
 * ```
 *
 * @module
 */

import type { CqmSample } from '@aaisp/chaos-client';
import type { CqmLineState } from '@aaisp/collectors';
import * as z from 'zod';
import type { JsonValue } from '../model/json.ts';

/**
 * The numbers that are there: JSON has no `undefined`, and NaN or ±Infinity would come back as
 * `null` and spoil the whole value, so a value that is not a finite number is left out.
 */
function finiteFields(fields: Readonly<Record<string, number | undefined>>): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && Number.isFinite(value)) out[key] = value;
  }
  return out;
}

function encodeSample(sample: CqmSample): { [key: string]: JsonValue } {
  return {
    ...finiteFields({
      start: sample.start.getTime(),
      periodSeconds: sample.periodSeconds,
      pollsSent: sample.pollsSent,
      failedRatio: sample.failedRatio,
      score: sample.score,
    }),
    latencySeconds: finiteFields({ ...sample.latencySeconds }),
    trafficBitsPerSecond: finiteFields({ ...sample.trafficBitsPerSecond }),
  };
}

/**
 * A line's CQM state as a JSON value, for `StateKeeper.setTarget('cqm', account, lineId, …)`.
 * {@link decodeCqmLineState} gives the same state back.
 */
export function encodeCqmLineState(state: CqmLineState): JsonValue {
  const out = finiteFields({ lastSeenStartMs: state.lastSeenStartMs, periodSeconds: state.periodSeconds });
  out.totals = finiteFields({ ...state.totals });
  if (state.newest !== undefined) out.newest = encodeSample(state.newest);
  return out;
}

/** A running total: zod's `z.number()` already refuses NaN and ±Infinity. */
const total = z.number().nonnegative();

/** ECMAScript's Date range: a time outside it would be an Invalid Date. */
const epochMs = z.int().min(-8.64e15).max(8.64e15);

const SampleSchema = z.object({
  start: epochMs.transform((ms) => new Date(ms)),
  // 0 is a period A&A might write (trackCqm reads it as absent), so it is kept as is.
  periodSeconds: z.number().nonnegative().optional(),
  pollsSent: z.number().nonnegative().optional(),
  failedRatio: z.number().min(0).max(1).optional(),
  latencySeconds: z.object({
    min: z.number().optional(),
    avg: z.number().optional(),
    max: z.number().optional(),
  }),
  trafficBitsPerSecond: z.object({ down: z.number().optional(), up: z.number().optional() }),
  // An undocumented grade that may be negative.
  score: z.number().optional(),
});

const CqmLineStateSchema = z.object({
  lastSeenStartMs: epochMs.optional(),
  periodSeconds: z.number().positive().optional(),
  totals: z.object({
    pollsSent: total,
    pollsFailed: total,
    offlineSeconds: total,
    unobservedSeconds: total,
    samples: z.int().nonnegative(),
  }),
  newest: SampleSchema.optional(),
});

/**
 * The CQM state a JSON value holds (as {@link encodeCqmLineState} wrote it), or `undefined` when it
 * is not one: any shape error, a negative or non-finite total, a non-integer sample count, or a
 * newest sample that does not start at `lastSeenStartMs`. Keys it does not know are ignored. The
 * caller then starts the line afresh (`emptyCqmLineState()`), as after a restart without state.
 */
export function decodeCqmLineState(value: unknown): CqmLineState | undefined {
  const parsed = CqmLineStateSchema.safeParse(value);
  if (!parsed.success) return undefined;
  // trackCqm's invariant: the newest sample is the one that starts at lastSeenStartMs. Checked
  // here rather than in a zod refine, which zod also runs on values whose fields failed.
  const { newest, lastSeenStartMs } = parsed.data;
  if (newest !== undefined && newest.start.getTime() !== lastSeenStartMs) return undefined;
  // Frozen like trackCqm's states, which are never changed in place.
  return Object.freeze({ ...parsed.data, totals: Object.freeze(parsed.data.totals) });
}
