/**
 * A real Prometheus (Debian's, installed by `.ci/run`) scrapes the exporter's `/metrics` and,
 * blackbox-style, `/probe?target=default`, while the exporter reads `@aaisp/chaos-mock`. Values are
 * asserted through Prometheus' HTTP API, so the whole path (exposition → scrape → TSDB → PromQL)
 * is proven, and live `/metrics` goes through `promtool check metrics`.
 */

import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type App, startApp } from '../../src/app.ts';
import type { ExporterConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? 'prometheus';
const PROMTOOL = process.env.PROMTOOL_BIN ?? 'promtool';

/** A free TCP port on loopback (Prometheus needs one on its command line; it cannot report port 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const QueryAnswer = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(
      z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) }),
    ),
  }),
});

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, limitMs = 30_000): Promise<T> {
  const until = Date.now() + limitMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

describe('a real Prometheus scraping the exporter', () => {
  let mock: RunningChaosMock;
  let app: App;
  let prometheus: ChildProcess | undefined;
  let promUrl = '';
  let dir = '';
  let promLog = '';

  /** Runs an instant query; each sample as labels → value. */
  const query = async (promql: string): Promise<{ metric: Record<string, string>; value: number }[]> => {
    const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const answer = QueryAnswer.parse(await response.json());
    return answer.data.result.map((sample) => ({ metric: sample.metric, value: Number(sample.value[1]) }));
  };

  beforeAll(async () => {
    for (const program of [PROMETHEUS, PROMTOOL]) {
      if (spawnSync(program, ['--version']).error) {
        throw new Error(`${program} not found: install Debian's prometheus package (.ci/run does)`);
      }
    }
    mock = await startChaosMock({ lines: 10 });
    const config: ExporterConfig = {
      accounts: [
        {
          name: 'default',
          auth: {
            controlLogin: DEFAULT_CREDENTIALS.controlLogin,
            controlPassword: DEFAULT_CREDENTIALS.controlPassword,
          },
        },
      ],
      server: { host: '127.0.0.1', port: 0 },
      logging: { level: 'warn', json: true },
      // The design's default tiers: one collection at start is all two scrapes need.
      intervals: { fastSeconds: 60, mediumSeconds: 300, slowSeconds: 900 },
      api: { baseUrl: mock.url, timeoutSeconds: 5, maxRetries: 1, concurrencyLimit: 5 },
      collectors: { broadband: true, telephony: true, login: true, includePostcode: false },
      web: { headers: {}, healthOpen: false },
    };
    app = await startApp(config, {
      logger: createLogger(config.logging, { destination: { write: () => undefined } }),
      version: '0.0.0-e2e',
      demo: false,
      timing: { staggerMs: 100 },
    });
    await waitFor('the exporter to be ready', async () =>
      (await fetch(`${app.url}/ready`)).status === 200 ? true : undefined,
    );

    dir = await mkdtemp(join(tmpdir(), 'aaisp-prometheus-'));
    const exporter = new URL(app.url).host;
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    await writeFile(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: aaisp',
        '    static_configs:',
        `      - targets: ['${exporter}']`,
        // The multi-target pattern the README documents: the account name becomes ?target=.
        '  - job_name: aaisp-probe',
        '    metrics_path: /probe',
        '    static_configs:',
        '      - targets: [default]',
        '    relabel_configs:',
        '      - source_labels: [__address__]',
        '        target_label: __param_target',
        '      - source_labels: [__param_target]',
        '        target_label: instance',
        '      - target_label: __address__',
        `        replacement: '${exporter}'`,
        '',
      ].join('\n'),
    );
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prometheus.stderr?.on('data', (chunk) => {
      promLog += String(chunk);
    });
    prometheus.once('error', (error) => {
      promLog += `\ncannot start ${PROMETHEUS}: ${error.message} (CI installs Debian's prometheus)`;
    });
    // Two scrapes of each job: `up` has two samples in the last few seconds.
    await waitFor(
      `Prometheus to scrape both jobs twice${promLog ? `; its log: ${promLog}` : ''}`,
      async () => {
        if (prometheus?.exitCode !== null) throw new Error(`prometheus exited: ${promLog}`);
        const counts = await query('count_over_time(up[1m])');
        return counts.length === 2 && counts.every((sample) => sample.value >= 2) ? counts : undefined;
      },
      60_000,
    );
  }, 90_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      prometheus.kill('SIGTERM');
      await once(prometheus, 'exit');
    }
    await app?.stop();
    await mock?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('both jobs are up, and every collector succeeded', async () => {
    const up = await query('up');
    expect(Object.fromEntries(up.map((sample) => [sample.metric.job, sample.value]))).toEqual({
      aaisp: 1,
      'aaisp-probe': 1,
    });
    const success = await query('aaisp_collector_success{job="aaisp"}');
    expect(Object.fromEntries(success.map((sample) => [sample.metric.collector, sample.value]))).toEqual({
      broadband_lines: 1,
      broadband_services: 1,
      login_services: 1,
      // The mock account has no VoIP, but the ratecard works without it.
      telephony_ratecard: 1,
    });
  });

  it('a line’s sync rate and quota ratio arrive with the values the mock CHAOS sent', async () => {
    const [line] = mock.lines();
    const limited = mock.lines().find((candidate) => Number(candidate.info.quota_monthly ?? '0') > 0);
    if (!line || !limited) throw new Error('the mock has no lines');
    const [sync] = await query(
      `aaisp_broadband_sync_download_bits_per_second{job="aaisp",line_id="${line.info.ID}"}`,
    );
    expect(sync?.value).toBe(Number(line.info.tx_rate));
    const monthly = Number(limited.info.quota_monthly);
    const remaining = Number(limited.info.quota_remaining);
    const [ratio] = await query(`aaisp_broadband_quota_used_ratio{job="aaisp",line_id="${limited.info.ID}"}`);
    expect(ratio?.value).toBeCloseTo((monthly - remaining) / monthly, 9);
    const [lines] = await query('aaisp_broadband_lines{job="aaisp"}');
    expect(lines?.value).toBe(10);
  });

  it('/probe?target=default, scraped through the relabel config, carries the account’s series', async () => {
    const [lines] = await query('aaisp_broadband_lines{job="aaisp-probe",instance="default"}');
    expect(lines?.value).toBe(10);
    expect(await query('aaisp_exporter_up{job="aaisp-probe"}')).toEqual([]);
    // Every scrape of both jobs was served from the snapshot: one broadband/info call in all.
    expect(mock.stats().byCommand['broadband/info']).toBe(1);
  });

  it('live /metrics passes promtool check metrics (but its advice on bits, see .ci/run)', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      const child = execFile(PROMTOOL, ['check', 'metrics'], (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? -1 : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      });
      child.stdin?.end(text);
    });
    const findings = result.output
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.includes('use base unit "bytes" instead of "bits"'));
    expect(findings, result.output).toEqual([]);
    expect([0, 3]).toContain(result.code);
  });
});
