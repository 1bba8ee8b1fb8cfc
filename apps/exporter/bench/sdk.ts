/**
 * The SDK's share of a `broadband/info` call and the collector's mapping, per N lines, measured
 * here rather than imported: the packages' own benches are scripts that print, not functions.
 * The SDK's parser is not exported, so its cost is `client.broadband.info()` minus a raw fetch of
 * the same body (that difference is JSON.parse plus the SDK's validation and mapping).
 *
 * @module
 */

import { createChaosClient } from '@aaisp/chaos-client';
import { DEFAULT_CREDENTIALS, type RunningChaosMock } from '@aaisp/chaos-mock';
import { broadbandLines, emptySyncChangeState, trackSyncChanges } from '@aaisp/collectors';
import { postChaosForm, timeMedian } from '../../../bench.shared.ts';

/** What the SDK and the collector cost for one mock. */
export interface SdkFigures {
  /** Raw POST and reading the body as text. */
  readonly fetchMs: number;
  /** `client.broadband.info()`: HTTP, JSON.parse and the SDK's parse. */
  readonly infoMs: number;
  /** `broadbandLines.collect(info, …)`: answer → samples. */
  readonly collectMs: number;
}

/** Times the raw fetch, the SDK call and the collector against `mock`. */
export async function measureSdk(mock: RunningChaosMock): Promise<SdkFigures> {
  const auth = {
    controlLogin: DEFAULT_CREDENTIALS.controlLogin,
    controlPassword: DEFAULT_CREDENTIALS.controlPassword,
  };
  const client = createChaosClient({ baseUrl: mock.url, auth, retry: 0 });
  const rawFetch = (): Promise<string> => postChaosForm(mock.url, 'broadband/info', auth);
  const info = await client.broadband.info();
  const syncChanges = trackSyncChanges(emptySyncChangeState(), info);
  return {
    fetchMs: await timeMedian(rawFetch),
    infoMs: await timeMedian(() => client.broadband.info()),
    collectMs: await timeMedian(() =>
      broadbandLines.collect(info, { syncChanges: trackSyncChanges(syncChanges, info) }),
    ),
  };
}
