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

import { type CqmData, fetchCqm, maskCqmUrl } from '@aaisp/chaos-client';
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

/** The line-quality collector with the exporter's own per-line fetch gauge beside its metrics. */
const collector = {
  ...cqmLines,
  metrics: [...cqmLines.metrics, cqmFetchSuccess],
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
    const known = memory.get(key) ?? { state: emptyCqmLineState(), lastOkMs: undefined, failing: false };
    const nowMs = Date.now();
    if (fetched.ok) {
      if (known.failing) log.info({ line: line.lineId }, 'CQM fetch of the line works again');
      for (const skipped of fetched.data.skipped) {
        log.warn(
          {
            line: line.lineId,
            row: skipped.line,
            reason: skipped.issues.map((issue) => issue.message).join('; '),
          },
          'CQM CSV row is not a valid sample; it is left out',
        );
      }
      const updated = { state: trackCqm(known.state, fetched.data, nowMs), lastOkMs: nowMs, failing: false };
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
      fetchSamples.push({
        metric: cqmFetchSuccess.name,
        labels: { line_id: line.lineId },
        value: result.ok ? 1 : 0,
      });
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
