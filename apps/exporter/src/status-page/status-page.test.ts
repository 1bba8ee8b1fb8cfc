import { broadbandLines } from '@aaisp/collectors';
import { describe, expect, it } from 'vitest';
import type { TierError, TierStatus } from '../schedule/scheduler.ts';
import { createSnapshotStore, type SnapshotEntry } from '../store/snapshot.ts';
import { type LineEntry, lineRowsOf } from './line-summary.ts';
import {
  escapeHtml,
  formatAgo,
  formatBitRate,
  formatBytes,
  formatDuration,
  renderStatusPage,
  type StatusPageData,
} from './status-page.ts';

const NOW = 1_800_000_000_000;
const EVIL = '<img src=x onerror="alert(1)">&\'';

function tier(overrides: Partial<TierStatus> = {}): TierStatus {
  return {
    name: 'fast',
    intervalSeconds: 60,
    running: false,
    lastSuccessMs: NOW - 12_000,
    lastError: undefined,
    nextRunMs: NOW + 48_000,
    consecutiveFailures: 0,
    ...overrides,
  };
}

/** A tier's last error of the default account's line collector, still current unless told. */
function jobError(kind: TierError['kind'], message: string, atMs: number, current = true): TierError {
  return { kind, message, atMs, account: 'default', collector: 'broadband_lines', current };
}

/** A stored line-collector entry, as the snapshot keeps it. */
function linesEntry(account: string, samples: SnapshotEntry['samples']): LineEntry {
  const store = createSnapshotStore({ summarize: lineRowsOf });
  store.set({ account, collector: broadbandLines, samples, collectedAtMs: NOW - 3_000, maxAgeMs: 180_000 });
  const [entry] = store.entries(NOW);
  if (entry === undefined) throw new Error('the store dropped a fresh entry');
  return entry;
}

const line = (id: string, metric: string, value: number, labels: Record<string, string> = {}) => ({
  metric,
  labels: { line_id: id, ...labels },
  value,
});

function page(overrides: Partial<StatusPageData> = {}): string {
  return renderStatusPage({
    entries: [],
    tiers: [tier()],
    version: '1.2.3',
    demo: false,
    nowMs: NOW,
    ...overrides,
  });
}

describe('the status page formatters', () => {
  it('humanise rates, bytes, durations and times', () => {
    expect(formatBitRate(79_987_000)).toBe('80.0 Mbit/s');
    expect(formatBitRate(999_960)).toBe('1.0 Mbit/s');
    expect(formatBitRate(0)).toBe('0 bit/s');
    expect(formatBitRate(undefined)).toBe('–');
    expect(formatBytes(231_845_120_448)).toBe('231.8 GB');
    expect(formatBytes(1_000_000_000_000)).toBe('1.0 TB');
    expect(formatDuration(0.5)).toBe('0.5 s');
    expect(formatDuration(300)).toBe('5 min');
    expect(formatDuration(5400)).toBe('1.5 h');
    expect(formatAgo(NOW, NOW - 12_000)).toBe('12 s ago');
    expect(formatAgo(NOW, NOW + 3 * 60_000)).toBe('in 3 min');
    expect(formatAgo(NOW, NOW - 4 * 3_600_000)).toBe('4 h ago');
    expect(formatAgo(NOW, NOW - 300)).toBe('just now');
    expect(formatAgo(NOW, NOW + 300)).toBe('in under 1 s');
    expect(formatAgo(NOW, undefined)).toBe('never');
  });

  it('escape every HTML-special character', () => {
    expect(escapeHtml(EVIL)).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;');
  });
});

