/**
 * The plain HTML status page at `/`: an overall verdict (failing tiers first, then paused
 * accounts, then how many lines need attention, then a refused configuration reload), any account
 * paused after CHAOS refused its credentials (until when, tried next when), the lines with their
 * state, rates and quota, each tier's freshness and last error (marked once recovered), and links
 * to the other endpoints. Each line's state is judged by the shipped alerts' thresholds
 * (`./line-attention.ts`). No scripts and no external assets (inline CSS only; the server sends a
 * CSP that forbids anything else); it reloads itself with a `<meta>` refresh every fast-tier
 * interval; every value is escaped; nothing depends on colour alone.
 *
 * @module
 */

import type { ReloadStatus } from '../reload/reload-status.ts';
import { type AccountPause, pausedAccountsOf, type TierStatus } from '../schedule/scheduler.ts';
import { escapeHtml, formatAgo, formatBitRate, formatBytes, formatDuration, formatMs } from './format.ts';
import { type LineState, lineStateOf } from './line-attention.ts';
import {
  type ExpiredLineEntry,
  type LineEntry,
  type LineFacts,
  type LineSummary,
  linesOf,
} from './line-summary.ts';

/** What the page shows. */
export interface StatusPageData {
  readonly entries: readonly LineEntry[];
  /** Entries dropped for age: their lines are listed as stale. Absent: none. */
  readonly expired?: readonly ExpiredLineEntry[] | undefined;
  readonly tiers: readonly TierStatus[];
  readonly version: string;
  readonly demo: boolean;
  readonly nowMs: number;
  /** The configured account names, for the `/probe?target=NAME` links. */
  readonly accounts?: readonly string[] | undefined;
  /** The last configuration load and the last good one; absent: not reported. */
  readonly reload?: ReloadStatus | undefined;
}

