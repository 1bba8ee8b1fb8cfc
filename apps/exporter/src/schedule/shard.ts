/**
 * Sharding: with `AAISP_EXPORTER_SHARD__INDEX`/`__COUNT`, each replica collects only the accounts
 * whose name hashes to its index, by the same hash Prometheus' `hashmod` relabel action uses. A
 * Prometheus job per replica that keeps `hashmod(__address__) == index` then scrapes exactly the
 * accounts that replica collects, and CHAOS sees each account from one replica only.
 *
 * @module
 */

import { createHash } from 'node:crypto';
import type { ShardConfig } from '../config/shard-config.ts';

/** A shard applied to the configured accounts. */
export interface ShardPlan extends ShardConfig {
  /** The configured accounts this replica collects and serves, in configured order. */
  readonly accounts: readonly string[];
  /** The owning shard of every configured account, this replica's own included. */
  readonly ownerOf: ReadonlyMap<string, number>;
}

/**
 * Prometheus' `hashmod`: `md5(value)`, its last 8 bytes read as a big-endian unsigned 64-bit
 * integer, modulo `modulus`. From prometheus/prometheus `model/relabel/relabel.go`:
 *
 * ```go
 * case HashMod:
 *     hash := md5.Sum([]byte(val))
 *     // Use only the last 8 bytes of the hash to give the same result as earlier versions of this code.
 *     mod := binary.BigEndian.Uint64(hash[8:]) % cfg.Modulus
 * ```
 *
 * Go's `[]byte(val)` is the string's UTF-8 bytes, as is Node's default encoding. BigInt, because
 * the 64-bit value does not fit a double.
 *
 * @param value - the relabel input: with `source_labels: [__address__]`, the target itself
 * @param modulus - the relabel `modulus` (at least 1)
 */
export function hashmod(value: string, modulus: bigint): bigint {
  if (modulus < 1n) throw new RangeError('hashmod needs a modulus of at least 1');
  return createHash('md5').update(value, 'utf8').digest().readBigUInt64BE(8) % modulus;
}

/** The shard (0…count-1) that owns an account name among `count` shards. */
export function shardOf(name: string, count: number): number {
  return Number(hashmod(name, BigInt(count)));
}

/** Which of `names` the shard owns, and who owns each of them. */
export function planShard(names: readonly string[], shard: ShardConfig): ShardPlan {
  const ownerOf = new Map(names.map((name) => [name, shardOf(name, shard.count)]));
  return {
    index: shard.index,
    count: shard.count,
    accounts: names.filter((name) => ownerOf.get(name) === shard.index),
    ownerOf,
  };
}

/**
 * Why this replica does not serve `name` although it is configured: another shard owns it. Said
 * plainly, so a Prometheus job routed to the wrong replica is obvious from the scrape error.
 * `undefined` when the name is not configured, or is this shard's own.
 */
export function ownedElsewhere(plan: ShardPlan, name: string): string | undefined {
  const owner = plan.ownerOf.get(name);
  if (owner === undefined || owner === plan.index) return undefined;
  return `account ${name} belongs to shard ${owner} of ${plan.count}; this is shard ${plan.index}`;
}
