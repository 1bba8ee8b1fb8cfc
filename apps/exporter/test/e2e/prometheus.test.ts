/**
 * A real Prometheus (Debian's, installed by `.ci/run`) scrapes the exporter's `/metrics` and,
 * blackbox-style, `/probe?target=default`, while the exporter reads `@aaisp/chaos-mock`. Values are
 * asserted through Prometheus' HTTP API, so the whole path (exposition → scrape → TSDB → PromQL)
 * is proven, and live `/metrics` goes through `promtool check metrics`. Prometheus asks for
 * OpenMetrics with `Accept-Encoding: gzip` (2.42 sends exactly that), so its Go decoder reads the
 * exporter's gzip (a cached head and a per-scrape tail in one stream, src/http/gzip.ts) on every scrape. A second Prometheus routes
 * six accounts to two sharded replicas with `hashmod`, proving the exporter's shard hash is
 * Prometheus' own. A third run proves CQM's counters give the mock's loss through `rate()`.
 */

import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CQM_LOSSY_FAIL_PERCENT,
  cqmQualityOf,
  cqmTraitOf,
  DEFAULT_CREDENTIALS,
  type RunningChaosMock,
  startChaosMock,
} from '@aaisp/chaos-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { mockAccount, testExporterConfig } from '../../harness/exporter-config.ts';
import { freePort } from '../../harness/free-port.ts';
import { waitFor, waitForReady } from '../../harness/wait.ts';
import { type App, startApp } from '../../src/app.ts';
import type { AccountConfig, ExporterConfig } from '../../src/config/config.ts';
import type { ShardConfig } from '../../src/config/shard-config.ts';
import { mockCqmLines } from '../../src/demo/demo.ts';
import { createLogger } from '../../src/telemetry/logger.ts';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? 'prometheus';
const PROMTOOL = process.env.PROMTOOL_BIN ?? 'promtool';

const QueryAnswer = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(
      z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) }),
    ),
  }),
});

/** One sample of an instant query: its labels and value. */
interface Sample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

/** A Prometheus running on loopback with its own config and data directory. */
interface RunningPrometheus {
  /** Runs an instant query. */
  query(promql: string): Promise<Sample[]>;
  /** Its stderr so far (level warn and above), for failure messages. */
  log(): string;
  exited(): boolean;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** Starts Prometheus scraping every second with these `scrape_configs` entries (YAML lines). */
async function startPrometheus(scrapeConfigs: readonly string[]): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'aaisp-prometheus-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  await writeFile(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      ...scrapeConfigs,
      '',
    ].join('\n'),
  );
  let log = '';
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk) => {
    log += String(chunk);
  });
  child.once('error', (error) => {
    log += `\ncannot start ${PROMETHEUS}: ${error.message} (CI installs Debian's prometheus)`;
  });
  return {
    async query(promql) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const answer = QueryAnswer.parse(await response.json());
      return answer.data.result.map((sample) => ({ metric: sample.metric, value: Number(sample.value[1]) }));
    },
    log: () => log,
    exited: () => child.exitCode !== null,
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Fails at once, by name, when Debian's prometheus package is missing. */
function requirePrometheus(): void {
  for (const program of [PROMETHEUS, PROMTOOL]) {
    if (spawnSync(program, ['--version']).error) {
      throw new Error(`${program} not found: install Debian's prometheus package (.ci/run does)`);
    }
  }
}

/** An exporter on a free loopback port reading the mock, with every collector on. */
function exporterConfig(
  mockUrl: string,
  accounts: readonly AccountConfig[],
  intervals: ExporterConfig['intervals'],
  shard?: ShardConfig,
): ExporterConfig {
  return testExporterConfig(mockUrl, {
    accounts,
    logging: { level: 'warn', format: 'json' },
    intervals,
    ...(shard === undefined ? {} : { shard }),
  });
}

/** Starts an exporter quietly (its log is discarded). */
const startQuietApp = (config: ExporterConfig): Promise<App> =>
  startApp(config, {
    logger: createLogger(config.logging, { destination: { write: () => undefined } }),
    version: '0.0.0-e2e',
    demo: false,
    timing: { staggerMs: 100 },
  });

/** Prometheus' scrape interval is 1 s: polling its API faster than this only adds load. */
const PROMETHEUS_POLL = { limitMs: 60_000, intervalMs: 250 } as const;

