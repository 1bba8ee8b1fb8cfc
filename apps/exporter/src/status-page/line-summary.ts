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
  lineInfo,
  quotaLimited,
  quotaRemaining,
  quotaTotal,
  type Sample,
  syncDownload,
  syncDownloadAdjusted,
  syncUpload,
} from '@aaisp/collectors';
import { cqmCsvColumnsMissing, cqmCsvColumnsUnknown } from '../collectors/cqm-metrics.ts';
import type { SnapshotStore, StoredEntry } from '../store/snapshot.ts';

/** One line's row on the status page. */
export interface LineSummary {
  readonly account: string;
  /** CHAOS line ID (`line_id`). */
  readonly id: string;
  /** The line's name from the service choices; `''` when CHAOS has none. */
  readonly name: string;
  readonly login: string;
  /** Download sync rate, bits per second. */
  readonly down?: number;
  /** Upload sync rate, bits per second. */
  readonly up?: number;
  /** Adjusted download rate, bits per second. */
  readonly adjusted?: number;
  /** Quota left this month, bytes. */
  readonly remaining?: number;
  /** Monthly quota allowance, bytes. */
  readonly total?: number;
  /** 1 for a line with a quota limit, 0 for one without. */
  readonly limited?: number;
  /** Average latency of the newest CQM sample, seconds (lines with a CQM link only). */
  readonly latency?: number;
  /** Share of the newest CQM sample's polls that failed, 0..1. */
  readonly loss?: number;
  /** Known columns the line's last CQM CSV header lacked (0 on A&A's known format). */
  readonly csvColumnsMissing?: number;
  /** Header names of the line's last CQM CSV that the exporter does not read. */
  readonly csvColumnsUnknown?: number;
}

/** A snapshot entry as the status page reads it: its line rows are its summary. */
export type LineEntry = StoredEntry<readonly LineSummary[]>;

/** The exporter's store: each entry keeps its line rows (see {@link lineRowsOf}). */
export type LineStore = SnapshotStore<readonly LineSummary[]>;

/**
 * The status page's summary of a snapshot entry: the line rows of a `broadband_lines` entry, the
 * latency and loss rows of a `cqm` entry (merged with the first by the page), and nothing for any
 * other collector. The exporter's store keeps it beside the rendered series.
 */
export function lineRowsOf(entry: {
  readonly account: string;
  readonly collector: { readonly name: string };
  readonly samples: readonly Sample[];
}): readonly LineSummary[] {
  const summarized = entry.collector.name === broadbandLines.name || entry.collector.name === cqmLines.name;
  return summarized ? summarizeLines(entry.account, entry.samples) : [];
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
    }
  }
  return [...rows.values()];
}

/**
 * One row per line: a line's CQM row joins its CHAOS row (same account and `line_id`); a line
 * with CQM but not (yet) in CHAOS' answer keeps a row of its own.
 */
export function mergeLineRows(rows: readonly LineSummary[]): LineSummary[] {
  const merged = new Map<string, LineSummary>();
  for (const row of rows) {
    const key = `${row.account}\u0000${row.id}`;
    const known = merged.get(key);
    merged.set(
      key,
      known === undefined
        ? row
        : { ...known, ...definedOf(row), name: known.name || row.name, login: known.login || row.login },
    );
  }
  return [...merged.values()];
}

/** The row's fields that hold a value, so merging never overwrites a value with nothing. */
function definedOf(row: LineSummary): Partial<LineSummary> {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined));
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
