/**
 * The `cqm` binding inside a running exporter, against `@aaisp/chaos-mock`'s CQM CSVs on a clock
 * the test moves: counters move once per new sample, a bad link hides no other line, CQM and
 * CHAOS failures stay apart, and no link reaches any output.
 */

import { CQM_LOSSY_FAIL_PERCENT, cqmSecret, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { mockAccount, testExporterConfig } from '../../harness/exporter-config.ts';
import { parseExposition, type Series, sampleValue } from '../../harness/exposition.ts';
import { waitFor } from '../../harness/wait.ts';
import { type App, startApp } from '../app.ts';
import type { CqmLineConfig } from '../config/config.ts';
import { mockCqmLines } from '../demo/demo.ts';
import { createLogger } from '../telemetry/logger.ts';

const PERIOD_MS = 100_000;
let clock = Date.UTC(2026, 0, 20, 12, 0, 0);
let mock: RunningChaosMock | undefined;
let app: App | undefined;
let logs = '';

afterEach(async () => {
  await app?.stop();
  await mock?.close();
  app = undefined;
  mock = undefined;
  logs = '';
});

async function start(
  lines: (mock: RunningChaosMock) => CqmLineConfig[] = mockCqmLines,
): Promise<RunningChaosMock> {
  const started = await startChaosMock({ lines: 3, cqm: { now: () => clock } });
  mock = started;
  const config = testExporterConfig(started.url, {
    accounts: [{ ...mockAccount(), cqm: lines(started) }],
    logging: { level: 'info', json: true },
    // CHAOS once; CQM every 100 ms, so a test waits for fetches, not minutes.
    intervals: { fastSeconds: 3600, mediumSeconds: 3600, slowSeconds: 7200, cqmSeconds: 0.1 },
    api: { baseUrl: started.url, timeoutSeconds: 2, maxRetries: 0, concurrencyLimit: 5 },
  });
  app = await startApp(config, {
    logger: createLogger(config.logging, {
      destination: {
        write: (line: string) => {
          logs += line;
        },
      },
    }),
    version: '0.0.0-test',
    demo: false,
    timing: { staggerMs: 10, authBackoffMs: 60_000 },
  });
  return started;
}

async function metrics(): Promise<Series> {
  return parseExposition(await (await fetch(`${app?.url}/metrics`)).text());
}

/** Waits until a scrape passes `check`, and returns it. */
const scrapeUntil = (what: string, check: (series: Series) => boolean): Promise<Series> =>
  waitFor(what, async () => {
    const series = await metrics();
    return check(series) ? series : undefined;
  });

describe('the cqm collector in the exporter', () => {
  it('shows the newest sample at once and counts each new sample exactly once', async () => {
    await start();
    const first = await scrapeUntil(
      'the first CQM fetch',
      (s) => sampleValue(s, 'aaisp_cqm_samples_total') !== undefined,
    );
    expect(sampleValue(first, 'aaisp_cqm_samples_total', { line_id: '32002' })).toBe(0);
    expect(sampleValue(first, 'aaisp_cqm_loss_ratio', { line_id: '32002' })).toBe(
      CQM_LOSSY_FAIL_PERCENT / 100,
    );
    expect(sampleValue(first, 'aaisp_cqm_sample_timestamp_seconds', { line_id: '32001' })).toBe(
      (clock - PERIOD_MS) / 1000,
    );
    expect(sampleValue(first, 'aaisp_cqm_fetch_success', { line_id: '32001' })).toBe(1);
    expect(sampleValue(first, 'aaisp_collector_success', { collector: 'cqm' })).toBe(1);

    // Three samples complete; many fetches follow, and each sample is still counted once.
    clock += 3 * PERIOD_MS;
    const later = await scrapeUntil(
      'three new samples',
      (s) => sampleValue(s, 'aaisp_cqm_samples_total', { line_id: '32001' }) === 3,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const settled = await metrics();
    for (const series of [later, settled]) {
      expect(sampleValue(series, 'aaisp_cqm_samples_total', { line_id: '32002' })).toBe(3);
      expect(sampleValue(series, 'aaisp_cqm_polls_sent_total', { line_id: '32002' })).toBe(300);
      expect(sampleValue(series, 'aaisp_cqm_polls_failed_total', { line_id: '32002' })).toBe(
        3 * CQM_LOSSY_FAIL_PERCENT,
      );
      expect(sampleValue(series, 'aaisp_cqm_polls_failed_total', { line_id: '32001' })).toBe(0);
    }
    expect(sampleValue(settled, 'aaisp_cqm_sample_timestamp_seconds', { line_id: '32001' })).toBe(
      (clock - PERIOD_MS) / 1000,
    );
  });

  it('a bad link hides no other line; a CQM outage leaves CHAOS alone', async () => {
    const started = await start((m) =>
      mockCqmLines(m).map((line) =>
        line.lineId === '32003'
          ? { ...line, url: line.url.replace(cqmSecret('32003'), 'WRONGwrongWRONG0') }
          : line,
      ),
    );
    const series = await scrapeUntil(
      'the bad line to fail',
      (s) => sampleValue(s, 'aaisp_cqm_fetch_success', { line_id: '32003' }) === 0,
    );
    expect(sampleValue(series, 'aaisp_cqm_fetch_success', { line_id: '32001' })).toBe(1);
    expect(
      sampleValue(series, 'aaisp_cqm_latency_seconds', { line_id: '32001', stat: 'avg' }),
    ).toBeGreaterThan(0);
    expect(sampleValue(series, 'aaisp_cqm_latency_seconds', { line_id: '32003' })).toBeUndefined();
    expect(sampleValue(series, 'aaisp_collector_success', { collector: 'cqm' })).toBe(1);

    // Every CQM fetch fails: the collector fails, CHAOS' collectors do not.
    started.setScenario('http-500', { commands: ['cqm/csv'] });
    const down = await scrapeUntil(
      'the cqm collector to fail',
      (s) => sampleValue(s, 'aaisp_collector_success', { collector: 'cqm' }) === 0,
    );
    expect(sampleValue(down, 'aaisp_collector_success', { collector: 'broadband_lines' })).toBe(1);
    expect(
      sampleValue(down, 'aaisp_collector_errors_total', { collector: 'cqm', error_type: 'http' }),
    ).toBeGreaterThan(0);
    expect(sampleValue(down, 'aaisp_account_auth_paused')).toBe(0);
    expect(logs).toContain('CQM fetch of the line failed');
  });

  it('a CHAOS auth pause does not stop CQM', async () => {
    const started = await start();
    await scrapeUntil('the first CQM fetch', (s) => sampleValue(s, 'aaisp_cqm_samples_total') !== undefined);
    started.setScenario('auth-fail');
    // The fast tier runs once an hour here; restarting it is not needed: CQM must keep going on its own.
    clock += 2 * PERIOD_MS;
    const series = await scrapeUntil(
      'two new samples under auth-fail',
      (s) => sampleValue(s, 'aaisp_cqm_samples_total', { line_id: '32001' }) === 2,
    );
    expect(sampleValue(series, 'aaisp_collector_success', { collector: 'cqm' })).toBe(1);
  });

  it('never shows a link or its secret in /metrics, /health, the status page or the logs', async () => {
    const started = await start();
    await scrapeUntil('the first CQM fetch', (s) => sampleValue(s, 'aaisp_cqm_samples_total') !== undefined);
    // The status page shows each line's latency and loss (read before the data can age out).
    const page = await (await fetch(`${app?.url}/`)).text();
    expect(page).toContain('Loss (CQM)');
    expect(page).toContain('20.0 %');
    started.setScenario('http-500', { commands: ['cqm/csv'] });
    await scrapeUntil(
      'the cqm collector to fail',
      (s) => sampleValue(s, 'aaisp_collector_success', { collector: 'cqm' }) === 0,
    );
    const outputs = [
      await (await fetch(`${app?.url}/metrics`)).text(),
      await (await fetch(`${app?.url}/health`)).text(),
      page,
      logs,
    ];
    for (const [lineId, url] of started.cqmUrls()) {
      for (const text of outputs) {
        expect(text).not.toContain(cqmSecret(lineId));
        expect(text).not.toContain(url);
      }
    }
    expect(logs).toContain('cqmdirect.cgi/…/line3200');
  });
});
