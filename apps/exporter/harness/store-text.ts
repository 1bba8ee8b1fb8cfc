/**
 * A snapshot store's exposition as one string, for tests: what `/metrics` (or, with `account`,
 * `/probe`) would serve of the store at `nowMs`.
 *
 * @module
 */

import type { ExpositionFormat } from '@aaisp/collectors';
import type { SnapshotStore } from '../src/store/snapshot.ts';

/** The store's exposition at `nowMs`, as text. */
export function storeText(
  store: Pick<SnapshotStore<unknown>, 'exposition'>,
  format: ExpositionFormat,
  nowMs: number,
  account?: string,
): string {
  return Buffer.concat(store.exposition(format, nowMs, account).parts).toString('utf8');
}
