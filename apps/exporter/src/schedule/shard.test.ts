import { describe, expect, it } from 'vitest';
import { hashmod, ownedElsewhere, planShard, shardOf } from './shard.ts';

/**
 * What the real Prometheus computed: Debian's prometheus 2.42.0 given these names as
 * `static_configs` targets and four `hashmod` relabel rules on `__address__` (moduli 2, 3, 1000 and
 * 2^64-1, the last giving the whole 64-bit value), read back from its `/api/v1/targets`. Python's
 * hashlib (`int.from_bytes(md5(name).digest()[8:], 'big')`) agrees.
 */
const PROMETHEUS_VECTORS: readonly [string, { m2: number; m3: number; m1000: number; m64: bigint }][] = [
  ['default', { m2: 0, m3: 2, m1000: 690, m64: 4890996671249282690n }],
  ['home', { m2: 1, m3: 2, m1000: 25, m64: 3323224629456577025n }],
  ['office', { m2: 1, m3: 1, m1000: 887, m64: 8453135537137988887n }],
  ['parents', { m2: 0, m3: 1, m1000: 130, m64: 17446694210972154130n }],
  ['acme-ltd', { m2: 0, m3: 2, m1000: 924, m64: 17263540974604040924n }],
  ['shop_2', { m2: 0, m3: 2, m1000: 478, m64: 4539120914722900478n }],
  ['a', { m2: 1, m3: 1, m1000: 697, m64: 3585878926028121697n }],
  ['ab123', { m2: 1, m3: 1, m1000: 299, m64: 14633298004027424299n }],
  ['Z9', { m2: 0, m3: 1, m1000: 762, m64: 17535093934815091762n }],
  ['customer-0001', { m2: 0, m3: 1, m1000: 550, m64: 14984733355530795550n }],
  ['customer-0002', { m2: 1, m3: 0, m1000: 723, m64: 3773936639811948723n }],
  ['customer-0003', { m2: 1, m3: 1, m1000: 543, m64: 2194534326667747543n }],
];

describe('hashmod', () => {
  it.each(PROMETHEUS_VECTORS)('%s: the values Prometheus 2.42 computed', (name, expected) => {
    expect(hashmod(name, 2n)).toBe(BigInt(expected.m2));
    expect(hashmod(name, 3n)).toBe(BigInt(expected.m3));
    expect(hashmod(name, 1000n)).toBe(BigInt(expected.m1000));
    expect(hashmod(name, 2n ** 64n - 1n)).toBe(expected.m64);
    expect(shardOf(name, 3)).toBe(expected.m3);
  });

  it('puts everything in shard 0 of 1', () => {
    expect(PROMETHEUS_VECTORS.map(([name]) => shardOf(name, 1))).toEqual(PROMETHEUS_VECTORS.map(() => 0));
  });

  it('refuses a modulus of 0, as Prometheus refuses the config', () => {
    expect(() => hashmod('home', 0n)).toThrow(RangeError);
  });
});

describe('planShard', () => {
  const names = ['default', 'home', 'office', 'parents', 'acme-ltd', 'shop_2'];

  it('gives each shard the accounts hashing to its index, in configured order', () => {
    expect(planShard(names, { index: 0, count: 2 }).accounts).toEqual([
      'default',
      'parents',
      'acme-ltd',
      'shop_2',
    ]);
    expect(planShard(names, { index: 1, count: 2 }).accounts).toEqual(['home', 'office']);
    expect(planShard(names, { index: 0, count: 3 }).accounts).toEqual([]);
    expect(planShard(names, { index: 2, count: 3 }).accounts).toEqual([
      'default',
      'home',
      'acme-ltd',
      'shop_2',
    ]);
  });

  it('records every account’s owner', () => {
    const plan = planShard(names, { index: 1, count: 3 });
    expect(Object.fromEntries(plan.ownerOf)).toEqual({
      default: 2,
      home: 2,
      office: 1,
      parents: 1,
      'acme-ltd': 2,
      shop_2: 2,
    });
  });
});

describe('ownedElsewhere', () => {
  const plan = planShard(['home', 'office', 'parents'], { index: 1, count: 2 });

  it('names the owning shard of an account configured but not collected here', () => {
    expect(ownedElsewhere(plan, 'parents')).toBe('account parents belongs to shard 0 of 2; this is shard 1');
  });

  it('says nothing of this shard’s own accounts or of unknown names', () => {
    expect(ownedElsewhere(plan, 'home')).toBeUndefined();
    expect(ownedElsewhere(plan, 'nobody')).toBeUndefined();
  });
});
