/**
 * A line without `tx_rate` but with `rx_rate` and `tx_rate_adjusted`, as in the 2024 capture
 * (docs/chaos-api.md §3.2, §11.1): the mock's capture-shaped line 32007, through the SDK, into
 * `broadband_lines`. Its download sync series is absent (not 0), everything else it has is there,
 * and a missing value is never counted as a resync.
 */
import { type BroadbandInfo, createChaosClient } from '@aaisp/chaos-client';
import { DEFAULT_CREDENTIALS, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  broadbandLines,
  emptySyncChangeState,
  renderExposition,
  type Sample,
  trackSyncChanges,
} from './index.ts';

/** The value of `metric` for `lineId`, or `undefined` when there is no such series. */
function seriesValue(samples: readonly Sample[], metric: string, lineId: string): number | undefined {
  return samples.find((entry) => entry.metric === metric && entry.labels.line_id === lineId)?.value;
}

describe('the capture-shaped line without tx_rate (32007), from the mock through the SDK', () => {
  let mock: RunningChaosMock;
  let info: BroadbandInfo;

  beforeAll(async () => {
    // The default set: 32001–32006 plus the capture-shaped 32007.
    mock = await startChaosMock();
    const client = createChaosClient({
      baseUrl: mock.url,
      auth: {
        controlLogin: DEFAULT_CREDENTIALS.controlLogin,
        controlPassword: DEFAULT_CREDENTIALS.controlPassword,
      },
    });
    info = await client.broadband.info();
  });
  afterAll(async () => {
    await mock.close();
  });

  it('has upload, adjusted download and quota series, and no download sync series (absent, not 0)', () => {
    const samples = broadbandLines.collect(info, {});
    expect(seriesValue(samples, 'aaisp_broadband_sync_download_bits_per_second', '32007')).toBeUndefined();
    expect(seriesValue(samples, 'aaisp_broadband_sync_upload_bits_per_second', '32007')).toBe(7_272_000);
    expect(seriesValue(samples, 'aaisp_broadband_sync_download_adjusted_bits_per_second', '32007')).toBe(
      944_955_500,
    );
    expect(seriesValue(samples, 'aaisp_broadband_quota_limited', '32007')).toBe(1);
    expect(seriesValue(samples, 'aaisp_broadband_quota_total_bytes', '32007')).toBe(10_000_000_000_000);
    expect(seriesValue(samples, 'aaisp_broadband_quota_remaining_bytes', '32007')).toBe(18_881_390_851_534);
    // Remaining above monthly (§11.1): "used" is negative, as for any rollover line.
    expect(seriesValue(samples, 'aaisp_broadband_quota_used_bytes', '32007')).toBe(-8_881_390_851_534);
    expect(seriesValue(samples, 'aaisp_broadband_quota_updated_timestamp_seconds', '32007')).toBe(
      Date.parse('2026-07-14T16:00:00Z') / 1000,
    );
    expect(
      samples.some(
        (entry) => entry.metric === 'aaisp_broadband_line_info' && entry.labels.line_id === '32007',
      ),
    ).toBe(true);
    expect(samples.find((entry) => entry.metric === 'aaisp_broadband_lines')?.value).toBe(7);
    // The other six lines keep their download series.
    for (const id of ['32001', '32002', '32003', '32004', '32005', '32006']) {
      expect(seriesValue(samples, 'aaisp_broadband_sync_download_bits_per_second', id), id).toBeTypeOf(
        'number',
      );
    }
  });

  it('renders no download sync line for 32007 in the exposition, and no 0 in its place', () => {
    const text = renderExposition(
      [{ collector: broadbandLines, samples: broadbandLines.collect(info, {}) }],
      'text',
    );
    expect(text).not.toContain('aaisp_broadband_sync_download_bits_per_second{line_id="32007"}');
    expect(text).toContain('aaisp_broadband_sync_upload_bits_per_second{line_id="32007"} 7272000');
    expect(text).toContain(
      'aaisp_broadband_sync_download_adjusted_bits_per_second{line_id="32007"} 944955500',
    );
  });

  it('counts no resync from the missing tx_rate, cycle after cycle, and one from a real change', () => {
    let state = trackSyncChanges(emptySyncChangeState(), info);
    state = trackSyncChanges(state, info);
    state = trackSyncChanges(state, info);
    const samples = broadbandLines.collect(info, { syncChanges: state });
    expect(seriesValue(samples, 'aaisp_broadband_sync_changes_total', '32007')).toBe(0);
    // A tx_rate appearing (a value after none) is not a change either; a different upload rate is.
    const lines = info.lines.map((line) =>
      line.id === '32007' ? { ...line, syncDownBps: 1_000_000_000 } : line,
    );
    state = trackSyncChanges(state, { ...info, lines });
    expect(state.lines.get('32007')?.changes).toBe(0);
    const resynced = info.lines.map((line) =>
      line.id === '32007' ? { ...line, syncUpBps: 7_000_000 } : line,
    );
    state = trackSyncChanges(state, { ...info, lines: resynced });
    expect(state.lines.get('32007')?.changes).toBe(1);
  });
});
