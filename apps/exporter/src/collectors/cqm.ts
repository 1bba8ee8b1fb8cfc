/**
 * `cqm` on its own tier: each configured line's A&A CQM CSV (docs/chaos-api.md §11.2), fetched
 * with `fetchCqm`, folded into the line's counters with `trackCqm` (every new 100 s sample once,
 * so `rate()` and `increase()` are exact whatever the interval) and mapped by `cqmLines`.
 *
 * Not CHAOS: no credentials, no CHAOS call, no auth breaker. One line's bad link must not hide the
 * others, so a run fails only when no line could be fetched; a line whose fetches fail keeps its
 * last good series for the tier's max age (then they vanish, like any stale data) and
 * `aaisp_cqm_fetch_success{line_id}` says which line it is.
 *
 * @module
 */

import { type ChaosSchemaIssue, type CqmData, fetchCqm, maskCqmUrl } from '@aaisp/chaos-client';
import {
  type CqmLineState,
  cqmLines,
  emptyCqmLineState,
  type Sample,
  trackCqm,
  withAccount,
} from '@aaisp/collectors';
import type { Logger } from 'pino';
import type { CqmLineConfig } from '../model/account.ts';
import type { BindingDeps, CollectorBinding, CollectorRun } from './binding.ts';
import { decodeCqmLineState, encodeCqmLineState } from './cqm-memory.ts';
import { cqmCsvColumnsMissing, cqmCsvColumnsUnknown, cqmFetchSuccess } from './cqm-metrics.ts';
import { cqmSource } from './cqm-source.ts';
import { type CqmWindow, cqmWindowOf, cqmWindowSamples } from './cqm-window.ts';

/** The line-quality collector with the exporter's own per-line fetch and format gauges. */
const collector = {
  ...cqmLines,
  metrics: [...cqmLines.metrics, cqmFetchSuccess, cqmCsvColumnsMissing, cqmCsvColumnsUnknown],
};

/** What is remembered of one line between runs. */
interface LineMemory {
  state: CqmLineState;
  /** When the last good fetch ended (ms); undefined before the first. */
  lastOkMs: number | undefined;
  /** Whether the last fetch failed, so a failure and a recovery are logged once each. */
  failing: boolean;
  /** How the last good CSV's header differed from the known one; undefined before the first. */
  columns: CsvColumns | undefined;
  /** What the last good CSV's bad rows were (see {@link skippedKey}); `''` for none. */
  skipped: string;
  /** The status page's figures of the last good CSV; undefined before one with a complete sample. */
  window: CqmWindow | undefined;
}

/** A skipped row's issue as a log reads it: the CSV column and what was wrong, no value. */
const issueText = (issue: ChaosSchemaIssue): string => `${issue.path.join('.')}: ${issue.message}`;

/**
 * The bad rows of a fetch by how many there are and why, not by line number: the window moves
 * every 100 s, so the same bad row has a new line number at each fetch.
 */
function skippedKey(rows: CqmData['skipped']): string {
  return rows.length === 0
    ? ''
    : `${rows.length}\u0000${rows.flatMap((row) => row.issues.map(issueText)).join('\u0000')}`;
}

/** What a header lacked and added. */
interface CsvColumns {
  readonly missing: readonly string[];
  readonly unknown: readonly string[];
}

const sameColumns = (a: CsvColumns | undefined, b: CsvColumns): boolean =>
  a !== undefined &&
  a.missing.join('\u0000') === b.missing.join('\u0000') &&
  a.unknown.join('\u0000') === b.unknown.join('\u0000');

/**
 * Logs a header that differs from the known format once per line per change (and once when it is
 * the known one again), so a moved format is reported without a line per fetch. The names come
 * from the CSV's header, never from the link.
 */
function logColumns(log: Logger, lineId: string, before: CsvColumns | undefined, now: CsvColumns): void {
  if (sameColumns(before, now)) return;
  const differs = now.missing.length > 0 || now.unknown.length > 0;
  if (differs) {
    log.warn(
      { line: lineId, missingColumns: now.missing, unknownColumns: now.unknown },
      "CQM CSV header differs from A&A's known format: missing columns' values are absent, unknown columns are not read (please report it with the CSV that `aaisp-exporter record` saves)",
    );
  } else if (before !== undefined) {
    log.info({ line: lineId }, "CQM CSV header is A&A's known format again");
  }
}

/** One line's fetch: the data, or the error (already stripped of the URL by the SDK). */
type Fetched =
  | { readonly ok: true; readonly data: CqmData }
  | { readonly ok: false; readonly error: unknown };

