import { createServer } from 'node:net';
import { DEFAULT_CREDENTIALS, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testExporterConfig } from '../harness/exporter-config.ts';
import { waitForReady } from '../harness/wait.ts';
import { type App, startApp } from './app.ts';
import { type ExporterConfig, loadConfig } from './config/config.ts';
import { createLogger } from './telemetry/logger.ts';

const PASSWORD = 'App-Test-Pa55word';

describe('the exporter end to end against the mock CHAOS', () => {
  let mock: RunningChaosMock;
  let app: App;
  const logs: string[] = [];

  beforeAll(async () => {
    mock = await startChaosMock({
      lines: 50,
      credentials: { controlLogin: 'test@a', controlPassword: PASSWORD },
    });
    const result = loadConfig({
      env: {
        AAISP_EXPORTER_AUTH__CONTROL_LOGIN: DEFAULT_CREDENTIALS.controlLogin,
        AAISP_EXPORTER_AUTH__CONTROL_PASSWORD: PASSWORD,
        AAISP_EXPORTER_API__BASE_URL: mock.url,
        AAISP_EXPORTER_SERVER__HOST: '127.0.0.1',
        AAISP_EXPORTER_SERVER__PORT: '0',
      },
      readFile: () => {
        throw new Error('no files');
      },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const logger = createLogger(
      { level: 'debug', format: 'json' },
      { destination: { write: (line: string) => void logs.push(line) } },
    );
    app = await startApp(result.config, { logger, version: '0.0.0-test', demo: false });
    await waitForReady(app.url);
  });
  afterAll(async () => {
    await app.stop();
    await mock.close();
  });

  it('makes one broadband/info call for all 50 lines, and serves every line', async () => {
    expect(mock.stats().byCommand['broadband/info']).toBe(1);
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toContain('aaisp_broadband_lines 50');
    expect(text.match(/^aaisp_broadband_line_info\{/gm)).toHaveLength(50);
    // The reference lines: unlimited, rollover (negative used), down, no quota.
    expect(text).toContain('aaisp_broadband_quota_limited{line_id="32001"} 0');
    expect(text).not.toContain('aaisp_broadband_quota_total_bytes{line_id="32001"}');
    expect(text).toContain('aaisp_broadband_quota_used_bytes{line_id="32002"} -31845120448');
    expect(text).toContain('aaisp_broadband_quota_updated_timestamp_seconds{line_id="32002"} 1784044800');
    expect(text).toContain('aaisp_broadband_sync_download_bits_per_second{line_id="32003"} 0');
    expect(text).not.toMatch(/aaisp_broadband_quota_\w+\{line_id="32004"\} [^0]/);
    expect(text).toContain('aaisp_collector_success{collector="broadband_lines"} 1');
    expect(text).toContain('aaisp_api_requests_total{subsystem="broadband",command="info",outcome="ok"} 1');
  });

  it('/probe?target=default serves the account from the snapshot: many probes, no extra CHAOS call', async () => {
    const before = mock.stats().requests;
    for (let probe = 0; probe < 20; probe++) {
      const response = await fetch(`${app.url}/probe?target=default`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('aaisp_broadband_lines 50');
    }
    expect(mock.stats().requests).toBe(before);
    expect((await fetch(`${app.url}/probe?target=other`)).status).toBe(404);
  });

  it('sends no write command, no credential in a URL, and logs no password or postcode', async () => {
    expect(mock.stats()).toMatchObject({ writes: 0, credentialsInUrl: 0 });
    const everything = [
      ...logs,
      await (await fetch(`${app.url}/health`)).text(),
      await (await fetch(`${app.url}/`)).text(),
      await (await fetch(`${app.url}/metrics`)).text(),
    ].join('\n');
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain('ZZ99');
  });
});

describe('starting and stopping', () => {
  // Demo mode reads the built-in mock, so the base URL is never called.
  const config = (port: number): ExporterConfig =>
    testExporterConfig('https://chaos2.aa.net.uk', {
      accounts: [],
      server: { host: '127.0.0.1', port, enableLifecycle: false },
    });
  const logger = createLogger(
    { level: 'silent', format: 'json' },
    { destination: { write: () => undefined } },
  );
  const servers = (): number =>
    process.getActiveResourcesInfo().filter((type) => type === 'TCPServerWrap').length;

  it('a demo start that cannot listen closes its demo CHAOS again, and says why', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = address !== null && typeof address === 'object' ? address.port : 0;
    // Let handles closed by earlier tests leave the list first, so a leak here cannot hide behind them.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = servers();
    try {
      await expect(startApp(config(port), { logger, version: '0.0.0-test', demo: true })).rejects.toThrow(
        /EADDRINUSE/,
      );
      // Closed handles leave the list a moment after close() resolves.
      for (let wait = 0; wait < 40 && servers() > before; wait++) await new Promise((r) => setTimeout(r, 50));
      expect(servers()).toBeLessThanOrEqual(before);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('stop() may be called twice: the second call waits for the first', async () => {
    const app = await startApp(config(0), { logger, version: '0.0.0-test', demo: true });
    await Promise.all([app.stop(), app.stop()]);
    await expect(app.stop()).resolves.toBeUndefined();
  });
});
