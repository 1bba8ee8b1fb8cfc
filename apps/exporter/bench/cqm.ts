/**
 * The exporter with CQM on for every line: RSS once every line's 24 h CSV (864 samples) has been
 * fetched, parsed and folded into its counters, and how long that `cqm` run took, as the image
 * runs it. Configured as an operator would: a `CQM__URLS_FILE` of `line_id url` lines.
 *
 * @module
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startChaosMock } from '@aaisp/chaos-mock';
import { parseExposition, samplesOf, sampleValue } from '../harness/exposition.ts';
import { waitFor } from '../harness/wait.ts';
import { type ImageCommand, spawnExporter } from './exporter-process.ts';
import type { ProcessMemory } from './process-memory.ts';

/** What one CQM run of the exporter cost. */
export interface CqmFigures {
  readonly lines: number;
  /** After the first `cqm` run stored every line, and a settle. */
  readonly afterCqm: ProcessMemory;
  /** The first `cqm` run: every line's GET, parse and collect (`aaisp_collector_duration_seconds`). */
  readonly runMs: number;
}

/** Measures the exporter with `lines` lines, each with its mock CQM link. */
export async function measureCqm(
  command: ImageCommand,
  lines: number,
  settleMs: number,
): Promise<CqmFigures> {
  const mock = await startChaosMock({ lines, host: '127.0.0.1' });
  const dir = await mkdtemp(join(tmpdir(), 'aaisp-bench-cqm-'));
  try {
    const file = join(dir, 'cqm-urls');
    await writeFile(file, [...mock.cqmUrls()].map(([id, url]) => `${id} ${url}`).join('\n'));
    const exporter = await spawnExporter(command, mock, { AAISP_EXPORTER_CQM__URLS_FILE: file });
    try {
      const series = await waitFor(
        `every line's CQM data (${lines} lines)`,
        async () => {
          const text = await (await fetch(`${exporter.url}/metrics`)).text();
          const parsed = parseExposition(text);
          return samplesOf(parsed, 'aaisp_cqm_fetch_success').length === lines ? parsed : undefined;
        },
        { limitMs: 120_000, intervalMs: 500 },
      );
      const runSeconds = sampleValue(series, 'aaisp_collector_duration_seconds_sum', { collector: 'cqm' });
      await delay(settleMs);
      return { lines, afterCqm: exporter.memory(), runMs: (runSeconds ?? Number.NaN) * 1000 };
    } finally {
      await exporter.stop();
    }
  } finally {
    await mock.close();
    await rm(dir, { recursive: true, force: true });
  }
}
