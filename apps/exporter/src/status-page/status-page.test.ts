import { broadbandLines, type CollectorMetrics, cqmLines } from '@aaisp/collectors';
import { describe, expect, it } from 'vitest';
import { cqmFetchSuccess } from '../collectors/cqm-metrics.ts';
import { CQM_WINDOW_SAMPLES } from '../collectors/cqm-window.ts';
import { RANGES } from '../config/settings.ts';
import type { ReloadStatus } from '../reload/reload-status.ts';
import type { TierError, TierStatus } from '../schedule/scheduler.ts';
import { createSnapshotStore, type SnapshotEntry } from '../store/snapshot.ts';
import { type LineEntry, lineRowsOf } from './line-summary.ts';
import { MIN_REFRESH_SECONDS, refreshSeconds, renderStatusPage, type StatusPageData } from './status-page.ts';

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

/** A stored line-collector entry (or with `collector`, another's), as the snapshot keeps it. */
function linesEntry(
  account: string,
  samples: SnapshotEntry['samples'],
  collector: CollectorMetrics = broadbandLines,
): LineEntry {
  const store = createSnapshotStore({ summarize: lineRowsOf });
  store.set({ account, collector, samples, collectedAtMs: NOW - 3_000, maxAgeMs: 180_000 });
  const [entry] = store.entries(NOW);
  if (entry === undefined) throw new Error('the store dropped a fresh entry');
  return entry;
}

/** A line's CHAOS samples: in sync at 80 Mbit/s, unlimited, named `name`. */
function chaosLine(id: string, { down = 80_000_000, name = '' }: { down?: number; name?: string } = {}) {
  return [
    line(id, 'aaisp_broadband_line_info', 1, { login: `${id}@a.1`, name }),
    line(id, 'aaisp_broadband_sync_download_bits_per_second', down),
    line(id, 'aaisp_broadband_quota_limited', 0),
  ];
}

/** A line's CQM samples: fetched, a sample a minute old, and the window's figures with `loss`. */
function cqmLine(id: string, loss = 0) {
  return [
    line(id, cqmFetchSuccess.name, 1),
    line(id, 'aaisp_cqm_sample_timestamp_seconds', (NOW - 60_000) / 1000),
    line(id, CQM_WINDOW_SAMPLES.lossRatio, loss),
    line(id, CQM_WINDOW_SAMPLES.offlineSeconds, 0),
    line(id, CQM_WINDOW_SAMPLES.latencySeconds, 0.008),
    line(id, CQM_WINDOW_SAMPLES.baselineLatencySeconds, 0.008),
  ];
}

/** The row of line `id` in the lines table. */
function rowOf(html: string, id: string): string {
  return (
    html.split('\n').find((text) => text.startsWith('<tr>') && text.includes(`<th scope="row">${id}</th>`)) ??
    ''
  );
}

/** The text of a row of the lines table, tags dropped. */
const rowText = (html: string, id: string): string => rowOf(html, id).replace(/<[^>]+>/g, '');

/** The text of line `id`'s State cell. */
function stateText(html: string, id: string): string {
  return (/<td class="state[^"]*">(.*?)<\/td>/.exec(rowOf(html, id))?.[1] ?? '').replace(/<[^>]+>/g, '');
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
    expect(page()).toContain('OK: every tier has collected and no line needs attention.');
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
    expect(html).toContain('OK: every tier has collected and no line needs attention.');
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

  it('meets the refresh meta the page reloads itself with: the fast tier’s interval', () => {
    expect(
      page({ tiers: [tier({ intervalSeconds: 60 }), tier({ name: 'slow', intervalSeconds: 900 })] }),
    ).toContain('<meta http-equiv="refresh" content="60">');
    expect(page()).toContain('the page reloads itself every 1 min');
    // Without a fast tier (broadband off), the shortest tier's.
    expect(
      refreshSeconds([
        tier({ name: 'cqm', intervalSeconds: 300 }),
        tier({ name: 'slow', intervalSeconds: 900 }),
      ]),
    ).toBe(300);
    // Never below the shortest interval the configuration allows (tests run sub-second tiers).
    expect(MIN_REFRESH_SECONDS).toBe(RANGES.INTERVALS__FAST.min);
    expect(refreshSeconds([tier({ intervalSeconds: 0.5 })])).toBe(MIN_REFRESH_SECONDS);
    expect(refreshSeconds([])).toBeUndefined();
    expect(page({ tiers: [] })).not.toContain('http-equiv');
  });
});

