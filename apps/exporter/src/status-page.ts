/**
 * The plain HTML status page at `/`: lines with their rates and quota, tier freshness, last
 * errors and links. No external assets; every value is escaped.
 *
 * @module
 */

import type { TierStatus } from './scheduler.ts';
import type { SnapshotEntry } from './snapshot.ts';

/** What the page shows. */
export interface StatusPageData {
  readonly entries: readonly SnapshotEntry[];
  readonly tiers: readonly TierStatus[];
  readonly version: string;
  readonly demo: boolean;
  readonly nowMs: number;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** Scales a value by thousands into `units`: one decimal except for the base unit. */
function scaled(value: number, units: readonly string[]): string {
  let magnitude = Math.abs(value);
  let unit = 0;
  while (magnitude >= 1000 && unit < units.length - 1) {
    magnitude /= 1000;
    unit++;
  }
  return `${value < 0 ? '−' : ''}${magnitude.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** `79987000` → `80.0 Mbit/s`. */
export function formatBitRate(bps: number | undefined): string {
  return bps === undefined ? '–' : scaled(bps, ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s']);
}

/** `231845120448` → `231.8 GB` (decimal, as A&A counts quota). */
export function formatBytes(bytes: number | undefined): string {
  return bytes === undefined ? '–' : scaled(bytes, ['B', 'kB', 'MB', 'GB', 'TB']);
}

function ago(nowMs: number, ms: number | undefined): string {
  if (ms === undefined) return 'never';
  const seconds = Math.round((nowMs - ms) / 1000);
  if (seconds < 0) return `in ${-seconds} s`;
  if (seconds < 120) return `${seconds} s ago`;
  return `${Math.round(seconds / 60)} min ago`;
}

interface LineRow {
  account: string;
  id: string;
  name: string;
  login: string;
  down?: number;
  up?: number;
  remaining?: number;
  total?: number;
  limited?: number;
}

function lineRows(entries: readonly SnapshotEntry[]): LineRow[] {
  const rows = new Map<string, LineRow>();
  for (const entry of entries) {
    if (entry.collector.name !== 'broadband_lines') continue;
    for (const sample of entry.samples) {
      const id = sample.labels.line_id;
      if (id === undefined) continue;
      const key = `${entry.account}\u0000${id}`;
      const row = rows.get(key) ?? { account: entry.account, id, name: '', login: '' };
      rows.set(key, row);
      switch (sample.metric) {
        case 'aaisp_broadband_line_info':
          row.name = sample.labels.name ?? '';
          row.login = sample.labels.login ?? '';
          break;
        case 'aaisp_broadband_sync_download_bits_per_second':
          row.down = sample.value;
          break;
        case 'aaisp_broadband_sync_upload_bits_per_second':
          row.up = sample.value;
          break;
        case 'aaisp_broadband_quota_remaining_bytes':
          row.remaining = sample.value;
          break;
        case 'aaisp_broadband_quota_total_bytes':
          row.total = sample.value;
          break;
        case 'aaisp_broadband_quota_limited':
          row.limited = sample.value;
          break;
      }
    }
  }
  return [...rows.values()];
}

function quotaText(row: LineRow): string {
  if (row.limited === 1) return `${formatBytes(row.remaining)} left of ${formatBytes(row.total)}`;
  if (row.remaining !== undefined) return `unlimited (${formatBytes(row.remaining)} left)`;
  return row.limited === 0 ? 'unlimited or no quota' : '–';
}

/** Renders the page. Postcodes are never shown. */
export function renderStatusPage(data: StatusPageData): string {
  const e = escapeHtml;
  const lines = lineRows(data.entries);
  const lineTable =
    lines.length === 0
      ? '<p>No line data yet (or it is older than its maximum age).</p>'
      : `<table><thead><tr><th>Account</th><th>Line</th><th>Name</th><th>Login</th><th>Download</th><th>Upload</th><th>Quota</th></tr></thead><tbody>${lines
          .map(
            (row) =>
              `<tr><td>${e(row.account)}</td><td>${e(row.id)}</td><td>${e(row.name)}</td><td>${e(row.login)}</td><td>${e(formatBitRate(row.down))}</td><td>${e(formatBitRate(row.up))}</td><td>${e(quotaText(row))}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  const tierTable = `<table><thead><tr><th>Tier</th><th>Interval</th><th>Last success</th><th>Last error</th><th>Next run</th></tr></thead><tbody>${data.tiers
    .map(
      (tier) =>
        `<tr><td>${e(tier.name)}</td><td>${tier.intervalSeconds} s</td><td>${e(ago(data.nowMs, tier.lastSuccessMs))}</td><td class="${tier.lastError ? 'error' : ''}">${
          tier.lastError
            ? `${e(tier.lastError.kind)}: ${e(tier.lastError.message)} (${e(ago(data.nowMs, tier.lastError.atMs))})`
            : '–'
        }</td><td>${e(ago(data.nowMs, tier.nextRunMs))}</td></tr>`,
    )
    .join('')}</tbody></table>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>AAISP exporter</title>
<style>body{font:15px/1.4 system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}th{background:#f4f4f4}.error{color:#a00}.demo{background:#fff3cd;padding:.5em}</style>
</head><body>
<h1>AAISP exporter ${e(data.version)}</h1>
${data.demo ? '<p class="demo">Demo mode: the data comes from a built-in fake CHAOS, not from A&amp;A.</p>' : ''}
<h2>Lines</h2>
${lineTable}
<h2>Tiers</h2>
${tierTable}
<p><a href="/metrics">/metrics</a> · <a href="/health">/health</a> · <a href="/ready">/ready</a></p>
</body></html>
`;
}