/** A line with its state at the page's time. */
interface JudgedLine extends LineFacts {
  readonly state: LineState;
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
  const latency = row.latency === undefined ? '–' : formatMs(row.latency);
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

/** A line whose download sync rate CHAOS leaves out while it gives the adjusted rate (docs/chaos-api.md §11.1). */
const lacksSyncRate = (row: LineSummary): boolean => row.down === undefined && row.adjusted !== undefined;

const NO_TX_RATE_NOTE =
  'CHAOS reports no download sync rate (tx_rate) for this line. The adjusted download rate beside it is a different figure: the rate A&A shapes the line’s downloads to (after any rate limit, and probably line overhead), not the rate the line synced at.';

/** The download cell: the sync rate, or for a line without one a marked `–` that says why. */
function downloadCell(row: LineSummary): string {
  if (!lacksSyncRate(row)) return `<td class="num">${e(formatBitRate(row.down))}</td>`;
  return `<td class="num" title="${e(NO_TX_RATE_NOTE)}">– <sup>*</sup></td>`;
}

const STATE_WORDS: Record<LineState['status'], string> = {
  attention: 'Needs attention',
  unknown: 'Unknown',
  ok: 'OK',
};

/** The state cell: the state in words, then what made it so (the checks of that status). */
function stateCell({ status, checks }: LineState): string {
  const reasons = status === 'ok' ? [] : checks.filter((found) => found.status === status);
  const why = reasons.length === 0 ? '' : `: ${reasons.map((found) => e(found.reason)).join('; ')}`;
  return `<td class="state${status === 'attention' ? ' bad' : ''}"><strong>${STATE_WORDS[status]}</strong>${why}</td>`;
}

function linesSection(lines: readonly JudgedLine[], nowMs: number): string {
  if (lines.length === 0) {
    return '<h2>Lines</h2>\n<p>No line data yet (see the tiers below).</p>';
  }
  const collected = lines.flatMap((line) => (line.chaos === undefined ? [] : [line.chaos.collectedAtMs]));
  const oldest = collected.length === 0 ? undefined : Math.min(...collected);
  const accounts = new Set(lines.map((line) => line.row.account));
  const showAccount = accounts.size > 1;
  // Names come from the user's configuration or CHAOS; a column empty on every line says nothing.
  const showName = lines.some((line) => line.row.name !== '');
  // Latency and loss only when some line has a CQM link: most users have none configured.
  const showCqm = lines.some((line) => line.row.latency !== undefined || line.row.loss !== undefined);
  const head = [
    ...(showAccount ? ['Account'] : []),
    'Line',
    ...(showName ? ['Name'] : []),
    'Login',
    'State',
    'Download',
    'Upload',
    'Adjusted download',
    'Quota used',
    'Quota left',
    ...(showCqm ? ['Latency (CQM avg)', 'Loss (CQM)'] : []),
  ];
  const body = lines
    .map(({ row, state }) => {
      const cells = [
        showAccount ? `<td>${e(row.account)}</td>` : '',
        `<th scope="row">${e(row.id)}</th>`,
        showName ? `<td>${e(row.name)}</td>` : '',
        `<td>${e(row.login)}</td>`,
        stateCell(state),
        downloadCell(row),
        `<td class="num">${e(formatBitRate(row.up))}</td>`,
        `<td class="num">${e(formatBitRate(row.adjusted))}</td>`,
        quotaCells(row),
        showCqm ? cqmCells(row) : '',
      ];
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  const count = `${lines.length} line${lines.length === 1 ? '' : 's'}`;
  const rows = lines.map((line) => line.row);
  const noSyncRate = rows.filter(lacksSyncRate).map((row) => row.id);
  const footnote =
    noSyncRate.length === 0
      ? ''
      : `\n<p class="note" role="note">* Line${noSyncRate.length === 1 ? '' : 's'} ${e(noSyncRate.join(', '))}: ${e(NO_TX_RATE_NOTE)}</p>`;
  return `<h2>Lines</h2>
<p>${e(count)}; collected ${e(formatAgo(nowMs, oldest))}. Sync rates as CHAOS reports them; quota in decimal units${showCqm ? '; latency and loss from each line’s newest CQM sample' : ''}. A line’s state uses the thresholds of the shipped Prometheus alerts (deploy/prometheus/alerts.yml); “Unknown” means some check had no data.</p>
<div class="scroll"><table><thead><tr>${head.map((name) => `<th scope="col">${e(name)}</th>`).join('')}</tr></thead><tbody>
${body}
</tbody></table></div>${footnote}${csvFormatNotes(rows)}`;
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

/** A time as the page writes it: `2026-11-23 20:25:50 UTC`. */
const utc = (ms: number): string => `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;

/** `2 of 7 lines need attention`, `1 of 1 line needs attention`. */
function attentionText(needing: number, total: number): string {
  return `${needing} of ${total} line${total === 1 ? '' : 's'} ${needing === 1 ? 'needs' : 'need'} attention`;
}

/** The last load, when it was refused: the configuration in force is an older one. */
const refusedReload = (reload: ReloadStatus | undefined) =>
  reload?.last.ok === false ? reload.last : undefined;

/**
 * One sentence at the top: is everything fine? Failing tiers first (scripts and people read the
 * verdict's start, "Problem: tier failing"), then paused accounts, then the lines that need
 * attention, then a refused reload. "OK" only when every tier has collected and no line needs
 * attention.
 */
function verdict(
  data: StatusPageData,
  pauses: readonly AccountPause[],
  lines: readonly JudgedLine[],
): string {
  const { tiers, nowMs } = data;
  const failing = tiers.filter((tier) => tier.consecutiveFailures > 0);
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
  const needing = lines.filter((line) => line.state.status === 'attention').length;
  if (needing > 0) problems.push(attentionText(needing, lines.length));
  const refused = refusedReload(data.reload);
  if (refused !== undefined) {
    problems.push(
      `configuration reload refused at ${utc(refused.atMs)}: the previous configuration is in force`,
    );
  }
  if (problems.length > 0) {
    return `<p class="verdict bad" role="status">Problem: ${e(problems.join('; '))}</p>`;
  }
  if (tiers.length > 0 && tiers.every((tier) => tier.lastSuccessMs !== undefined)) {
    const unknown = lines.filter((line) => line.state.status === 'unknown').length;
    const partly =
      unknown === 0 ? '' : ` (${unknown} of ${lines.length} could not be checked fully: see their state)`;
    return `<p class="verdict good" role="status">${e(`OK: every tier has collected and no line needs attention${partly}.`)}</p>`;
  }
  return '<p class="verdict" role="status">Starting: waiting for the first collection.</p>';
}

/** A refused reload's problems, ending in a newline; nothing when the last load succeeded. */
function configSection(reload: ReloadStatus | undefined): string {
  const refused = refusedReload(reload);
  if (reload === undefined || refused === undefined) return '';
  const problems = refused.problems
    .map((problem) => `<li><code>${e(problem.variable)}</code>: ${e(problem.message)}</li>`)
    .join('\n');
  return `<h2>Configuration</h2>
<p class="bad">Configuration reload refused at ${e(utc(refused.atMs))} (${e(refused.trigger)}); the previous configuration, loaded at ${e(utc(reload.lastSuccessMs))}, is in force. Fix these and reload again:</p>
<ul>
${problems}
</ul>
`;
}

/**
 * The shortest fast-tier interval the configuration accepts (`AAISP_EXPORTER_INTERVALS__FAST`;
 * `status-page.test.ts` holds the two equal), and so the page's shortest refresh: tests run tiers at under a second, and a page that reloads
 * as often could not be read.
 */
export const MIN_REFRESH_SECONDS: number = 10;

/**
 * How often the page reloads itself: the fast tier's interval (the shortest tier's without one),
 * in whole seconds, at least {@link MIN_REFRESH_SECONDS}. Undefined without tiers.
 */
export function refreshSeconds(tiers: readonly TierStatus[]): number | undefined {
  const fast =
    tiers.find((tier) => tier.name === 'fast') ??
    [...tiers].sort((a, b) => a.intervalSeconds - b.intervalSeconds)[0];
  return fast === undefined ? undefined : Math.max(MIN_REFRESH_SECONDS, Math.round(fast.intervalSeconds));
}

const STYLE = [
  'body{font:15px/1.45 system-ui,sans-serif;margin:1.5em;color:#111;background:#fff}',
  'h1{font-size:1.4em;margin:0 0 .5em}h2{font-size:1.15em;margin:1.5em 0 .3em}',
  '.scroll{overflow-x:auto}',
  'table{border-collapse:collapse}',
  'th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}',
  'thead th{background:#eee}tbody th{font-weight:600}tbody tr:nth-child(even){background:#f8f8f8}',
  '.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}',
  '.quota{white-space:nowrap}meter{width:6em;vertical-align:middle}.state{min-width:16em}',
  '.verdict{padding:.5em .8em;border:2px solid #888;font-weight:600}',
  '.good{border-color:#2a7d2a}.bad{color:#a00}.verdict.bad{border-color:#a00;background:#fdecec}',
  '.when{color:#555}.demo{background:#fff3cd;border:1px solid #c9a400;padding:.5em .8em}',
  'footer{margin-top:2em;color:#333}',
].join('');

/** Renders the page. Postcodes are never shown. */
export function renderStatusPage(data: StatusPageData): string {
  const pauses = pausedAccountsOf(data.tiers);
  const lines = linesOf(data.entries, data.expired ?? []).map((line) => ({
    ...line,
    state: lineStateOf(line, data.nowMs),
  }));
  const probes = (data.accounts ?? []).map(
    (name) => `<a href="${e(`/probe?target=${encodeURIComponent(name)}`)}">/probe?target=${e(name)}</a>`,
  );
  const links = [
    '<a href="/metrics">/metrics</a>',
    '<a href="/health">/health</a>',
    '<a href="/ready">/ready</a>',
    ...probes,
  ].join(' · ');
  const refresh = refreshSeconds(data.tiers);
  const refreshMeta = refresh === undefined ? '' : `<meta http-equiv="refresh" content="${refresh}">`;
  const refreshText =
    refresh === undefined
      ? 'reload for fresh figures'
      : `the page reloads itself every ${formatDuration(refresh)}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${refreshMeta}
<title>AAISP exporter</title>
<style>${STYLE}</style>
</head><body>
<header><h1>AAISP exporter ${e(data.version)}</h1>
${data.demo ? '<p class="demo"><strong>Demo mode:</strong> the data comes from a built-in fake CHAOS, not from A&amp;A.</p>' : ''}
${verdict(data, pauses, lines)}</header>
<main>
${configSection(data.reload)}${pausesSection(pauses, data.nowMs)}${linesSection(lines, data.nowMs)}
${tiersSection(data.tiers, data.nowMs)}
</main>
<footer><p>${links}</p>
<p>Generated ${e(utc(data.nowMs))}; ${e(refreshText)}.</p></footer>
</body></html>
`;
}
