/**
 * The plain HTML status page at `/`: an overall verdict, any account paused after CHAOS refused
 * its credentials (until when, tried next when), the lines with their rates and quota, each
 * tier's freshness and last error (marked once recovered), and links to the other endpoints. No scripts and no
 * external assets (inline CSS only; the server sends a CSP that forbids anything else); every
 * value is escaped; nothing depends on colour alone.
 *
 * @module
 */

import { broadbandLines } from '@aaisp/collectors';
import { type AccountPause, pausedAccountsOf, type TierStatus } from '../schedule/scheduler.ts';
import { type LineEntry, type LineSummary, mergeLineRows } from './line-summary.ts';

/** What the page shows. */
export interface StatusPageData {
  readonly entries: readonly LineEntry[];
  readonly tiers: readonly TierStatus[];
  readonly version: string;
  readonly demo: boolean;
  readonly nowMs: number;
  /** The configured account names, for the `/probe?target=NAME` links. */
  readonly accounts?: readonly string[] | undefined;
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
  while (magnitude >= 999.95 && unit < units.length - 1) {
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

/** `0.5` → `0.5 s`, `300` → `5 min`, `5400` → `1.5 h`. */
export function formatDuration(seconds: number): string {
  const round = (value: number): string => String(Math.round(value * 10) / 10);
  if (seconds < 60) return `${round(seconds)} s`;
  if (seconds < 3600) return `${round(seconds / 60)} min`;
  if (seconds < 86_400) return `${round(seconds / 3600)} h`;
  return `${round(seconds / 86_400)} d`;
}

/** A time relative to now: `12 s ago`, `in 3 min`, `never`. */
export function formatAgo(nowMs: number, ms: number | undefined): string {
  if (ms === undefined) return 'never';
  if (Math.abs(nowMs - ms) < 1000) return ms > nowMs ? 'in under 1 s' : 'just now';
  const seconds = Math.round((nowMs - ms) / 1000);
  const span = (value: number): string =>
    value < 120
      ? `${value} s`
      : value < 7200
        ? `${Math.round(value / 60)} min`
        : value < 172_800
          ? `${Math.round(value / 3600)} h`
          : `${Math.round(value / 86_400)} d`;
  if (seconds < 0) return `in ${span(-seconds)}`;
  return `${span(seconds)} ago`;
}

const e = escapeHtml;

/** The two quota cells: how much is used (bar and percentage), and what is left of the total. */
function quotaCells(row: LineSummary): string {
  if (row.limited !== 1) {
    // CHAOS reports unlimited lines as a monthly quota of 0, and some tariffs send no quota at
    // all: the metrics cannot tell the two apart.
    const left = row.remaining === undefined ? '' : ` (${formatBytes(row.remaining)} left)`;
    const text = row.limited === 0 ? `unlimited or no quota${left}` : '–';
    return `<td colspan="2">${e(text)}</td>`;
  }
  const total = row.total;
  const ofTotal = `of ${formatBytes(total)}`;
  if (row.remaining === undefined || total === undefined || total <= 0) {
    return `<td>–</td><td class="num">${e(`? left ${ofTotal}`)}</td>`;
  }
  const used = (total - row.remaining) / total;
  const percent = Math.max(0, Math.round(used * 100));
  const usedText = used < 0 ? '0 % (bonus)' : `${percent} %`;
  return `<td class="quota"><meter aria-hidden="true" min="0" max="100" low="75" high="90" optimum="0" value="${Math.min(percent, 100)}"></meter> ${e(usedText)}</td><td class="num">${e(`${formatBytes(row.remaining)} left ${ofTotal}`)}</td>`;
}

/** The newest CQM sample's average latency and loss, `–` for a line without. */
function cqmCells(row: LineSummary): string {
  const latency = row.latency === undefined ? '–' : `${(row.latency * 1000).toFixed(1)} ms`;
  const loss = row.loss === undefined ? '–' : `${(row.loss * 100).toFixed(1)} %`;
  return `<td class="num">${e(latency)}</td><td class="num">${e(loss)}</td>`;
}

/**
 * A note under the table for each line whose CQM CSV header is not A&A's known format: its values
 * from a missing column (the average latency, if `Av` is renamed) show as `–` for that reason, not
 * because the line has none. The names are in the log; the page quotes nothing of the CSV.
 */
function csvFormatNotes(lines: readonly LineSummary[]): string {
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  const notes = lines.flatMap((row) => {
    const missing = row.csvColumnsMissing ?? 0;
    const unknown = row.csvColumnsUnknown ?? 0;
    if (missing === 0 && unknown === 0) return [];
    const parts = [
      ...(missing > 0
        ? [`lacks ${plural(missing, 'known column')} (${missing === 1 ? 'its' : 'their'} values are missing)`]
        : []),
      ...(unknown > 0 ? [`has ${plural(unknown, 'column')} the exporter does not read`] : []),
    ];
    return [`Line ${row.id}: its CQM CSV header ${parts.join(' and ')}.`];
  });
  if (notes.length === 0) return '';
  return `\n<p class="bad" role="note">A&amp;A’s CQM CSV format has changed: ${notes.map((note) => e(note)).join(' ')} The exporter’s log names the columns (“CQM CSV header differs”); please report it with the CSV that <code>aaisp-exporter record</code> saves.</p>`;
}

function linesSection(entries: readonly LineEntry[], nowMs: number): string {
  const lines = mergeLineRows(entries.flatMap((entry) => entry.summary));
  if (lines.length === 0) {
    return '<h2>Lines</h2>\n<p>No line data yet, or the last data is older than its maximum age (see the tiers below).</p>';
  }
  const collected = entries
    .filter((entry) => entry.collector.name === broadbandLines.name)
    .map((entry) => entry.collectedAtMs);
  const oldest = collected.length === 0 ? undefined : Math.min(...collected);
  const accounts = new Set(lines.map((row) => row.account));
  const showAccount = accounts.size > 1;
  // Latency and loss only when some line has a CQM link: most users have none configured.
  const showCqm = lines.some((row) => row.latency !== undefined || row.loss !== undefined);
  const head = [
    ...(showAccount ? ['Account'] : []),
    'Line',
    'Name',
    'Login',
    'Download',
    'Upload',
    'Adjusted download',
    'Quota used',
    'Quota left',
    ...(showCqm ? ['Latency (CQM avg)', 'Loss (CQM)'] : []),
  ];
  const body = lines
    .map(
      (row) =>
        `<tr>${showAccount ? `<td>${e(row.account)}</td>` : ''}<th scope="row">${e(row.id)}</th><td>${e(row.name)}</td><td>${e(row.login)}</td><td class="num">${e(formatBitRate(row.down))}</td><td class="num">${e(formatBitRate(row.up))}</td><td class="num">${e(formatBitRate(row.adjusted))}</td>${quotaCells(row)}${showCqm ? cqmCells(row) : ''}</tr>`,
    )
    .join('\n');
  const count = `${lines.length} line${lines.length === 1 ? '' : 's'}`;
  return `<h2>Lines</h2>
<p>${e(count)}; collected ${e(formatAgo(nowMs, oldest))}. Sync rates as CHAOS reports them; quota in decimal units${showCqm ? '; latency and loss from each line’s newest CQM sample' : ''}.</p>
<div class="scroll"><table><thead><tr>${head.map((name) => `<th scope="col">${e(name)}</th>`).join('')}</tr></thead><tbody>
${body}
</tbody></table></div>${csvFormatNotes(lines)}`;
}

/** A tier's state in words: colour only repeats it. */
function tierState(tier: TierStatus): { text: string; failing: boolean } {
  if (tier.consecutiveFailures > 0) {
    const times = tier.consecutiveFailures;
    return { text: `FAILING: ${times} failure${times === 1 ? '' : 's'} in a row`, failing: true };
  }
  if (tier.lastSuccessMs === undefined)
    return { text: tier.running ? 'first run…' : 'waiting', failing: false };
  return { text: 'OK', failing: false };
}

function tiersSection(tiers: readonly TierStatus[], nowMs: number): string {
  const rows = tiers
    .map((tier) => {
      const state = tierState(tier);
      const error = tier.lastError;
      const when = `${formatAgo(nowMs, error?.atMs)}${error?.current === false ? '; recovered since' : ''}`;
      const errorCell =
        error === undefined
          ? '<td>none</td>'
          : `<td${state.failing && error.current ? ' class="bad"' : ''}><strong>${e(error.kind)}</strong>: ${e(error.message)} <span class="when">(${e(when)})</span></td>`;
      const next = tier.running
        ? 'running now'
        : tier.nextRunMs !== undefined && tier.nextRunMs <= nowMs
          ? 'due now'
          : formatAgo(nowMs, tier.nextRunMs);
      return `<tr><th scope="row">${e(tier.name)}</th><td class="num">${e(formatDuration(tier.intervalSeconds))}</td><td${state.failing ? ' class="bad"' : ''}>${e(state.text)}</td><td>${e(formatAgo(nowMs, tier.lastSuccessMs))}</td><td>${e(next)}</td>${errorCell}</tr>`;
    })
    .join('\n');
  return `<h2>Tiers</h2>
<div class="scroll"><table><thead><tr><th scope="col">Tier</th><th scope="col">Every</th><th scope="col">State</th><th scope="col">Last success</th><th scope="col">Next run</th><th scope="col">Last error</th></tr></thead><tbody>
${rows}
</tbody></table></div>`;
}

/** When a paused account is tried next, in words: `in 3 min (20:45:00 UTC)`, `due now`. */
function nextAttemptText(nowMs: number, ms: number | undefined): string {
  if (ms === undefined) return 'not scheduled (stopping)';
  if (ms <= nowMs) return 'due now';
  return `${formatAgo(nowMs, ms)} (${new Date(ms).toISOString().slice(11, 19)} UTC)`;
}

/** The accounts whose calls the auth breaker pauses, ending in a newline; nothing when none is. */
function pausesSection(pauses: readonly AccountPause[], nowMs: number): string {
  if (pauses.length === 0) return '';
  const rows = pauses
    .map(
      (pause) =>
        `<tr><th scope="row">${e(pause.account)}</th><td class="num">${e(String(pause.refusals))}</td><td>${e(pause.untilMs <= nowMs ? 'ended' : nextAttemptText(nowMs, pause.untilMs))}</td><td>${e(nextAttemptText(nowMs, pause.nextAttemptMs))}</td></tr>`,
    )
    .join('\n');
  return `<h2>Paused accounts</h2>
<p class="bad">CHAOS refused these accounts’ credentials: no call is made for them until their pause ends, then the next run tries again. Fix the control login or password and restart the exporter to try at once.</p>
<div class="scroll"><table><thead><tr><th scope="col">Account</th><th scope="col">Refusals in a row</th><th scope="col">Pause ends</th><th scope="col">Next attempt</th></tr></thead><tbody>
${rows}
</tbody></table></div>
`;
}

/** One sentence at the top: is everything fine? */
function verdict(tiers: readonly TierStatus[], pauses: readonly AccountPause[], nowMs: number): string {
  const failing = tiers.filter((tier) => tier.consecutiveFailures > 0);
  // Failing tiers first: scripts and people read the verdict's start ("Problem: tier failing").
  const problems: string[] = [];
  if (failing.length > 0) {
    const which = failing
      .map(
        (tier) =>
          `${tier.name}${tier.lastError ? ` (${tier.lastError.kind}: ${tier.lastError.message})` : ''}`,
      )
      .join('; ');
    problems.push(`${failing.length === 1 ? 'tier' : 'tiers'} failing: ${which}`);
  }
  for (const pause of pauses) {
    problems.push(
      `account ${pause.account} paused: CHAOS refused its credentials, next attempt ${nextAttemptText(nowMs, pause.nextAttemptMs)}`,
    );
  }
  if (problems.length > 0) {
    return `<p class="verdict bad" role="status">Problem: ${e(problems.join('; '))}</p>`;
  }
  if (tiers.length > 0 && tiers.every((tier) => tier.lastSuccessMs !== undefined)) {
    return '<p class="verdict good" role="status">OK: every tier has collected.</p>';
  }
  return '<p class="verdict" role="status">Starting: waiting for the first collection.</p>';
}

const STYLE = [
  'body{font:15px/1.45 system-ui,sans-serif;margin:1.5em;color:#111;background:#fff}',
  'h1{font-size:1.4em;margin:0 0 .5em}h2{font-size:1.15em;margin:1.5em 0 .3em}',
  '.scroll{overflow-x:auto}',
  'table{border-collapse:collapse}',
  'th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}',
  'thead th{background:#eee}tbody th{font-weight:600}tbody tr:nth-child(even){background:#f8f8f8}',
  '.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}',
  '.quota{white-space:nowrap}meter{width:6em;vertical-align:middle}',
  '.verdict{padding:.5em .8em;border:2px solid #888;font-weight:600}',
  '.good{border-color:#2a7d2a}.bad{color:#a00}.verdict.bad{border-color:#a00;background:#fdecec}',
  '.when{color:#555}.demo{background:#fff3cd;border:1px solid #c9a400;padding:.5em .8em}',
  'footer{margin-top:2em;color:#333}',
].join('');

/** Renders the page. Postcodes are never shown. */
export function renderStatusPage(data: StatusPageData): string {
  const pauses = pausedAccountsOf(data.tiers);
  const probes = (data.accounts ?? []).map(
    (name) => `<a href="${e(`/probe?target=${encodeURIComponent(name)}`)}">/probe?target=${e(name)}</a>`,
  );
  const links = [
    '<a href="/metrics">/metrics</a>',
    '<a href="/health">/health</a>',
    '<a href="/ready">/ready</a>',
    ...probes,
  ].join(' · ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>AAISP exporter</title>
<style>${STYLE}</style>
</head><body>
<header><h1>AAISP exporter ${e(data.version)}</h1>
${data.demo ? '<p class="demo"><strong>Demo mode:</strong> the data comes from a built-in fake CHAOS, not from A&amp;A.</p>' : ''}
${verdict(data.tiers, pauses, data.nowMs)}</header>
<main>
${pausesSection(pauses, data.nowMs)}${linesSection(data.entries, data.nowMs)}
${tiersSection(data.tiers, data.nowMs)}
</main>
<footer><p>${links}</p>
<p>Generated ${e(new Date(data.nowMs).toISOString().replace('T', ' ').slice(0, 19))} UTC; reload for fresh figures.</p></footer>
</body></html>
`;
}
