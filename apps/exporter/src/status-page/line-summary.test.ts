import {
  broadbandLines,
  broadbandServices,
  cqmLatency,
  cqmLines,
  cqmSampleTimestamp,
  lineCount,
  lineInfo,
  quotaLimited,
  quotaRemaining,
  type Sample,
  syncDownload,
} from '@aaisp/collectors';
import { describe, expect, it } from 'vitest';
import { cqmFetchSuccess } from '../collectors/cqm-metrics.ts';
import { CQM_WINDOW_SAMPLES } from '../collectors/cqm-window.ts';
import { createSnapshotStore } from '../store/snapshot.ts';
import { lineRowsOf, linesOf } from './line-summary.ts';

const MINUTE = 60_000;

const line = (id: string, metric: string, value: number, labels: Record<string, string> = {}): Sample => ({
  metric,
  labels: { line_id: id, ...labels },
  value,
});

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

  it('carry a limited line’s quota readings from one run to the next, and only a limited line’s', () => {
    const store = createSnapshotStore({ summarize: lineRowsOf });
    const run = (atMs: number, remaining: number): void =>
      store.set({
        account: 'home',
        collector: broadbandLines,
        collectedAtMs: atMs,
        maxAgeMs: 3 * MINUTE,
        samples: [
          line('7', lineInfo.name, 1, { login: 'x@a.1', name: '' }),
          line('7', quotaLimited.name, 1),
          line('7', quotaRemaining.name, remaining),
          line('8', lineInfo.name, 1, { login: 'x@a.2', name: '' }),
          line('8', quotaLimited.name, 0),
          line('8', quotaRemaining.name, 0),
        ],
      });
    run(0, 900);
    run(20 * MINUTE, 800);
    run(21 * MINUTE, 790);
    const [limited, unlimited] = store.entries(21 * MINUTE)[0]?.summary ?? [];
    expect(limited?.quotaReadings).toEqual([
      { atMs: 0, remaining: 900 },
      { atMs: 20 * MINUTE, remaining: 800 },
      { atMs: 21 * MINUTE, remaining: 790 },
    ]);
    expect(unlimited?.quotaReadings).toBeUndefined();
  });

  it('read a CQM line’s fetch result, newest sample time and the page’s window figures', () => {
    const [row] = lineRowsOf({
      account: 'home',
      collector: cqmLines,
      collectedAtMs: 0,
      samples: [
        line('7', cqmLatency.name, 0.009, { stat: 'avg' }),
        line('7', cqmSampleTimestamp.name, 1_768_910_300),
        line('7', cqmFetchSuccess.name, 1),
        line('7', CQM_WINDOW_SAMPLES.lossRatio, 0.2),
        line('7', CQM_WINDOW_SAMPLES.offlineSeconds, 0),
        line('7', CQM_WINDOW_SAMPLES.latencySeconds, 0.009),
        line('7', CQM_WINDOW_SAMPLES.baselineLatencySeconds, 0.008),
      ],
    });
    expect(row).toEqual({
      account: 'home',
      id: '7',
      name: '',
      login: '',
      latency: 0.009,
      cqmSampleMs: 1_768_910_300_000,
      cqmFetchOk: 1,
      windowLoss: 0.2,
      windowOfflineSeconds: 0,
      windowLatency: 0.009,
      baselineLatency: 0.008,
    });
  });
});

describe('the status page’s lines', () => {
  it('join each line’s CHAOS and CQM rows, saying how old each part is, expired parts included', () => {
    const store = createSnapshotStore({ summarize: lineRowsOf });
    store.set({
      account: 'home',
      collector: broadbandLines,
      collectedAtMs: 0,
      maxAgeMs: 3 * MINUTE,
      samples: [
        line('7', lineInfo.name, 1, { login: 'x@a.1', name: 'Shop' }),
        line('7', syncDownload.name, 8e7),
      ],
    });
    store.set({
      account: 'home',
      collector: cqmLines,
      collectedAtMs: 4 * MINUTE,
      maxAgeMs: 15 * MINUTE,
      samples: [line('7', cqmFetchSuccess.name, 1), line('9', cqmFetchSuccess.name, 0)],
    });
    const nowMs = 5 * MINUTE;
    const lines = linesOf(store.entries(nowMs), store.expired(nowMs));
    expect(lines).toEqual([
      {
        row: { account: 'home', id: '7', name: 'Shop', login: 'x@a.1', down: 8e7, cqmFetchOk: 1 },
        cqm: { collectedAtMs: 4 * MINUTE, maxAgeMs: 15 * MINUTE, expired: false },
        chaos: { collectedAtMs: 0, maxAgeMs: 3 * MINUTE, expired: true },
      },
      {
        row: { account: 'home', id: '9', name: '', login: '', cqmFetchOk: 0 },
        cqm: { collectedAtMs: 4 * MINUTE, maxAgeMs: 15 * MINUTE, expired: false },
      },
    ]);
  });
});
