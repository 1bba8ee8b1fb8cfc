/**
 * What the status page shows of each broadband line, summarised from the line collector's samples
 * when they are stored: the snapshot keeps this and the rendered series, not the samples.
 *
 * @module
 */

import type { Sample } from '@aaisp/collectors';

/** One line's row on the status page. */
export interface LineSummary {
  readonly account: string;
  readonly id: string;
  readonly name: string;
  readonly login: string;
  readonly down?: number;
  readonly up?: number;
  readonly adjusted?: number;
  readonly remaining?: number;
  readonly total?: number;
  readonly limited?: number;
}

/** Summarises one account's `broadband_lines` samples, one row per `line_id`, in sample order. */
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
      case 'aaisp_broadband_sync_download_adjusted_bits_per_second':
        row.adjusted = sample.value;
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
  return [...rows.values()];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
