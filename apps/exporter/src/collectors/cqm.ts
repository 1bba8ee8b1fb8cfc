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
  type CollectContext,
  type CqmLineState,
  cqmLines,
  defineMetric,
  emptyCqmLineState,
  type MetricDefinition,
  type Sample,
  trackCqm,
} from '@aaisp/collectors';
import type { Logger } from 'pino';
import type { CqmLineConfig } from '../config/config.ts';
import type { BindingDeps, CollectorBinding, CollectorRun } from './binding.ts';

/** Per line: whether the exporter's last fetch of its CQM CSV worked. */
export const cqmFetchSuccess: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_fetch_success',
  type: 'gauge',
  help: "1 when the exporter's last fetch of the line's CQM CSV succeeded, 0 when it failed (the line's other aaisp_cqm_ series are its last good values until they age out).",
  unit: '',
  labels: ['line_id'],
});

/**
 * Per line: how many known columns the last CSV's header lacked. Not 0 means A&A's format moved
 * and a value (the average latency, when `Av` was renamed) is missing from every sample.
 */
export const cqmCsvColumnsMissing: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_csv_columns_missing',
  type: 'gauge',
  help: "Known columns (Time, Period, Polls Sent, %Fail, Latency Min, Av, Max, Traffic (bit/s) Rx, Tx, Score) that the header of the line's last fetched CQM CSV lacked; their values are absent. 0 on A&A's known format; the exporter's log names them.",
  unit: '',
  labels: ['line_id'],
});

/** Per line: how many header names of the last CSV the exporter does not know, so did not read. */
export const cqmCsvColumnsUnknown: MetricDefinition = defineMetric({
  name: 'aaisp_cqm_csv_columns_unknown',
  type: 'gauge',
  help: "Header names in the line's last fetched CQM CSV that the exporter does not know, so does not read (a repeated name counts). 0 on A&A's known format; the exporter's log names them.",
  unit: '',
  labels: ['line_id'],
});

/** The line-quality collector with the exporter's own per-line fetch and format gauges. */
const collector = {
  ...cqmLines,
  metrics: [...cqmLines.metrics, cqmFetchSuccess, cqmCsvColumnsMissing, cqmCsvColumnsUnknown],
};

/** Lines fetched at once per account: gentle with A&A's control server. */
const LINES_AT_ONCE = 4;

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

/** Runs `task` over `items` with at most `limit` in flight, keeping the order of results. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index];
      if (item !== undefined) results[index] = await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Starts the run: its memory of every line of every account lives in this closure. */
function start({ logger, cqmFetch, maxAgeMs }: BindingDeps): CollectorRun {
  const memory = new Map<string, LineMemory>();

  const fetchLine = async (line: CqmLineConfig, signal: AbortSignal): Promise<Fetched> => {
    try {
      const data = await fetchCqm(line.url, {
        timeout: cqmFetch.timeoutMs,
        retry: { limit: cqmFetch.retries },
        fetch: cqmFetch.fetch,
        signal,
      });
      return { ok: true, data };
    } catch (error) {
      return { ok: false, error };
    }
  };

  const remember = (account: string, line: CqmLineConfig, fetched: Fetched, log: Logger): LineMemory => {
    const key = `${account}\u0000${line.lineId}`;
    const known = memory.get(key) ?? {
      state: emptyCqmLineState(),
      lastOkMs: undefined,
      failing: false,
      columns: undefined,
      skipped: '',
    };
    const nowMs = Date.now();
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
      };
      memory.set(key, updated);
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

  return async ({ account, cqmLines: lines, signal, context }) => {
    if (lines.length === 0) return [];
    const log = logger.child({ account });
    // Each line's CSV is folded into its state as soon as it arrives: a run over many lines holds
    // at most LINES_AT_ONCE parsed CSVs (24 h each), never all of them.
    const fetched = await mapLimited(lines, LINES_AT_ONCE, async (line) => {
      const result = await fetchLine(line, signal);
      remember(account, line, result, log);
      const outcome: Outcome = result.ok ? { ok: true } : result;
      return outcome;
    });
    const nowMs = Date.now();
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
      }
    });
    const failure = fetched.find((result) => !result.ok);
    // Every line failed: the run fails, so the scheduler backs off and the self-metrics say so.
    if (failure !== undefined && !failure.ok && fetched.every((result) => !result.ok)) throw failure.error;
    return [...cqmLines.collect(fresh, context), ...withContext(fetchSamples, context)];
  };
}

/** The `account` label, when the context has one, on the exporter's own per-line samples. */
function withContext(samples: Sample[], context: CollectContext): Sample[] {
  const { account } = context;
  return account === undefined
    ? samples
    : samples.map((entry) => ({ ...entry, labels: { ...entry.labels, account } }));
}

/** Latency, loss, traffic and offline time of each line with a configured CQM link. */
export const cqm: CollectorBinding = {
  collector: { ...collector, commands: [] },
  summary:
    "line quality from A&A CQM: latency, loss, traffic, offline time (each configured line's CSV link)",
  tier: 'cqm',
  source: 'cqm',
  enable: { flag: 'cqm', default: true },
  optional: false,
  start,
};
