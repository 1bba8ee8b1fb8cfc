import { type ChaosClient, createChaosClient, isChaosError } from '@aaisp/chaos-client';
import { DEFAULT_CREDENTIALS, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bindingNamed } from '../../harness/bindings.ts';
import { designIntervals, mockAccount } from '../../harness/exporter-config.ts';
import { storeText } from '../../harness/store-text.ts';

import { createStateKeeper, sourceMemory } from '../state/state-keeper.ts';
import { createSnapshotStore } from '../store/snapshot.ts';
import { createLogger } from '../telemetry/logger.ts';
import { createCollectJob, startRuns } from './collect-job.ts';
import { planTiers } from './tiers.ts';

const tiers = planTiers({
  intervals: designIntervals,
  collectors: { enabled: { broadband: true, telephony: true, login: true }, includePostcode: false },
});
const signal = new AbortController().signal;

describe('a collect job against the mock CHAOS', () => {
  let mock: RunningChaosMock;
  let client: ChaosClient;
  const logs: { msg: string; line?: string }[] = [];
  const logger = createLogger(
    { level: 'info', format: 'json' },
    { destination: { write: (line: string) => void logs.push(JSON.parse(line)) } },
  );

  beforeAll(async () => {
    mock = await startChaosMock({ lines: 6 });
    client = createChaosClient({
      baseUrl: mock.url,
      auth: {
        controlLogin: DEFAULT_CREDENTIALS.controlLogin,
        controlPassword: DEFAULT_CREDENTIALS.controlPassword,
      },
      retry: 0,
    });
  });
  afterEach(() => {
    mock.setScenario('normal');
    mock.resetStats();
    logs.length = 0;
  });
  afterAll(async () => {
    await mock.close();
  });

  const job = (options: { multiAccount?: boolean; includePostcode?: boolean } = {}) => {
    const store = createSnapshotStore();
    const state = createStateKeeper({ logger });
    const run = createCollectJob({
      accounts: [mockAccount()],
      clients: new Map([['default', client]]),
      store,
      runs: startRuns({
        tiers,
        includePostcode: options.includePostcode ?? false,
        fetchPolicy: { timeoutMs: 5000, retries: 0 },
        logger,
        now: () => 0,
        memory: (source) => sourceMemory(state, source.name),
      }),
      multiAccount: options.multiAccount ?? false,
      now: () => 0,
    });
    return { store, run };
  };

  it('makes one broadband/info call for every line and stores their series', async () => {
    const { store, run } = job();
    await run('default', bindingNamed('broadband_lines'), signal);
    expect(mock.stats().byCommand).toEqual({ 'broadband/info': 1 });
    const text = storeText(store, 'text', 0);
    expect(text).toContain('aaisp_broadband_lines 6');
    expect(text).toContain('aaisp_broadband_sync_download_bits_per_second{line_id="32002"} 79987000');
    expect(text).toContain('aaisp_broadband_sync_changes_total{line_id="32002"} 0');
    expect(text).not.toContain('postcode="');
  });

  it('keeps the good lines under schema drift and logs each bad line once', async () => {
    const { store, run } = job();
    mock.setScenario('schema-drift');
    await run('default', bindingNamed('broadband_lines'), signal);
    await run('default', bindingNamed('broadband_lines'), signal);
    expect(storeText(store, 'text', 0)).toContain('aaisp_broadband_lines 3');
    const warnings = logs.filter((line) => line.msg === 'CHAOS sent a line with bad data; it is left out');
    expect(warnings.map((line) => line.line)).toEqual(['32001', 'info[1]', '32003']);
  });

  it('throws on failure and leaves the last good data in place', async () => {
    const { store, run } = job();
    await run('default', bindingNamed('broadband_services'), signal);
    mock.setScenario('http-500');
    const error = await run('default', bindingNamed('broadband_services'), signal).catch(
      (caught: unknown) => caught,
    );
    expect(isChaosError(error) && error.kind).toBe('http');
    expect(storeText(store, 'text', 0)).toContain('aaisp_broadband_services 6');
  });

  it('runs the slow-tier collectors, labels every series with the account when there are several, and adds postcodes only when enabled', async () => {
    const { store, run } = job({ multiAccount: true, includePostcode: true });
    await run('default', bindingNamed('login_services'), signal);
    await run('default', bindingNamed('telephony_ratecard'), signal);
    await run('default', bindingNamed('broadband_lines'), signal);
    const text = storeText(store, 'text', 0);
    expect(text).toContain('aaisp_login_services{account="default"} 3');
    expect(text).toContain('aaisp_telephony_ratecard_prefixes{account="default"} 4');
    expect(text).toContain('postcode="ZZ99 2AA"');
    expect(mock.stats()).toMatchObject({ writes: 0, credentialsInUrl: 0 });
  });
});
