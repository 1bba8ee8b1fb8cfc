/**
 * What mapping a `broadband/info` answer to samples and rendering the exposition costs, per
 * 1 000 lines. The target: single-digit milliseconds per 1 000 lines on this machine.
 * Prints figures only; nothing here is a test.
 *
 * Run from the repository root: `npx -y pnpm@12.21.0 --filter @aaisp/collectors bench`.
 */

import { cpus } from 'node:os';
import { createChaosClient } from '@aaisp/chaos-client';
import { DEFAULT_CREDENTIALS, startChaosMock } from '@aaisp/chaos-mock';
import { Registry } from 'prom-client';
import { timeMedian } from '../../../bench.shared.ts';
import { broadbandLines, emptySyncChangeState, renderExposition, trackSyncChanges } from '../src/index.ts';
import { createPromAdapter } from '../src/prom-client.ts';

const RUNS = 15;
const WARMUPS = 3;

const time = (task: () => unknown): Promise<number> => timeMedian(task, { warmups: WARMUPS, runs: RUNS });

console.log(`Node ${process.version} on ${cpus()[0]?.model ?? 'unknown CPU'}; median of ${RUNS} runs`);
console.log(
  '| lines | collect ms | render text ms | collect + render ms | per 1 000 lines ms | exposition KB | prom-client apply + render ms (comparison) |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const count of [10, 1_000, 10_000]) {
  const mock = await startChaosMock({ lines: count });
  try {
    const client = createChaosClient({
      baseUrl: mock.url,
      auth: {
        controlLogin: DEFAULT_CREDENTIALS.controlLogin,
        controlPassword: DEFAULT_CREDENTIALS.controlPassword,
      },
    });
    const info = await client.broadband.info();
    const syncChanges = trackSyncChanges(emptySyncChangeState(), info);
    const samples = broadbandLines.collect(info, { syncChanges });
    const collectMs = await time(() =>
      broadbandLines.collect(info, { syncChanges: trackSyncChanges(syncChanges, info) }),
    );
    let size = 0;
    const renderMs = await time(() => {
      size = renderExposition([{ collector: broadbandLines, samples }], 'text').length;
    });
    const registry = new Registry();
    const adapter = createPromAdapter(registry);
    const promMs = await time(async () => {
      adapter.apply(broadbandLines, samples);
      await registry.metrics();
    });
    const total = collectMs + renderMs;
    const cells = [count, collectMs, renderMs, total, (total / count) * 1000, size / 1024, promMs];
    console.log(
      `| ${cells.map((value) => (Number.isInteger(value) ? String(value) : value.toFixed(2))).join(' | ')} |`,
    );
  } finally {
    await mock.close();
  }
}