/** What a run keeps of one line's fetch once its data is folded in. */
type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/** Starts the run: its memory of every line of every account lives in this closure. */
function start({ logger, fetchPolicy, maxAgeMs, now, eachTarget, memory: saved }: BindingDeps): CollectorRun {
  const memory = new Map<string, LineMemory>();

  const fetchLine = async (line: CqmLineConfig, signal: AbortSignal): Promise<Fetched> => {
    try {
      const data = await fetchCqm(line.url, {
        timeout: fetchPolicy.timeoutMs,
        retry: { limit: fetchPolicy.retries },
        userAgent: fetchPolicy.userAgent,
        fetch: fetchPolicy.fetch,
        signal,
      });
      return { ok: true, data };
    } catch (error) {
      return { ok: false, error };
    }
  };

  /** The line's saved state, or a fresh one (said, when what was saved cannot be read). */
  const restoredState = (account: string, lineId: string, log: Logger): CqmLineState => {
    const value = saved.get(account, lineId);
    const restored = decodeCqmLineState(value);
    if (restored !== undefined) return restored;
    if (value !== undefined) {
      log.warn(
        { line: lineId },
        'the saved CQM state of the line cannot be read: its counters start again at 0 (a reset)',
      );
    }
    return emptyCqmLineState();
  };

  const remember = (account: string, line: CqmLineConfig, fetched: Fetched, log: Logger): LineMemory => {
    const key = `${account}\u0000${line.lineId}`;
    const known = memory.get(key) ?? {
      // Where the line's counting stopped before a reload or (with STATE__DIR) a restart: the
      // samples published meanwhile are counted once, not skipped.
      state: restoredState(account, line.lineId, log),
      lastOkMs: undefined,
      failing: false,
      columns: undefined,
      skipped: '',
      window: undefined,
    };
    const nowMs = now();
    if (fetched.ok) {
      if (known.failing) log.info({ line: line.lineId }, 'CQM fetch of the line works again');
      const skipped = skippedKey(fetched.data.skipped);
      // A bad row stays in the 24 h window for a day: said once, and again only when it changes.
      if (skipped !== '' && skipped !== known.skipped) {
        log.warn(
          {
            line: line.lineId,
            rows: fetched.data.skipped.map((row) => row.line),
            reasons: [...new Set(fetched.data.skipped.flatMap((row) => row.issues.map(issueText)))],
          },
          'CQM CSV rows are not valid samples; they are left out (logged again only when they change)',
        );
      }
      const columns = { missing: fetched.data.missingColumns, unknown: fetched.data.unknownColumns };
      logColumns(log, line.lineId, known.columns, columns);
      const updated = {
        state: trackCqm(known.state, fetched.data, nowMs),
        lastOkMs: nowMs,
        failing: false,
        columns,
        skipped,
        window: cqmWindowOf(fetched.data, nowMs),
      };
      memory.set(key, updated);
      // trackCqm returns the state it was given when nothing new came: nothing to write then.
      if (updated.state !== known.state) saved.set(account, line.lineId, encodeCqmLineState(updated.state));
      return updated;
    }
    if (!known.failing) {
      // The SDK's error names the link only in its masked form; nothing here adds the URL.
      log.warn(
        { line: line.lineId, link: maskCqmUrl(line.url), err: fetched.error },
        'CQM fetch of the line failed; its last good values are served until they age out',
      );
    }
    const updated = { ...known, failing: true };
    memory.set(key, updated);
    return updated;
  };

  return async ({ account, accountConfig, signal, context }) => {
    const lines = accountConfig.cqm ?? [];
    if (lines.length === 0) return [];
    const log = logger.child({ account });
    // Each line's CSV is folded into its state as soon as it arrives: a run over many lines holds
    // at most the source's `targetsAtOnce` parsed CSVs (24 h each), never all of them.
    const fetched = await eachTarget(
      lines,
      async (line) => {
        const result = await fetchLine(line, signal);
        remember(account, line, result, log);
        const outcome: Outcome = result.ok ? { ok: true } : result;
        return outcome;
      },
      signal,
    );
    const nowMs = now();
    const fresh: { lineId: string; state: CqmLineState }[] = [];
    const fetchSamples: Sample[] = [];
    lines.forEach((line, index) => {
      const result = fetched[index];
      const remembered = memory.get(`${account}\u0000${line.lineId}`);
      if (result === undefined || remembered === undefined) return;
      const labels = { line_id: line.lineId };
      fetchSamples.push({ metric: cqmFetchSuccess.name, labels, value: result.ok ? 1 : 0 });
      // The format as last seen: a failed fetch says nothing new about it.
      if (remembered.columns !== undefined) {
        fetchSamples.push(
          { metric: cqmCsvColumnsMissing.name, labels, value: remembered.columns.missing.length },
          { metric: cqmCsvColumnsUnknown.name, labels, value: remembered.columns.unknown.length },
        );
      }
      if (remembered.lastOkMs !== undefined && nowMs - remembered.lastOkMs <= maxAgeMs) {
        fresh.push({ lineId: line.lineId, state: remembered.state });
        // For the status page only: not declared, so not rendered (see ./cqm-window.ts).
        if (remembered.window !== undefined)
          fetchSamples.push(...cqmWindowSamples(line.lineId, remembered.window));
      }
    });
    const failure = fetched.find((result) => !result.ok);
    // Every line failed: the run fails, so the scheduler backs off and the self-metrics say so.
    if (failure !== undefined && !failure.ok && fetched.every((result) => !result.ok)) throw failure.error;
    return [...cqmLines.collect(fresh, context), ...withAccount(fetchSamples, context)];
  };
}

/** Latency, loss, traffic and offline time of each line with a configured CQM link. */
export const cqm: CollectorBinding = {
  collector: { ...collector, commands: [] },
  summary:
    "line quality from A&A CQM: latency, loss, traffic, offline time (each configured line's CSV link)",
  source: cqmSource,
  tier: 'cqm',
  enable: { flag: 'cqm', default: true },
  optional: false,
  start,
};
