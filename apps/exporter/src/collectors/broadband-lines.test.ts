/**
 * The `broadband_lines` binding against `@aaisp/chaos-mock`: the names configured for an account's
 * lines reach the `name` label of `aaisp_broadband_line_info`.
 */
import { type ChaosClient, createChaosClient } from '@aaisp/chaos-client';
import { DEFAULT_CREDENTIALS, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindingNamed } from '../../harness/bindings.ts';
import { designIntervals, mockAccount } from '../../harness/exporter-config.ts';
import { storeText } from '../../harness/store-text.ts';
import type { AccountConfig } from '../model/account.ts';
import { createCollectJob, startRuns } from '../schedule/collect-job.ts';
import { planTiers } from '../schedule/tiers.ts';
import { createStateKeeper, sourceMemory } from '../state/state-keeper.ts';
import { createSnapshotStore } from '../store/snapshot.ts';
import { createLogger } from '../telemetry/logger.ts';

const tiers = planTiers({
  intervals: designIntervals,
  collectors: { enabled: { broadband: true }, includePostcode: false },
});
const logger = createLogger({ level: 'silent', format: 'json' });

describe('broadband_lines: line names', () => {
  let mock: RunningChaosMock;
  let client: ChaosClient;
  beforeAll(async () => {
    mock = await startChaosMock({ lines: 3 });
    client = createChaosClient({ baseUrl: mock.url, auth: DEFAULT_CREDENTIALS, retry: 0 });
  });
  afterAll(async () => {
    await mock.close();
  });

  /** The `aaisp_broadband_line_info` lines after one run for `account`. */
  async function lineInfo(account: AccountConfig): Promise<string[]> {
    const store = createSnapshotStore();
    const run = createCollectJob({
      accounts: [account],
      clients: new Map([[account.name, client]]),
      store,
      runs: startRuns({
        tiers,
        includePostcode: false,
        fetchPolicy: { timeoutMs: 5000, retries: 0 },
        logger,
        now: () => 0,
        memory: (source) => sourceMemory(createStateKeeper({ logger }), source.name),
      }),
      multiAccount: false,
      now: () => 0,
    });
    await run(account.name, bindingNamed('broadband_lines'), new AbortController().signal);
    return storeText(store, 'text', 0)
      .split('\n')
      .filter((line) => line.startsWith('aaisp_broadband_line_info{'));
  }

  it('labels a named line with its name and leaves the others to their CHAOS title', async () => {
    const plain = await lineInfo(mockAccount());
    const named = await lineInfo({ ...mockAccount(), lineNames: { '32002': 'Home office' } });
    expect(named).toContain(
      'aaisp_broadband_line_info{line_id="32002",login="test@a.2",name="Home office"} 1',
    );
    // Every other line is exactly as without names.
    expect(named.filter((line) => !line.includes('"32002"'))).toEqual(
      plain.filter((line) => !line.includes('"32002"')),
    );
    expect(plain.some((line) => line.includes('Home office'))).toBe(false);
  });
});