describe('renderStatusPage', () => {
  it('shows lines with humanised rates and quota, unlimited lines as such, and no postcode', () => {
    const html = page({
      entries: [
        linesEntry('default', [
          line('32001', 'aaisp_broadband_line_info', 1, {
            login: 'a@a.1',
            name: 'Home',
            postcode: 'ZZ99 1AA',
          }),
          line('32001', 'aaisp_broadband_sync_download_bits_per_second', 79_987_000),
          line('32001', 'aaisp_broadband_sync_upload_bits_per_second', 19_999_000),
          line('32001', 'aaisp_broadband_sync_download_adjusted_bits_per_second', 79_600_000),
          line('32001', 'aaisp_broadband_quota_limited', 1),
          line('32001', 'aaisp_broadband_quota_total_bytes', 100_000_000_000),
          line('32001', 'aaisp_broadband_quota_remaining_bytes', 61_200_000_000),
          line('32002', 'aaisp_broadband_line_info', 1, { login: 'a@a.2', name: 'Office' }),
          line('32002', 'aaisp_broadband_quota_limited', 0),
        ]),
      ],
    });
    expect(html).toContain('<th scope="row">32001</th>');
    expect(html).toContain('80.0 Mbit/s');
    expect(html).toContain('20.0 Mbit/s');
    expect(html).toContain('79.6 Mbit/s');
    expect(html).toContain('39 %');
    expect(html).toContain('61.2 GB left of 100.0 GB');
    expect(html).toContain('unlimited or no quota');
    expect(html).toContain('2 lines; collected 3 s ago');
    expect(html).not.toContain('ZZ99');
    // One account: no account column.
    expect(html).not.toContain('>Account<');
  });

  it('escapes every value it shows', () => {
    const html = page({
      version: EVIL,
      accounts: [EVIL],
      entries: [
        linesEntry(EVIL, [
          line(EVIL, 'aaisp_broadband_line_info', 1, { login: EVIL, name: EVIL }),
          line(EVIL, 'aaisp_broadband_quota_limited', 1),
        ]),
        linesEntry('other', [line('1', 'aaisp_broadband_line_info', 1, { login: 'x', name: 'y' })]),
      ],
      tiers: [
        tier({
          name: EVIL as TierStatus['name'],
          lastError: jobError('api', EVIL, NOW),
          pausedAccounts: [{ account: EVIL, refusals: 1, untilMs: NOW + 1000, nextAttemptMs: NOW + 2000 }],
        }),
      ],
    });
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/onerror="/);
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;');
    expect(html).toContain('href="/probe?target=%3Cimg');
  });

  it('says in words whether every tier is fine, and which one fails with what', () => {
    expect(page()).toContain('OK: every tier has collected.');
    expect(page({ tiers: [tier({ lastSuccessMs: undefined })] })).toContain('Starting: waiting');
    const failing = page({
      tiers: [
        tier({
          consecutiveFailures: 3,
          lastError: jobError('auth', 'Control authorisation failed', NOW - 2_000),
        }),
        tier({ name: 'slow', intervalSeconds: 3600 }),
      ],
    });
    expect(failing).toContain('Problem: tier failing: fast (auth: Control authorisation failed)');
    expect(failing).toContain('FAILING: 3 failures in a row');
    expect(failing).toContain('<strong>auth</strong>: Control authorisation failed');
    expect(failing).toContain('1 h');
  });

  it('shows a paused account with when its pause ends and when it is tried next', () => {
    const paused = page({
      tiers: [
        tier({
          consecutiveFailures: 1,
          lastError: jobError('auth', 'Control authorisation failed', NOW - 60_000),
          pausedAccounts: [
            { account: 'default', refusals: 2, untilMs: NOW + 29 * 60_000, nextAttemptMs: NOW + 30 * 60_000 },
          ],
        }),
      ],
    });
    expect(paused).toContain(
      'Problem: tier failing: fast (auth: Control authorisation failed); account default paused: CHAOS refused its credentials, next attempt in 30 min (08:30:00 UTC)',
    );
    expect(paused).toContain('<h2>Paused accounts</h2>');
    expect(paused).toContain(
      '<tr><th scope="row">default</th><td class="num">2</td><td>in 29 min (08:29:00 UTC)</td><td>in 30 min (08:30:00 UTC)</td></tr>',
    );
    // Not paused: no such section.
    expect(page()).not.toContain('Paused accounts');
  });

  it('keeps a recovered tier’s last error, marked as past and not as a failure', () => {
    const html = page({
      tiers: [tier({ lastError: jobError('timeout', 'no answer', NOW - 120_000, false) })],
    });
    expect(html).toContain('OK: every tier has collected.');
    expect(html).toContain(
      '<td><strong>timeout</strong>: no answer <span class="when">(2 min ago; recovered since)</span></td>',
    );
  });

  it('has no scripts and no external assets', () => {
    const html = page({ demo: true });
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('name="viewport"');
    expect(html).toContain('Demo mode');
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(|@import/i);
    expect(html).not.toMatch(/href="(?!\/)/);
  });
});
