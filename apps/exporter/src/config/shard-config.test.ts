import { describe, expect, it } from 'vitest';
import type { ConfigProblem } from './problem.ts';
import { shardFrom, shardPairProblem } from './shard-config.ts';

const P = 'AAISP_EXPORTER_';

describe('shardPairProblem', () => {
  it('is satisfied by both or neither, an empty variable counting as unset', () => {
    expect(shardPairProblem({})).toBeUndefined();
    expect(shardPairProblem({ [`${P}SHARD__INDEX`]: 'x', [`${P}SHARD__COUNT`]: 'y' })).toBeUndefined();
    expect(shardPairProblem({ [`${P}SHARD__INDEX`]: '', [`${P}SHARD__COUNT`]: '' })).toBeUndefined();
  });

  it('names the missing one', () => {
    expect(shardPairProblem({ [`${P}SHARD__INDEX`]: '0', [`${P}SHARD__COUNT`]: '' })?.variable).toBe(
      `${P}SHARD__COUNT`,
    );
    expect(shardPairProblem({ [`${P}SHARD__COUNT`]: '2' })?.variable).toBe(`${P}SHARD__INDEX`);
  });
});

describe('shardFrom', () => {
  it('is no shard unless both are given, and the pair when the index is below the count', () => {
    const problems: ConfigProblem[] = [];
    expect(shardFrom(undefined, 2, problems)).toBeUndefined();
    expect(shardFrom(1, undefined, problems)).toBeUndefined();
    expect(shardFrom(1, 2, problems)).toEqual({ index: 1, count: 2 });
    expect(problems).toEqual([]);
  });

  it('refuses an index at or past the count', () => {
    const problems: ConfigProblem[] = [];
    expect(shardFrom(3, 2, problems)).toBeUndefined();
    expect(problems).toEqual([
      {
        variable: `${P}SHARD__INDEX`,
        message: `must be below ${P}SHARD__COUNT (2): shards are numbered 0 to 1`,
      },
    ]);
  });
});
