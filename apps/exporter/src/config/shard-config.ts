/**
 * The shard pair, `AAISP_EXPORTER_SHARD__INDEX` and `…SHARD__COUNT`: which share of the accounts
 * this replica collects (see `schedule/shard.ts`). Each value is parsed with the other settings;
 * what needs both, is checked here.
 *
 * @module
 */

import type { ConfigProblem } from './problem.ts';
import { type Env, PREFIX, settingText } from './settings.ts';

/** Which shard this replica is: `index` of `count` (0 ≤ index < count). */
export interface ShardConfig {
  readonly index: number;
  readonly count: number;
}

const SHARD_INDEX = `${PREFIX}SHARD__INDEX`;
const SHARD_COUNT = `${PREFIX}SHARD__COUNT`;

/**
 * `SHARD__INDEX` and `SHARD__COUNT` go together. Judged on which are set (non-empty), not on their
 * values, so the missing one is reported alongside any other problem, a bad value included.
 */
export function shardPairProblem(env: Env): ConfigProblem | undefined {
  const index = settingText(env, 'SHARD__INDEX') !== undefined;
  const count = settingText(env, 'SHARD__COUNT') !== undefined;
  if (index === count) return undefined;
  return index
    ? { variable: SHARD_COUNT, message: `is required with ${SHARD_INDEX}: set both or neither` }
    : { variable: SHARD_INDEX, message: `is required with ${SHARD_COUNT}: set both or neither` };
}

/**
 * The shard from the parsed pair: undefined when either is unset (every account), or with a
 * problem added when the index is not below the count. A shard may own none of the accounts (more
 * replicas than accounts): valid, it serves nothing.
 */
export function shardFrom(
  index: number | undefined,
  count: number | undefined,
  problems: ConfigProblem[],
): ShardConfig | undefined {
  if (index === undefined || count === undefined) return undefined;
  if (index >= count) {
    problems.push({
      variable: SHARD_INDEX,
      message: `must be below ${SHARD_COUNT} (${count}): shards are numbered 0 to ${count - 1}`,
    });
    return undefined;
  }
  return { index, count };
}
