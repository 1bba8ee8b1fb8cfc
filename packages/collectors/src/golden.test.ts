import { readFile, writeFile } from 'node:fs/promises';
import { type CqmSample, createChaosClient } from '@aaisp/chaos-client';
import { DEFAULT_CREDENTIALS, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, real } from '../test/cqm-samples.ts';
import {
  broadbandLines,
  broadbandServices,
  type CollectorMetrics,
  cqmLines,
  emptyCqmLineState,
  emptySyncChangeState,
  loginServices,
  renderExposition,
  type Sample,
  telephonyRatecard,
  trackCqm,
  trackSyncChanges,
} from './index.ts';
import { createPromAdapter } from './prom-client.ts';

// `UPDATE_GOLDEN=1 pnpm exec vitest run src/golden.test.ts` rewrites the files after a deliberate change.
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/**
 * Renders with our own renderer, and checks that prom-client, fed the same snapshot through the
 * adapter, writes exactly the same text.
 */
async function render(collector: CollectorMetrics, samples: Sample[]): Promise<string> {
  const text = renderExposition([{ collector, samples }], 'text');
  const registry = new Registry();
  createPromAdapter(registry).apply(collector, samples);
  expect(await registry.metrics()).toBe(text);
  return text;
}

async function compare(name: string, text: string): Promise<void> {
  const file = new URL(`./golden/${name}.prom`, import.meta.url);
  if (UPDATE) await writeFile(file, text);
  expect(text).toBe(await readFile(file, 'utf8'));
}

describe('golden exposition files, one per collector, from the mock account', () => {
  let mock: RunningChaosMock;
  let client: ReturnType<typeof createChaosClient>;

  beforeAll(async () => {
    mock = await startChaosMock({ lines: 12 });
    client = createChaosClient({
      baseUrl: mock.url,
      auth: {
        controlLogin: DEFAULT_CREDENTIALS.controlLogin,
        controlPassword: DEFAULT_CREDENTIALS.controlPassword,
      },
    });
  });
  afterAll(async () => {
    await mock.close();
  });

  it('broadband_lines', async () => {
    const info = await client.broadband.info();
    const syncChanges = trackSyncChanges(emptySyncChangeState(), info);
    await compare(
      'broadband_lines',
      await render(broadbandLines, broadbandLines.collect(info, { syncChanges })),
    );
  });

  it('broadband_services', async () => {
    const ids = await client.broadband.services();
    await compare('broadband_services', await render(broadbandServices, broadbandServices.collect(ids, {})));
  });

  it('login_services', async () => {
    const logins = await client.login.services();
    await compare('login_services', await render(loginServices, loginServices.collect(logins, {})));
  });

  it('telephony_ratecard', async () => {
    const card = await client.telephony.ratecard();
    await compare('telephony_ratecard', await render(telephonyRatecard, telephonyRatecard.collect(card, {})));
  });
});

describe('golden exposition file of the cqm collector, from constructed samples', () => {
  // CQM is not CHAOS and the mock does not serve it: two lines built here, each after a first
  // fetch (samples 0..2) and a second (3..5). 2025-11-20 08:00 UTC is the same wall time in London.

  it('cqm', async () => {
    const fetchTwice = (first: CqmSample[], second: CqmSample[]) =>
      trackCqm(trackCqm(emptyCqmLineState(), { samples: first }, at(3)), { samples: second }, at(6));
    // 32891: 20 % loss in sample 3, offline (every echo failed) in 4.
    const lossy = fetchTwice(
      [real(0), real(1), real(2)],
      [real(1), real(2), real(3, { failedRatio: 0.2 }), real(4, { failedRatio: 1 }), real(5)],
    );
    // 32892: sample 4's row is missing, and the newest row has no score and no traffic.
    const sparse = fetchTwice(
      [real(0), real(1), real(2)],
      [real(2), real(3), real(5, { score: undefined, trafficBitsPerSecond: {} })],
    );
    const samples = cqmLines.collect(
      [
        { lineId: '32891', state: lossy },
        { lineId: '32892', state: sparse },
        { lineId: '32893', state: emptyCqmLineState() },
      ],
      {},
    );
    await compare('cqm', await render(cqmLines, samples));
  });
});
