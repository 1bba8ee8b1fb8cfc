/**
 * What the status page shows of each broadband line, summarised from the line collector's samples
 * when they are stored: the snapshot keeps this and the rendered series, not the samples.
 *
 * @module
 */

import {
  broadbandLines,
  cqmLatency,
  cqmLines,
  cqmLoss,
  cqmSampleTimestamp,
  lineInfo,
  quotaLimited,
  quotaRemaining,
  quotaTotal,
  type Sample,
  syncDownload,
  syncDownloadAdjusted,
  syncUpload,
} from '@aaisp/collectors';
import { cqmCsvColumnsMissing, cqmCsvColumnsUnknown, cqmFetchSuccess } from '../collectors/cqm-metrics.ts';
import { CQM_WINDOW_SAMPLES } from '../collectors/cqm-window.ts';
import type { ExpiredEntry, SnapshotStore, StoredEntry } from '../store/snapshot.ts';
import { addQuotaReading, type QuotaReading } from './quota-trend.ts';

/** One line's row on the status page. */
export interface LineSummary {
  readonly account: string;
  /** CHAOS line ID (`line_id`). */
  readonly id: string;
  /** The line's name from the service choices; `''` when CHAOS has none. */
  readonly name: string;
  readonly login: string;
  /** Download sync rate, bits per second. */
  readonly down?: number | undefined;
  /** Upload sync rate, bits per second. */
  readonly up?: number | undefined;
  /** Adjusted download rate, bits per second. */
  readonly adjusted?: number | undefined;
  /** Quota left this month, bytes. */
  readonly remaining?: number | undefined;
  /** Monthly quota allowance, bytes. */
  readonly total?: number | undefined;
  /** 1 for a line with a quota limit, 0 for one without. */
  readonly limited?: number | undefined;
  /** Average latency of the newest CQM sample, seconds (lines with a CQM link only). */
  readonly latency?: number | undefined;
  /** Share of the newest CQM sample's polls that failed, 0..1. */
  readonly loss?: number | undefined;
  /** Known columns the line's last CQM CSV header lacked (0 on A&A's known format). */
  readonly csvColumnsMissing?: number | undefined;
  /** Header names of the line's last CQM CSV that the exporter does not read. */
  readonly csvColumnsUnknown?: number | undefined;
  /** 1 when the line's last CQM fetch worked, 0 when it failed (lines with a CQM link only). */
  readonly cqmFetchOk?: number | undefined;
  /** Start of the line's newest CQM sample, ms since the epoch. */
  readonly cqmSampleMs?: number | undefined;
  /** Failed ÷ sent echoes over the newest 15 minutes of CQM samples (see `CqmWindow`). */
  readonly windowLoss?: number | undefined;
  /** Seconds offline in the newest 15 minutes of CQM samples. */
  readonly windowOfflineSeconds?: number | undefined;
  /** Median average latency of the newest 15 minutes of CQM samples, seconds. */
  readonly windowLatency?: number | undefined;
  /** Median average latency of the newest 24 hours of CQM samples, seconds. */
  readonly baselineLatency?: number | undefined;
  /** The page's readings of a limited line's remaining quota, oldest first (see `./quota-trend.ts`). */
  readonly quotaReadings?: readonly QuotaReading[] | undefined;
}

/** A snapshot entry as the status page reads it: its line rows are its summary. */
export type LineEntry = StoredEntry<readonly LineSummary[]>;

/** An entry dropped for age, as the status page reads it: its line rows, now stale. */
export type ExpiredLineEntry = ExpiredEntry<readonly LineSummary[]>;

/** The exporter's store: each entry keeps its line rows (see {@link lineRowsOf}). */
export type LineStore = SnapshotStore<readonly LineSummary[]>;

/**
 * The status page's summary of a snapshot entry: the line rows of a `broadband_lines` entry, the
 * CQM rows of a `cqm` entry (merged with the first by the page), and nothing for any other
 * collector. The exporter's store keeps it beside the rendered series. A limited line's quota
 * readings go on from `previous`, the summary of the entry this one replaces.
 */
export function lineRowsOf(
  entry: {
    readonly account: string;
    readonly collector: { readonly name: string };
    readonly samples: readonly Sample[];
    readonly collectedAtMs: number;
  },
  previous?: readonly LineSummary[],
): readonly LineSummary[] {
  if (entry.collector.name === cqmLines.name) return summarizeLines(entry.account, entry.samples);
  if (entry.collector.name !== broadbandLines.name) return [];
  const before = new Map((previous ?? []).map((row) => [row.id, row.quotaReadings]));
  return summarizeLines(entry.account, entry.samples).map((row) =>
    row.limited === 1 && row.remaining !== undefined
      ? {
          ...row,
          quotaReadings: addQuotaReading(before.get(row.id) ?? [], {
            atMs: entry.collectedAtMs,
            remaining: row.remaining,
          }),
        }
      : row,
  );
}

