import type { BroadbandInfo, BroadbandLine } from '@aaisp/chaos-client';
import { describe, expect, it } from 'vitest';
import { broadbandLines, emptySyncChangeState, type Sample, trackSyncChanges } from './index.ts';

function line(overrides: Partial<BroadbandLine> & { id: string }): BroadbandLine {
  return { login: `test@a.${overrides.id}`, raw: {}, ...overrides };
}

function info(lines: BroadbandLine[], titles: Record<string, string> = {}): BroadbandInfo {
  return {
    lines,
    serviceChoices: Object.entries(titles).map(([id, title]) => ({ id, title })),
    skipped: [],
  };
}

/** The samples of one metric, as `labels → value` for easy assertions. */
function values(samples: Sample[], metric: string): Record<string, number> {
  return Object.fromEntries(
    samples
      .filter((entry) => entry.metric === metric)
      .map((entry) => [JSON.stringify(entry.labels), entry.value]),
  );
}

const ID1 = JSON.stringify({ line_id: '1' });

describe('broadband_lines', () => {
  it('maps tx to download, rx to upload and the adjusted rate', () => {
    const samples = broadbandLines.collect(
      info([line({ id: '1', syncDownBps: 80_000_000, syncUpBps: 20_000_000, adjustedDownBps: 79_563_000 })]),
      {},
    );
    expect(values(samples, 'aaisp_broadband_sync_download_bits_per_second')).toEqual({ [ID1]: 80_000_000 });
    expect(values(samples, 'aaisp_broadband_sync_upload_bits_per_second')).toEqual({ [ID1]: 20_000_000 });
    expect(values(samples, 'aaisp_broadband_sync_download_adjusted_bits_per_second')).toEqual({
      [ID1]: 79_563_000,
    });
  });

  it('gives absent series for absent input, never a fake zero', () => {
    const samples = broadbandLines.collect(info([line({ id: '1' })]), {});
    expect(samples.map((entry) => entry.metric).sort()).toEqual([
      'aaisp_broadband_line_info',
      'aaisp_broadband_lines',
      'aaisp_broadband_quota_limited',
    ]);
    expect(values(samples, 'aaisp_broadband_quota_limited')).toEqual({ [ID1]: 0 });
  });

  it('gives unlimited lines quota_limited 0 and no total, used or ratio', () => {
    const samples = broadbandLines.collect(info([line({ id: '1', quota: { monthlyBytes: 0 } })]), {});
    expect(values(samples, 'aaisp_broadband_quota_limited')).toEqual({ [ID1]: 0 });
    for (const metric of ['total_bytes', 'used_bytes', 'used_ratio', 'remaining_bytes']) {
      expect(values(samples, `aaisp_broadband_quota_${metric}`)).toEqual({});
    }
  });

  it('computes used and ratio for limited lines, negative when rollover exceeds use', () => {
    const updatedAt = new Date('2026-07-14T16:00:00Z');
    const samples = broadbandLines.collect(
      info([
        line({ id: '1', quota: { monthlyBytes: 100e9, remainingBytes: 25e9, updatedAt } }),
        line({ id: '2', quota: { monthlyBytes: 200e9, remainingBytes: 231_845_120_448 } }),
      ]),
      {},
    );
    const ID2 = JSON.stringify({ line_id: '2' });
    expect(values(samples, 'aaisp_broadband_quota_limited')).toEqual({ [ID1]: 1, [ID2]: 1 });
    expect(values(samples, 'aaisp_broadband_quota_total_bytes')).toEqual({ [ID1]: 100e9, [ID2]: 200e9 });
    expect(values(samples, 'aaisp_broadband_quota_used_bytes')).toEqual({
      [ID1]: 75e9,
      [ID2]: -31_845_120_448,
    });
    expect(values(samples, 'aaisp_broadband_quota_used_ratio')).toEqual({
      [ID1]: 0.75,
      [ID2]: -31_845_120_448 / 200e9,
    });
    expect(values(samples, 'aaisp_broadband_quota_updated_timestamp_seconds')).toEqual({
      [ID1]: 1_784_044_800,
    });
  });

  it('labels line_info with login and the service choice title, postcode only when enabled (trimmed)', () => {
    const input = info([line({ id: '1', postcode: ' ZZ99 1AA ' }), line({ id: '2' })], { '1': 'Home FTTP' });
    const without = broadbandLines
      .collect(input, {})
      .filter((entry) => entry.metric === 'aaisp_broadband_line_info');
    expect(without.map((entry) => entry.labels)).toEqual([
      { line_id: '1', login: 'test@a.1', name: 'Home FTTP' },
      { line_id: '2', login: 'test@a.2', name: '' },
    ]);
    const withPostcode = broadbandLines.collect(input, { includePostcode: true });
    expect(withPostcode.find((entry) => entry.metric === 'aaisp_broadband_line_info')?.labels).toEqual({
      line_id: '1',
      login: 'test@a.1',
      name: 'Home FTTP',
      postcode: 'ZZ99 1AA',
    });
  });

  it('keeps the postcode out of name, on or off: a "POSTCODE LOGIN" title gives "" (docs/chaos-api.md §11.1)', () => {
    const input = info(
      [
        line({ id: '1', postcode: 'ZZ99 1AA' }),
        line({ id: '2', postcode: 'ZZ99 1AB' }),
        line({ id: '3', postcode: 'zz99 1ad' }),
        line({ id: '4' }),
        line({ id: '5', postcode: 'ZZ99 2AA' }),
      ],
      {
        '1': 'ZZ99 1AA test@a.1',
        '2': 'test@a.2 01632 960002',
        '3': 'ZZ991AD  test@a.3 Office',
        '4': 'ZZ99 9ZZ test@a.4',
        '5': 'test@a.5',
      },
    );
    const names = (includePostcode: boolean): Record<string, string | undefined> =>
      Object.fromEntries(
        broadbandLines
          .collect(input, { includePostcode })
          .filter((entry) => entry.metric === 'aaisp_broadband_line_info')
          .map((entry) => [entry.labels.line_id, entry.labels.name]),
      );
    const expected = { '1': '', '2': 'test@a.2 01632 960002', '3': 'test@a.3 Office', '4': '', '5': '' };
    expect(names(false)).toEqual(expected);
    expect(names(true)).toEqual(expected);
    const withPostcode = broadbandLines.collect(input, { includePostcode: true });
    const text = JSON.stringify(withPostcode.map((entry) => ({ ...entry.labels, postcode: undefined })));
    expect(text.replace(/\s+/g, '').toUpperCase()).not.toMatch(/ZZ99/);
    expect(withPostcode.filter((entry) => entry.labels.postcode !== undefined).map((e) => e.labels)).toEqual([
      { line_id: '1', login: 'test@a.1', name: '', postcode: 'ZZ99 1AA' },
      { line_id: '2', login: 'test@a.2', name: 'test@a.2 01632 960002', postcode: 'ZZ99 1AB' },
      { line_id: '3', login: 'test@a.3', name: 'test@a.3 Office', postcode: 'zz99 1ad' },
      { line_id: '5', login: 'test@a.5', name: '', postcode: 'ZZ99 2AA' },
    ]);
  });

  it('lets a name given for a line win over its title, and leaves the other lines to their title', () => {
    const input = info([line({ id: '1', postcode: 'ZZ99 1AA' }), line({ id: '2' }), line({ id: '3' })], {
      '1': 'ZZ99 1AA test@a.1',
      '2': 'test@a.2 Office',
      '3': 'test@a.3 Shop',
    });
    const names = { '1': 'Home', '2': 'Upstairs', '99': 'not a line of this answer' };
    const info1 = broadbandLines
      .collect(input, { names })
      .filter((entry) => entry.metric === 'aaisp_broadband_line_info');
    expect(info1.map((entry) => entry.labels)).toEqual([
      { line_id: '1', login: 'test@a.1', name: 'Home' },
      { line_id: '2', login: 'test@a.2', name: 'Upstairs' },
      { line_id: '3', login: 'test@a.3', name: 'test@a.3 Shop' },
    ]);
  });

  it('reads only the names object’s own keys, not what it inherits', () => {
    const input = info([line({ id: 'constructor' }), line({ id: 'toString' })], { toString: 'Kept' });
    const labels = broadbandLines
      .collect(input, { names: {} })
      .filter((entry) => entry.metric === 'aaisp_broadband_line_info')
      .map((entry) => entry.labels.name);
    expect(labels).toEqual(['', 'Kept']);
  });

  it('counts lines, and adds the account label to every series when given', () => {
    const samples = broadbandLines.collect(info([line({ id: '1' }), line({ id: '2' })]), { account: 'home' });
    expect(values(samples, 'aaisp_broadband_lines')).toEqual({ [JSON.stringify({ account: 'home' })]: 2 });
    expect(samples.every((entry) => entry.labels.account === 'home')).toBe(true);
  });

  it('counts resyncs through a state the caller owns, and forgets vanished lines', () => {
    const first = info([
      line({ id: '1', syncDownBps: 80, syncUpBps: 20 }),
      line({ id: '2', syncDownBps: 5 }),
    ]);
    let state = trackSyncChanges(emptySyncChangeState(), first);
    expect(
      values(broadbandLines.collect(first, { syncChanges: state }), 'aaisp_broadband_sync_changes_total'),
    ).toEqual({
      [ID1]: 0,
      [JSON.stringify({ line_id: '2' })]: 0,
    });
    const resynced = info([line({ id: '1', syncDownBps: 70, syncUpBps: 20 })]);
    const before = state;
    state = trackSyncChanges(state, resynced);
    state = trackSyncChanges(state, info([line({ id: '1' })])); // rates missing: not a change
    state = trackSyncChanges(state, info([line({ id: '1', syncDownBps: 70, syncUpBps: 19 })]));
    expect(
      values(broadbandLines.collect(resynced, { syncChanges: state }), 'aaisp_broadband_sync_changes_total'),
    ).toEqual({ [ID1]: 2 });
    expect(before.lines.get('1')?.changes).toBe(0);
    expect(state.lines.has('2')).toBe(false);
  });

  it('never reads the clock or mutates its input', () => {
    const input = info([line({ id: '1', syncDownBps: 1 })]);
    const frozen = structuredClone(input);
    expect(broadbandLines.collect(input, {})).toEqual(broadbandLines.collect(input, {}));
    expect(input).toEqual(frozen);
  });
});
