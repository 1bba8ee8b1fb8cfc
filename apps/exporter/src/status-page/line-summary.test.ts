import { broadbandLines, broadbandServices, lineCount } from '@aaisp/collectors';
import { describe, expect, it } from 'vitest';
import { createSnapshotStore } from '../store/snapshot.ts';
import { lineRowsOf } from './line-summary.ts';

describe('the status page’s line rows', () => {
  it('are kept by the store for the line collector, one row per line, and empty for the others', () => {
    const store = createSnapshotStore({ summarize: lineRowsOf });
    store.set({
      account: 'home',
      collector: broadbandLines,
      collectedAtMs: 0,
      maxAgeMs: 60_000,
      samples: [
        {
          metric: 'aaisp_broadband_line_info',
          labels: { line_id: '7', login: 'x@a.1', name: 'Shop' },
          value: 1,
        },
        {
          metric: 'aaisp_broadband_sync_download_bits_per_second',
          labels: { line_id: '7' },
          value: 80_000_000,
        },
        { metric: lineCount.name, labels: {}, value: 1 },
      ],
    });
    store.set({
      account: 'home',
      collector: broadbandServices,
      collectedAtMs: 0,
      maxAgeMs: 60_000,
      samples: [{ metric: 'aaisp_broadband_services', labels: {}, value: 3 }],
    });
    const [lines, services] = store.entries(1);
    expect(lines?.summary).toEqual([
      { account: 'home', id: '7', name: 'Shop', login: 'x@a.1', down: 80_000_000 },
    ]);
    expect(services?.summary).toEqual([]);
  });
});
