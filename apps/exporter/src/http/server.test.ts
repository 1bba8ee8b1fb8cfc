import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { broadbandLines, lineCount, lineInfo, syncDownload } from '@aaisp/collectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/test-server.ts';
import type { TierStatus } from '../schedule/scheduler.ts';
import { lineRowsOf } from '../status-page/line-summary.ts';
import { createSnapshotStore, type SnapshotEntry } from '../store/snapshot.ts';

/** The `default` account's entry every test in this file starts from. */
const DEFAULT_ENTRY: SnapshotEntry = {
  account: 'default',
  collector: broadbandLines,
  collectedAtMs: 0,
  maxAgeMs: 180_000,
  samples: [
    {
      metric: lineInfo.name,
      labels: { line_id: '32001', login: 'test@a.1', name: '<script>alert(1)</script>' },
      value: 1,
    },
    { metric: syncDownload.name, labels: { line_id: '32001' }, value: 79_987_000 },
    { metric: lineCount.name, labels: {}, value: 1 },
  ],
};

describe('the exporter’s endpoints', () => {
  const store = createSnapshotStore({ summarize: lineRowsOf });
  let tiers: TierStatus[] = [
    {
      name: 'fast',
      intervalSeconds: 60,
      running: false,
      lastSuccessMs: undefined,
      lastError: undefined,
      nextRunMs: 5_000,
      consecutiveFailures: 0,
    },
  ];
  let server: TestServer;
  let base = '';

  /** A server like the shared one, on a store of its own: `default`'s entry plus `shop`'s `samples`. */
  async function withShop(
    samples: SnapshotEntry['samples'],
  ): Promise<{ readonly server: TestServer; readonly store: typeof store }> {
    // Its own store, so the shared one never holds `shop` and nothing has to be taken out again.
    const own = createSnapshotStore({ summarize: lineRowsOf });
    own.set(DEFAULT_ENTRY);
    own.set({ account: 'shop', collector: broadbandLines, collectedAtMs: 0, maxAgeMs: 180_000, samples });
    const started = await startTestServer({
      store: own,
      tiers: () => tiers,
      demo: true,
      accounts: ['default', 'shop'],
      now: () => 1_000,
    });
    return { server: started, store: own };
  }

  beforeAll(async () => {
    server = await startTestServer({
      store,
      tiers: () => tiers,
      demo: true,
      accounts: ['default', 'shop'],
      now: () => 1_000,
    });
    base = server.base;
    store.set(DEFAULT_ENTRY);
  });
  afterAll(async () => {
    await server.close();
  });

  it('/probe?target=NAME serves that account alone, from the snapshot; a bad target gets a clear 400 or 404', async () => {
    const shopServer = await withShop([{ metric: lineCount.name, labels: { account: 'shop' }, value: 7 }]);
    const base = shopServer.server.base;
    try {
      const shop = await fetch(`${base}/probe?target=shop`);
      expect(shop.status).toBe(200);
      expect(shop.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = await shop.text();
      expect(text).toContain('aaisp_broadband_lines{account="shop"} 7');
      expect(text).not.toContain('32001');
      expect(text).not.toContain('aaisp_exporter_up');
      const own = await (await fetch(`${base}/probe?target=default`)).text();
      expect(own).toContain('line_id="32001"');
      expect(own).not.toContain('account="shop"');
      const open = await fetch(`${base}/probe?target=shop`, {
        headers: { accept: 'application/openmetrics-text' },
      });
      expect((await open.text()).endsWith('# EOF\n')).toBe(true);

      const unknown = await fetch(`${base}/probe?target=%3Cb%3Emum`);
      expect(unknown.status).toBe(404);
      expect(await unknown.text()).toBe(
        'Not Found: unknown target "<b>mum"; configured accounts: default, shop\n',
      );
      expect(unknown.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      // A later `?` belongs to the query: the target here is "shop?x=1", which is not configured.
      expect((await fetch(`${base}/probe?target=shop?x=1`)).status).toBe(404);
      expect((await fetch(`${base}/probe?a=b?&target=shop`)).status).toBe(200);
      for (const query of ['', '?target=', '?target=shop&target=default', '?account=shop']) {
        const bad = await fetch(`${base}/probe${query}`);
        expect(bad.status, query).toBe(400);
        expect(await bad.text()).toContain(
          '/probe needs exactly one ?target=NAME; configured accounts: default, shop',
        );
      }
    } finally {
      await shopServer.server.close();
    }
  });

  it('/metrics serves the snapshot and the self-metrics in the Prometheus text format', async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('aaisp_broadband_sync_download_bits_per_second{line_id="32001"} 79987000');
    expect(text).toContain('aaisp_exporter_up 1');
    expect(text).not.toContain('# EOF');
  });

  it('/metrics serves OpenMetrics when the Accept header asks, with one # EOF at the end', async () => {
    const response = await fetch(`${base}/metrics`, {
      headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' },
    });
    expect(response.headers.get('content-type')).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    const text = await response.text();
    expect(text.match(/# EOF/g)).toHaveLength(1);
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(text).toContain('# TYPE aaisp_collector_errors counter');
    expect(text).toContain('aaisp_broadband_lines 1');
  });

  it('gzips /metrics and /probe when asked (Prometheus sends Accept-Encoding: gzip), and only then', async () => {
    const openmetrics = 'application/openmetrics-text;version=1.0.0';
    // The snapshot's part of a body: the self-metrics may move between two requests.
    const snapshotPart = (text: string): string =>
      text
        .split('\n')
        .filter((line) => line.includes('aaisp_broadband'))
        .join('\n');
    for (const [path, accept] of [
      ['/metrics', '*/*'],
      ['/metrics', openmetrics],
      ['/probe?target=default', '*/*'],
      ['/probe?target=default', openmetrics],
    ] as const) {
      const plain = await rawGet(`${base}${path}`, { accept, 'accept-encoding': 'identity' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toBe('Accept, Accept-Encoding');
      const zipped = await rawGet(`${base}${path}`, { accept, 'accept-encoding': 'gzip' });
      expect(zipped.status).toBe(200);
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers.vary).toBe('Accept, Accept-Encoding');
      expect(zipped.headers['content-length']).toBe(String(zipped.body.length));
      expect(zipped.headers['content-type']).toBe(plain.headers['content-type']);
      const text = gunzipSync(zipped.body).toString('utf8');
      expect(snapshotPart(text)).toBe(snapshotPart(plain.body.toString('utf8')));
      expect(snapshotPart(text)).toContain('aaisp_broadband_lines');
      if (accept === openmetrics) {
        expect(text.match(/# EOF/g)).toHaveLength(1);
        expect(text.endsWith('# EOF\n')).toBe(true);
      }
      if (path === '/metrics') expect(text).toContain('aaisp_exporter_up 1');
    }
    const refused = await rawGet(`${base}/metrics`, { 'accept-encoding': 'gzip;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.toString('utf8')).toContain('aaisp_broadband_lines 1');
  });

  it('serves a large exposition (written as parts) whole: Content-Length right, one # EOF, plain and gzipped', async () => {
    const samples = Array.from({ length: 20_000 }, (_, line) => ({
      metric: syncDownload.name,
      labels: { line_id: String(40_000 + line) },
      value: 79_987_000,
    }));
    const shopServer = await withShop(samples);
    const base = shopServer.server.base;
    try {
      expect(shopServer.store.exposition('openmetrics', 1_000).parts.length).toBeGreaterThan(3);
      const accept = 'application/openmetrics-text;version=1.0.0';
      for (const path of ['/metrics', '/probe?target=shop']) {
        const plain = await rawGet(`${base}${path}`, { accept, 'accept-encoding': 'identity' });
        expect(plain.headers['content-length']).toBe(String(plain.body.length));
        const zipped = await rawGet(`${base}${path}`, { accept, 'accept-encoding': 'gzip' });
        expect(zipped.headers['content-length']).toBe(String(zipped.body.length));
        for (const text of [plain.body.toString('utf8'), gunzipSync(zipped.body).toString('utf8')]) {
          expect(text.length).toBeGreaterThan(1024 * 1024);
          expect(text.match(/^# EOF$/gm)).toHaveLength(1);
          expect(text.endsWith('# EOF\n')).toBe(true);
          expect(text).toContain('aaisp_broadband_sync_download_bits_per_second{line_id="59999"} 79987000\n');
          expect(text.match(/^# TYPE aaisp_broadband_sync_download_bits_per_second gauge$/gm)).toHaveLength(
            1,
          );
          if (path === '/metrics') expect(text).toMatch(/aaisp_exporter_up 1\n(.|\n)*# EOF\n$/);
        }
      }
    } finally {
      await shopServer.server.close();
    }
  });

  it('/health reports each tier; /ready is 503 until the first fast-tier success', async () => {
    const health = await (await fetch(`${base}/health`)).json();
    expect(health).toMatchObject({
      status: 'up',
      demo: true,
      tiers: { fast: { lastSuccess: null, nextRun: '1970-01-01T00:00:05.000Z' } },
    });
    expect((await fetch(`${base}/ready`)).status).toBe(503);
    tiers = tiers.map((tier) => ({ ...tier, lastSuccessMs: 900 }));
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });

  it('/ is a status page that escapes every value', async () => {
    const response = await fetch(`${base}/`);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('80.0 Mbit/s');
    expect(html).toContain('Demo mode');
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/../etc/passwd`)).status).toBe(404);
    const post = await fetch(`${base}/metrics`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('/metrics serves the text format when Accept refuses OpenMetrics with q=0', async () => {
    const response = await fetch(`${base}/metrics`, {
      headers: { accept: 'application/openmetrics-text;q=0, */*' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await response.text()).not.toContain('# EOF');
  });
});

/** A GET that leaves the body as it came (fetch would decode gzip by itself). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