const waitReady = (app: App): Promise<void> => waitForReady(app.url, { limitMs: 30_000 });

describe('a real Prometheus scraping the exporter', () => {
  let mock: RunningChaosMock;
  let app: App;
  let prometheus: RunningPrometheus | undefined;
  const query = (promql: string): Promise<Sample[]> => {
    if (prometheus === undefined) throw new Error('Prometheus did not start');
    return prometheus.query(promql);
  };

  beforeAll(async () => {
    requirePrometheus();
    mock = await startChaosMock({ lines: 10 });
    // The design's default tiers: one collection at start is all two scrapes need.
    const intervals = { fastSeconds: 60, mediumSeconds: 300, slowSeconds: 900, cqmSeconds: 300 };
    app = await startQuietApp(exporterConfig(mock.url, [mockAccount('default')], intervals));
    await waitReady(app);

    const exporter = new URL(app.url).host;
    prometheus = await startPrometheus([
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
    ]);
    const running = prometheus;
    // Two scrapes of each job: `up` has two samples in the last few seconds.
    await waitFor(
      'Prometheus to scrape both jobs twice',
      async () => {
        if (running.exited()) throw new Error(`prometheus exited: ${running.log()}`);
        const counts = await running.query('count_over_time(up[1m])');
        return counts.length === 2 && counts.every((sample) => sample.value >= 2) ? counts : undefined;
      },
      PROMETHEUS_POLL,
    );
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    await app?.stop();
    await mock?.close();
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

/**
 * Six accounts shared by two replicas (shard 0 and 1 of 2), each scraped by its own Prometheus job
 * that keeps only the targets `hashmod` gives its shard. Were the exporter's hash not Prometheus',
 * some account would be probed on the replica that does not collect it, get a 404, and be down.
 */
describe('Prometheus hashmod routing accounts to sharded replicas', () => {
  const ACCOUNTS = ['default', 'home', 'office', 'parents', 'acme-ltd', 'shop_2'];
  /** Each account's shard of 2, as Prometheus 2.42 computed it (see src/shard.test.ts). */
  const SHARD_OF_2: Readonly<Record<string, string>> = {
    default: 'aaisp-shard-0',
    home: 'aaisp-shard-1',
    office: 'aaisp-shard-1',
    parents: 'aaisp-shard-0',
    'acme-ltd': 'aaisp-shard-0',
    shop_2: 'aaisp-shard-0',
  };
  let mock: RunningChaosMock;
  const replicas: App[] = [];
  /** Shard 0 of 3: by Prometheus' hash none of the six accounts is its. */
  let idle: App | undefined;
  let prometheus: RunningPrometheus | undefined;
  const query = (promql: string): Promise<Sample[]> => {
    if (prometheus === undefined) throw new Error('Prometheus did not start');
    return prometheus.query(promql);
  };

  /** The job for one replica: every account listed, only this shard's kept, probed on the replica. */
  const shardJob = (index: number, replica: App): string[] => [
    `  - job_name: aaisp-shard-${index}`,
    '    metrics_path: /probe',
    '    static_configs:',
    `      - targets: [${ACCOUNTS.join(', ')}]`,
    '    relabel_configs:',
    '      - source_labels: [__address__]',
    '        modulus: 2',
    '        target_label: __tmp_hash',
    '        action: hashmod',
    '      - source_labels: [__tmp_hash]',
    `        regex: '${index}'`,
    '        action: keep',
    '      - source_labels: [__address__]',
    '        target_label: __param_target',
    '      - source_labels: [__param_target]',
    '        target_label: instance',
    '      - target_label: __address__',
    `        replacement: '${new URL(replica.url).host}'`,
  ];

  beforeAll(async () => {
    requirePrometheus();
    mock = await startChaosMock({ lines: 3, credentials: DEFAULT_CREDENTIALS });
    // The longest tiers the config allows: exactly one collection per account during the test.
    const intervals = { fastSeconds: 3600, mediumSeconds: 3600, slowSeconds: 7200, cqmSeconds: 300 };
    const accounts = ACCOUNTS.map((name) => mockAccount(name));
    for (const index of [0, 1]) {
      replicas.push(await startQuietApp(exporterConfig(mock.url, accounts, intervals, { index, count: 2 })));
    }
    idle = await startQuietApp(exporterConfig(mock.url, accounts, intervals, { index: 0, count: 3 }));
    for (const app of [...replicas, idle]) await waitReady(app);

    prometheus = await startPrometheus(replicas.flatMap((replica, index) => shardJob(index, replica)));
    const running = prometheus;
    await waitFor(
      'Prometheus to scrape every account twice',
      async () => {
        if (running.exited()) throw new Error(`prometheus exited: ${running.log()}`);
        const counts = await running.query('count_over_time(up[1m])');
        return counts.length === ACCOUNTS.length && counts.every((sample) => sample.value >= 2)
          ? counts
          : undefined;
      },
      PROMETHEUS_POLL,
    );
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    for (const app of [...replicas, idle]) await app?.stop();
    await mock?.close();
  });

  it('every account is up in exactly one job: the one for the shard Prometheus hashed it to', async () => {
    const up = await query('up');
    expect(up.map((sample) => sample.metric.instance).sort()).toEqual([...ACCOUNTS].sort());
    expect(Object.fromEntries(up.map((sample) => [sample.metric.instance, sample.metric.job]))).toEqual(
      SHARD_OF_2,
    );
    expect(up.map((sample) => sample.value)).toEqual(ACCOUNTS.map(() => 1));
  });

  it('each account’s series arrive through its replica’s /probe', async () => {
    const lines = await query('aaisp_broadband_lines');
    expect(
      Object.fromEntries(lines.map((sample) => [sample.metric.instance, [sample.metric.job, sample.value]])),
    ).toEqual(Object.fromEntries(ACCOUNTS.map((name) => [name, [SHARD_OF_2[name], 3]])));
    // Several accounts are configured, so the label is there even on a shard's single account.
    expect(lines.every((sample) => sample.metric.account === sample.metric.instance)).toBe(true);
  });

  it('CHAOS saw each account once, from its own replica: not once per replica', () => {
    expect(mock.stats().byCommand['broadband/info']).toBe(ACCOUNTS.length);
    expect(mock.stats().byCommand['broadband/services']).toBe(ACCOUNTS.length);
  });

  it('a probe sent to the wrong replica says which shard owns the account', async () => {
    const [zero, one] = replicas;
    const misrouted = await fetch(`${zero?.url}/probe?target=home`);
    expect(misrouted.status).toBe(404);
    expect(await misrouted.text()).toBe('Not Found: account home belongs to shard 1 of 2; this is shard 0\n');
    const unknown = await fetch(`${one?.url}/probe?target=nobody`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('unknown target "nobody"');
  });

  it('/health names the shard and the accounts it owns', async () => {
    const shards = await Promise.all(
      replicas.map(
        async (replica) =>
          z.object({ shard: z.unknown() }).parse(await (await fetch(`${replica.url}/health`)).json()).shard,
      ),
    );
    expect(shards).toEqual([
      { index: 0, count: 2, accounts: ['default', 'parents', 'acme-ltd', 'shop_2'] },
      { index: 1, count: 2, accounts: ['home', 'office'] },
    ]);
  });

  it('a shard that owns no account is ready, serves no account and made no CHAOS call', async () => {
    const url = idle?.url;
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    const health = z.object({ shard: z.unknown() }).parse(await (await fetch(`${url}/health`)).json());
    expect(health.shard).toEqual({ index: 0, count: 3, accounts: [] });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).not.toContain('aaisp_broadband_');
    // Its request counter has no sample at all: not one CHAOS attempt.
    expect(metrics).not.toMatch(/^aaisp_api_requests_total\{/m);
    expect(await (await fetch(`${url}/probe?target=home`)).text()).toBe(
      'Not Found: account home belongs to shard 2 of 3; this is shard 0\n',
    );
  });
});

/**
 * CQM through the whole path: the mock's CSVs (10 s samples, so five minutes hold thirty of them)
 * → the `cqm` collector's counters → a real Prometheus → `rate()` over the 5 m window. The
 * mock's lossy line fails CQM_LOSSY_FAIL_PERCENT % of one poll a second, so the rate of failed
 * polls is that share, per second. The window must be full of data: `rate()` divides by the whole
 * range, so a younger series would read low.
 */
describe('CQM line quality through a real Prometheus', () => {
  const PERIOD_SECONDS = 10;
  let mock: RunningChaosMock;
  let app: App;
  let prometheus: RunningPrometheus | undefined;
  const query = (promql: string): Promise<Sample[]> => {
    if (prometheus === undefined) throw new Error('Prometheus did not start');
    return prometheus.query(promql);
  };
  const lossy = '32002';
  const healthy = '32001';

  beforeAll(async () => {
    requirePrometheus();
    mock = await startChaosMock({ lines: 3, cqm: { periodSeconds: PERIOD_SECONDS } });
    expect(cqmTraitOf(lossy)).toBe('lossy');
    expect(cqmTraitOf(healthy)).toBe('healthy');
    // CHAOS once; CQM every 2 s, so each 10 s sample is counted within 2 s of completing.
    const intervals = { fastSeconds: 3600, mediumSeconds: 3600, slowSeconds: 7200, cqmSeconds: 2 };
    const account = { ...mockAccount('default'), cqm: mockCqmLines(mock) };
    app = await startQuietApp(exporterConfig(mock.url, [account], intervals));
    await waitReady(app);
    prometheus = await startPrometheus([
      '  - job_name: aaisp',
      '    static_configs:',
      `      - targets: ['${new URL(app.url).host}']`,
    ]);
    const running = prometheus;
    // 1 s scrapes: ~300 points once the series spans the 5 m window.
    await waitFor(
      'Prometheus to hold five minutes of CQM counters',
      async () => {
        if (running.exited()) throw new Error(`prometheus exited: ${running.log()}`);
        const [points] = await running.query(
          `count_over_time(aaisp_cqm_polls_failed_total{line_id="${lossy}"}[5m])`,
        );
        return points !== undefined && points.value >= 295 ? points : undefined;
      },
      { limitMs: 420_000, intervalMs: 5000 },
    );
  }, 480_000);

  afterAll(async () => {
    await prometheus?.stop();
    await app?.stop();
    await mock?.close();
  });

  it('rate(aaisp_cqm_polls_failed_total[5m]) is the mock line’s loss: its failed share of one poll a second', async () => {
    const loss = CQM_LOSSY_FAIL_PERCENT / 100;
    const [failed] = await query(`rate(aaisp_cqm_polls_failed_total{line_id="${lossy}"}[5m])`);
    // Counted in steps of one 10 s sample, so the 5 m rate is exact to within a step at each end.
    expect(failed?.value).toBeGreaterThan(loss * 0.9);
    expect(failed?.value).toBeLessThan(loss * 1.1);
    // Both counters step at the same scrapes, so their ratio is exact.
    const [ratio] = await query(
      `rate(aaisp_cqm_polls_failed_total{line_id="${lossy}"}[5m]) / rate(aaisp_cqm_polls_sent_total{line_id="${lossy}"}[5m])`,
    );
    expect(ratio?.value).toBeCloseTo(loss, 9);
    const [sent] = await query(`rate(aaisp_cqm_polls_sent_total{line_id="${lossy}"}[5m])`);
    expect(sent?.value).toBeGreaterThan(0.9);
    expect(sent?.value).toBeLessThan(1.1);
    const [clean] = await query(`rate(aaisp_cqm_polls_failed_total{line_id="${healthy}"}[5m])`);
    expect(clean?.value).toBe(0);
  });

  it('the newest sample’s gauges and the collector’s success arrive as the mock sent them', async () => {
    const [latency] = await query(`aaisp_cqm_latency_seconds{line_id="${lossy}",stat="avg"}`);
    const expected = cqmQualityOf(lossy).latencyMs / 1000;
    expect(latency?.value).toBeGreaterThan(expected * 0.5);
    expect(latency?.value).toBeLessThan(expected * 1.5);
    const [loss] = await query(`aaisp_cqm_loss_ratio{line_id="${lossy}"}`);
    expect(loss?.value).toBe(CQM_LOSSY_FAIL_PERCENT / 100);
    const [success] = await query('aaisp_collector_success{collector="cqm"}');
    expect(success?.value).toBe(1);
    // Sample starts are multiples of the period, and the newest is at most a period or two old.
    const [start] = await query(`aaisp_cqm_sample_timestamp_seconds{line_id="${lossy}"}`);
    expect((start?.value ?? 0) % PERIOD_SECONDS).toBe(0);
    expect(Date.now() / 1000 - (start?.value ?? 0)).toBeLessThan(4 * PERIOD_SECONDS);
    // The URLs are secrets: no series, label or value of /metrics carries one.
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    for (const url of mock.cqmUrls().values()) {
      expect(metrics).not.toContain(new URL(url).pathname.split('/')[2]);
    }
  });
});
