/**
 * The `cqm` binding inside a running exporter, against `@aaisp/chaos-mock`'s CQM CSVs on a clock
 * the test moves: counters move once per new sample, a bad link hides no other line, CQM and
 * CHAOS failures stay apart, and no link reaches any output.
 */

import { createServer } from 'node:http';
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
let host: { close: () => Promise<void> } | undefined;
let logs = '';

afterEach(async () => {
  await app?.stop();
  await mock?.close();
  await host?.close();
  app = undefined;
  mock = undefined;
  host = undefined;
  logs = '';
});

async function start(
  lines: (mock: RunningChaosMock) => CqmLineConfig[] = mockCqmLines,
): Promise<RunningChaosMock> {
  const started = await startChaosMock({ lines: 3, cqm: { now: () => clock } });
  mock = started;
  const config = testExporterConfig(started.url, {
    accounts: [{ ...mockAccount(), cqm: lines(started) }],
    logging: { level: 'info', format: 'json' },
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

/**
 * A CQM host on loopback that answers each path with the mock's CSV for the same path, passed
 * through `rewrite(body, path)`: the shape of a format change A&A could make, or of a bad row.
 */
async function rewritingHost(
  upstream: () => string,
  rewrite: (body: string, path: string, userAgent: string | undefined) => string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    fetch(new URL(path, upstream()))
      .then(async (answer) => {
        const body = await answer.text();
        response.writeHead(answer.status, { 'content-type': 'text/csv' });
        response.end(rewrite(body, path, request.headers['user-agent']));
      })
      .catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts the exporter with every line's CQM link pointing at a {@link rewritingHost}. */
async function startBehind(
  rewrite: (body: string, path: string, userAgent: string | undefined) => string,
): Promise<RunningChaosMock> {
  let upstream = '';
  const rewriting = await rewritingHost(() => upstream, rewrite);
  host = rewriting;
  return start((m) => {
    upstream = m.url;
    return mockCqmLines(m).map((line) => ({
      ...line,
      url: new URL(new URL(line.url).pathname, rewriting.url).href,
    }));
  });
}

describe('a CQM fetch', () => {
  it("sends the exporter's User-Agent, as its CHAOS calls do", async () => {
    const agents = new Set<string | undefined>();
    await startBehind((body, _path, userAgent) => {
      agents.add(userAgent);
      return body;
    });
    await scrapeUntil('a CQM fetch', (series) => series.has('aaisp_cqm_fetch_success{line_id="32001"}'));
    expect([...agents]).toEqual(['aaisp-exporter/0.0.0-test']);
  });
});

describe('a CQM CSV whose header is not the known format', () => {
  it('reads what it can, shows which lines differ in gauges, logs once per change, and reads Ave as the average', async () => {
    // 32001 keeps the real header; 32002's average is renamed to a name nobody knows; 32003 sends
    // the old `Ave` this project once expected, which stays a tolerated variant.
    let renamed = 'Mean';
    // `,Av,` is in the header only: every row is numbers.
    const started = await startBehind((body, path) => {
      if (path.includes('/line32002.')) return body.replace(',Av,', `,${renamed},`);
      if (path.includes('/line32003.')) return body.replace(',Av,', ',Ave,');
      return body;
    });
    const series = await scrapeUntil(
      'every line fetched',
      (s) => sampleValue(s, 'aaisp_cqm_csv_columns_missing', { line_id: '32003' }) !== undefined,
    );
    const value = (metric: string, labels: Record<string, string>) => sampleValue(series, metric, labels);
    expect(value('aaisp_cqm_csv_columns_missing', { line_id: '32001' })).toBe(0);
    expect(value('aaisp_cqm_csv_columns_unknown', { line_id: '32001' })).toBe(0);
    expect(value('aaisp_cqm_csv_columns_missing', { line_id: '32002' })).toBe(1);
    expect(value('aaisp_cqm_csv_columns_unknown', { line_id: '32002' })).toBe(1);
    expect(value('aaisp_cqm_csv_columns_missing', { line_id: '32003' })).toBe(0);
    expect(value('aaisp_cqm_csv_columns_unknown', { line_id: '32003' })).toBe(0);
    // The real header and the old variant give the average; the renamed one loses only it.
    expect(value('aaisp_cqm_latency_seconds', { line_id: '32001', stat: 'avg' })).toBeGreaterThan(0);
    expect(value('aaisp_cqm_latency_seconds', { line_id: '32003', stat: 'avg' })).toBeGreaterThan(0);
    expect(value('aaisp_cqm_latency_seconds', { line_id: '32002', stat: 'avg' })).toBeUndefined();
    expect(value('aaisp_cqm_latency_seconds', { line_id: '32002', stat: 'min' })).toBeGreaterThan(0);
    expect(value('aaisp_cqm_loss_ratio', { line_id: '32002' })).toBe(CQM_LOSSY_FAIL_PERCENT / 100);
    // The status page says why 32002's latency is empty, and names no other line.
    const page = await (await fetch(`${app?.url}/`)).text();
    expect(page).toContain(
      'Line 32002: its CQM CSV header lacks 1 known column (its values are missing) and has 1 column the exporter does not read.',
    );
    expect(page).not.toContain('Line 32001: its CQM CSV');
    expect(page).not.toContain('Line 32003: its CQM CSV');

    // Many fetches of the same header: one warning. A new name is a change: one more.
    const fetchesNow = started.cqmStats().requests;
    await waitFor(
      'five more fetches of each line',
      async () => started.cqmStats().requests > fetchesNow + 15 || undefined,
    );
    const warnings = () =>
      logs
        .split('\n')
        .filter((line) => line.includes("CQM CSV header differs from A&A's known format"))
        .map((line) => JSON.parse(line));
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({
      line: '32002',
      missingColumns: ['Av'],
      unknownColumns: ['Mean'],
    });
    renamed = 'Average latency';
    await waitFor('the second change to be logged', async () => warnings().length === 2 || undefined);
    expect(warnings()[1]).toMatchObject({ missingColumns: ['Av'], unknownColumns: ['Average latency'] });

    // Back to the known format: said once, and the gauges go back to 0.
    renamed = 'Av';
    const back = await scrapeUntil(
      'the known format again',
      (s) => sampleValue(s, 'aaisp_cqm_csv_columns_missing', { line_id: '32002' }) === 0,
    );
    expect(sampleValue(back, 'aaisp_cqm_csv_columns_unknown', { line_id: '32002' })).toBe(0);
    expect(await (await fetch(`${app?.url}/`)).text()).not.toContain('CQM CSV format has changed');
    expect(logs).toContain("CQM CSV header is A&A's known format again");
    expect(warnings()).toHaveLength(2);
    // The log names the line and its columns, never its link.
    for (const [lineId, url] of started.cqmUrls()) {
      expect(logs).not.toContain(cqmSecret(lineId));
      expect(logs).not.toContain(url);
    }
  });
});

describe('a CQM CSV with rows that are not valid samples', () => {
  it('leaves them out and logs them once, again only when they change, never per fetch', async () => {
    let badRows = 1;
    // The oldest rows' times made unreadable: they stay the oldest as the window moves.
    const spoil = (body: string): string => {
      const rows = body.split('\n');
      for (let index = 1; index <= badRows; index++) rows[index] = `yesterday${rows[index]?.slice(19) ?? ''}`;
      return rows.join('\n');
    };
    const started = await startBehind((body, path) => (path.includes('/line32002.') ? spoil(body) : body));
    const warnings = () =>
      logs
        .split('\n')
        .filter((line) => line.includes('CQM CSV rows are not valid samples'))
        .map((line) => JSON.parse(line));
    await waitFor('the first warning', async () => warnings().length === 1 || undefined);
    expect(warnings()[0]).toMatchObject({
      line: '32002',
      rows: [2],
      reasons: ['Time: must be a YYYY-MM-DD HH:MM:SS time (Europe/London)'],
    });
    // Many fetches, and the window moved by a sample: the same bad row, no new line.
    clock += PERIOD_MS;
    const fetchesNow = started.cqmStats().requests;
    await waitFor(
      'many more fetches',
      async () => started.cqmStats().requests > fetchesNow + 15 || undefined,
    );
    expect(warnings()).toHaveLength(1);
    const series = await metrics();
    // The line's good rows are still read.
    expect(sampleValue(series, 'aaisp_cqm_fetch_success', { line_id: '32002' })).toBe(1);
    expect(sampleValue(series, 'aaisp_cqm_samples_total', { line_id: '32002' })).toBe(1);
    badRows = 2;
    await waitFor('the change to be logged', async () => warnings().length === 2 || undefined);
    expect(warnings()[1]).toMatchObject({ rows: [2, 3] });
    expect(logs).not.toContain(cqmSecret('32002'));
  });
});