/** Summarises one account's `broadband_lines` or `cqm` samples, one row per `line_id`, in sample order. */
export function summarizeLines(account: string, samples: readonly Sample[]): LineSummary[] {
  const rows = new Map<string, Mutable<LineSummary>>();
  for (const sample of samples) {
    const id = sample.labels.line_id;
    if (id === undefined) continue;
    let row = rows.get(id);
    if (row === undefined) {
      row = { account, id, name: '', login: '' };
      rows.set(id, row);
    }
    switch (sample.metric) {
      case lineInfo.name:
        row.name = sample.labels.name ?? '';
        row.login = sample.labels.login ?? '';
        break;
      case syncDownload.name:
        row.down = sample.value;
        break;
      case syncUpload.name:
        row.up = sample.value;
        break;
      case syncDownloadAdjusted.name:
        row.adjusted = sample.value;
        break;
      case quotaRemaining.name:
        row.remaining = sample.value;
        break;
      case quotaTotal.name:
        row.total = sample.value;
        break;
      case quotaLimited.name:
        row.limited = sample.value;
        break;
      case cqmLatency.name:
        if (sample.labels.stat === 'avg') row.latency = sample.value;
        break;
      case cqmLoss.name:
        row.loss = sample.value;
        break;
      case cqmCsvColumnsMissing.name:
        row.csvColumnsMissing = sample.value;
        break;
      case cqmCsvColumnsUnknown.name:
        row.csvColumnsUnknown = sample.value;
        break;
      case cqmFetchSuccess.name:
        row.cqmFetchOk = sample.value;
        break;
      case cqmSampleTimestamp.name:
        row.cqmSampleMs = sample.value * 1000;
        break;
      case CQM_WINDOW_SAMPLES.lossRatio:
        row.windowLoss = sample.value;
        break;
      case CQM_WINDOW_SAMPLES.offlineSeconds:
        row.windowOfflineSeconds = sample.value;
        break;
      case CQM_WINDOW_SAMPLES.latencySeconds:
        row.windowLatency = sample.value;
        break;
      case CQM_WINDOW_SAMPLES.baselineLatencySeconds:
        row.baselineLatency = sample.value;
        break;
    }
  }
  return [...rows.values()];
}

/** How old the data behind one part of a line's row is. */
export interface DataAge {
  /** When its entry was collected, ms since the epoch. */
  readonly collectedAtMs: number;
  /** Its entry's max age, ms. */
  readonly maxAgeMs: number;
  /** Past its max age: `/metrics` no longer serves it. */
  readonly expired: boolean;
}

/** One line as the status page judges it: its merged row, and how old each source's part is. */
export interface LineFacts {
  readonly row: LineSummary;
  /** The `broadband_lines` entry its sync rates and quota come from; undefined: none has the line. */
  readonly chaos?: DataAge | undefined;
  /** The `cqm` entry its CQM figures come from; undefined: the line has no CQM link. */
  readonly cqm?: DataAge | undefined;
}

/**
 * One {@link LineFacts} per line, from the live and the expired entries: a line's CQM row joins
 * its CHAOS row (same account and `line_id`); a line with CQM but not (yet) in CHAOS' answer keeps
 * a row of its own, and so does a line whose data has expired.
 */
export function linesOf(live: readonly LineEntry[], expired: readonly ExpiredLineEntry[]): LineFacts[] {
  const merged = new Map<string, Mutable<LineFacts>>();
  const add = (entry: ExpiredLineEntry, isExpired: boolean): void => {
    const age = { collectedAtMs: entry.collectedAtMs, maxAgeMs: entry.maxAgeMs, expired: isExpired };
    const part = entry.collector.name === cqmLines.name ? 'cqm' : 'chaos';
    for (const row of entry.summary) {
      const key = `${row.account}\u0000${row.id}`;
      const known = merged.get(key);
      if (known === undefined) {
        merged.set(key, part === 'cqm' ? { row, cqm: age } : { row, chaos: age });
        continue;
      }
      const before = known.row;
      known.row = {
        ...before,
        ...definedOf(row),
        name: before.name || row.name,
        login: before.login || row.login,
      };
      known[part] = age;
    }
  };
  for (const entry of live) add(entry, false);
  for (const entry of expired) add(entry, true);
  return [...merged.values()];
}

/** The row's fields that hold a value, so merging never overwrites a value with nothing. */
function definedOf(row: LineSummary): Partial<LineSummary> {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined));
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