describe('the status page’s line states and verdict', () => {
  it('shows each line’s state in words with its reason, and counts the lines that need attention', () => {
    const html = page({
      entries: [
        linesEntry('default', [
          ...chaosLine('32001'),
          ...chaosLine('32002'),
          ...chaosLine('32003', { down: 0 }),
        ]),
        linesEntry('default', [...cqmLine('32001'), ...cqmLine('32002', 0.2), ...cqmLine('32003')], cqmLines),
      ],
    });
    expect(html).toContain('<p class="verdict bad" role="status">Problem: 2 of 3 lines need attention</p>');
    expect(stateText(html, '32001')).toBe('OK');
    expect(stateText(html, '32002')).toBe(
      'Needs attention: loss 20 % of echoes in the newest 15 min of CQM samples (alert above 5 %)',
    );
    expect(stateText(html, '32003')).toBe('Needs attention: no sync: download sync rate 0 bit/s');
    // The state is in words; colour only repeats it.
    expect(rowOf(html, '32003')).toContain('<td class="state bad"><strong>Needs attention</strong>');
  });

  it('says “1 of N lines needs attention”, after the failing tiers', () => {
    const html = page({
      tiers: [tier({ consecutiveFailures: 1, lastError: jobError('timeout', 'no answer', NOW - 1000) })],
      entries: [linesEntry('default', [...chaosLine('32001', { down: 0 }), ...chaosLine('32002')])],
    });
    expect(html).toContain(
      'Problem: tier failing: fast (timeout: no answer); 1 of 2 lines needs attention</p>',
    );
    const one = page({ entries: [linesEntry('default', chaosLine('32001', { down: 0 }))] });
    expect(one).toContain('Problem: 1 of 1 line needs attention</p>');
  });

  it('is OK only with every tier collected and no line needing attention, and says how many were not fully checked', () => {
    // No CQM link: the CQM checks are unknown, so the line is not OK but needs no attention.
    const html = page({ entries: [linesEntry('default', [...chaosLine('32001'), ...chaosLine('32002')])] });
    expect(html).toContain(
      'OK: every tier has collected and no line needs attention (2 of 2 could not be checked fully: see their state).',
    );
    expect(stateText(html, '32001')).toBe(
      'Unknown: no CQM data (no CQM link configured, or none fetched yet), so loss, latency and offline time are not checked',
    );
  });

  it('lists a line whose data expired as stale, and counts it', () => {
    const store = createSnapshotStore({ summarize: lineRowsOf });
    store.set({
      account: 'default',
      collector: broadbandLines,
      samples: chaosLine('32001'),
      collectedAtMs: NOW - 10 * 60_000,
      maxAgeMs: 180_000,
    });
    const html = page({ entries: store.entries(NOW), expired: store.expired(NOW) });
    expect(html).toContain('Problem: 1 of 1 line needs attention');
    expect(stateText(html, '32001')).toBe(
      'Needs attention: CHAOS data stale: collected 10 min ago, older than its max age of 3 min',
    );
  });

  it('says when a configuration reload was refused, and what was wrong', () => {
    const reload: ReloadStatus = {
      last: {
        ok: false,
        trigger: 'SIGHUP',
        atMs: Date.UTC(2027, 0, 15, 9, 30, 0),
        problems: [{ variable: 'AAISP_EXPORTER_INTERVALS__FAST', message: 'must be between 10 and 3600' }],
      },
      lastSuccessMs: Date.UTC(2027, 0, 15, 8, 0, 0),
    };
    const html = page({ reload });
    expect(html).toContain(
      'Problem: configuration reload refused at 2027-01-15 09:30:00 UTC: the previous configuration is in force</p>',
    );
    expect(html).toContain(
      'Configuration reload refused at 2027-01-15 09:30:00 UTC (SIGHUP); the previous configuration, loaded at 2027-01-15 08:00:00 UTC, is in force.',
    );
    expect(html).toContain(
      '<li><code>AAISP_EXPORTER_INTERVALS__FAST</code>: must be between 10 and 3600</li>',
    );
    const fine: ReloadStatus = { last: { ok: true, trigger: 'SIGHUP', atMs: NOW }, lastSuccessMs: NOW };
    expect(page({ reload: fine })).not.toContain('reload refused');
  });

  it('hides the Name column when no line has a name, and shows it when one has', () => {
    const unnamed = page({
      entries: [linesEntry('default', [...chaosLine('32001'), ...chaosLine('32002')])],
    });
    expect(unnamed).not.toContain('>Name<');
    expect(unnamed).toContain('<th scope="row">32001</th><td>32001@a.1</td>');
    const named = page({
      entries: [linesEntry('default', [...chaosLine('32001', { name: 'Shop' }), ...chaosLine('32002')])],
    });
    expect(named).toContain('<th scope="col">Name</th>');
    expect(named).toContain('<th scope="row">32001</th><td>Shop</td><td>32001@a.1</td>');
    expect(named).toContain('<th scope="row">32002</th><td></td><td>32002@a.1</td>');
  });

  it('explains, on hover and in a footnote, a download cell without tx_rate beside an adjusted rate', () => {
    const html = page({
      entries: [
        linesEntry('default', [
          line('32007', 'aaisp_broadband_line_info', 1, { login: 'c@a', name: '' }),
          line('32007', 'aaisp_broadband_sync_upload_bits_per_second', 7_272_000),
          line('32007', 'aaisp_broadband_sync_download_adjusted_bits_per_second', 944_955_500),
          ...chaosLine('32001'),
        ]),
      ],
    });
    expect(html).toMatch(
      /<td class="num" title="CHAOS reports no download sync rate \(tx_rate\) for this line\.[^"]*">– <sup>\*<\/sup><\/td>/,
    );
    expect(html).toContain(
      '<p class="note" role="note">* Line 32007: CHAOS reports no download sync rate (tx_rate) for this line. The adjusted download rate beside it is a different figure',
    );
    expect(rowText(html, '32007')).toContain('945.0 Mbit/s');
    expect(stateText(html, '32007')).toBe(
      'Unknown: no download sync rate from CHAOS (no tx_rate); no CQM data (no CQM link configured, or none fetched yet), so loss, latency and offline time are not checked',
    );
    // A line with its sync rate: no mark, and without such a line no footnote.
    expect(rowText(html, '32001')).not.toContain('*');
    expect(page({ entries: [linesEntry('default', chaosLine('32001'))] })).not.toContain('tx_rate');
  });
});
