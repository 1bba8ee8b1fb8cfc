import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { connect } from 'node:net';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import * as bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../../test/support/certificates.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { type App, startApp } from '../../app.ts';
import { loadConfig } from '../../config/config.ts';
import { loadWebConfig, type TlsSettings } from '../../config/web-config.ts';
import { createLogger } from '../../telemetry/logger.ts';
import type { ServerProtection, ServerTimeouts } from '../server.ts';
import { createBasicAuth, type PasswordCompare } from './basic-auth.ts';

const PASSWORD = 'Scrape-Pa55word-9';
// Cost 4, the lowest, keeps the tests quick; the production cost is the operator's choice.
const HASH = bcrypt.hashSync(PASSWORD, 4);

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The server certificate's SHA-256 fingerprint, over TLS. */
  readonly certificate?: string | undefined;
}

/** One request on a fresh connection (no agent, so no TLS session is reused between tests). */
function call(url: string, method: string, options: RequestOptions = {}): Promise<Reply> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, { agent: false, method, ...options }, (res) => {
      // With TLS, which certificate the server showed: a reload may change it.
      const certificate =
        res.socket instanceof TLSSocket ? String(res.socket.getPeerCertificate().fingerprint256) : undefined;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, certificate }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(5_000, () => req.destroy(new Error('no answer within 5 s')));
    req.end();
  });
}

/** One GET on a fresh connection. */
const get = (url: string, options: RequestOptions = {}): Promise<Reply> => call(url, 'GET', options);

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A server with an empty snapshot, listening on a free loopback port. */
const startServer = (web: ServerProtection, timeouts?: ServerTimeouts): Promise<TestServer> =>
  startTestServer({ web, timeouts });

describe('TLS from the web-config file', () => {
  let pki: TestPki;
  /** TLS settings as the exporter would load them from a file beside the certificates. */
  const tls = (extra = ''): TlsSettings => {
    const path = join(pki.dir, 'web.yml');
    writeFileSync(path, `tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n${extra}`);
    const result = loadWebConfig(path, (file) => readFileSync(file, 'utf8'));
    if (!result.ok || result.config.tls === undefined) throw new Error(JSON.stringify(result));
    return result.config.tls;
  };
  const trusted = (): RequestOptions => ({ ca: pki.pem('caCert') });
  const withClient = (which: 'client' | 'rogue'): RequestOptions => ({
    ca: pki.pem('caCert'),
    cert: pki.pem(which === 'client' ? 'clientCert' : 'rogueClientCert'),
    key: pki.pem(which === 'client' ? 'clientKey' : 'rogueClientKey'),
  });

  beforeAll(() => {
    pki = createTestPki();
  });
  afterAll(() => pki.remove());

  it('serves https: a client that trusts the CA gets 200, one that does not is refused', async () => {
    const server = await startServer({ tls: tls() });
    try {
      expect(server.base).toMatch(/^https:/);
      const reply = await get(`${server.base}/metrics`, trusted());
      expect(reply.status).toBe(200);
      expect(reply.body).toContain('aaisp_exporter_up 1');
      await expect(get(`${server.base}/metrics`)).rejects.toThrow(/certificate/i);
    } finally {
      await server.close();
    }
  });

  it('does not answer plain http on the TLS port', async () => {
    const server = await startServer({ tls: tls() });
    try {
      await expect(get(`http://127.0.0.1:${server.port}/metrics`)).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it('respects min_version: TLS13 refuses a client that speaks at most TLS 1.2', async () => {
    const server = await startServer({ tls: tls('  min_version: TLS13\n') });
    try {
      await expect(get(`${server.base}/metrics`, { ...trusted(), maxVersion: 'TLSv1.2' })).rejects.toThrow(
        /version|protocol/i,
      );
      expect((await get(`${server.base}/metrics`, trusted())).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('RequireAndVerifyClientCert: no certificate or a stranger’s fails the handshake; the CA’s gets 200', async () => {
    const server = await startServer({
      tls: tls('  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n'),
    });
    try {
      await expect(get(`${server.base}/metrics`, trusted())).rejects.toThrow();
      await expect(get(`${server.base}/metrics`, withClient('rogue'))).rejects.toThrow();
      expect((await get(`${server.base}/metrics`, withClient('client'))).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('RequireAnyClientCert: no certificate gets 403; any certificate gets 200', async () => {
    const server = await startServer({ tls: tls('  client_auth_type: RequireAnyClientCert\n') });
    try {
      const refused = await get(`${server.base}/metrics`, trusted());
      expect(refused.status).toBe(403);
      expect(refused.body).toBe('Forbidden: a client certificate is required\n');
      expect((await get(`${server.base}/metrics`, withClient('rogue'))).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('VerifyClientCertIfGiven: no certificate is fine, a stranger’s gets 403, the CA’s gets 200', async () => {
    const server = await startServer({
      tls: tls('  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.pem\n'),
    });
    try {
      expect((await get(`${server.base}/metrics`, trusted())).status).toBe(200);
      const stranger = await get(`${server.base}/metrics`, withClient('rogue'));
      expect(stranger.status).toBe(403);
      expect(stranger.body).toMatch(/not signed by the configured client CA/);
      expect((await get(`${server.base}/metrics`, withClient('client'))).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['an IP', '10.0.0.7', 200],
    ['a URI', 'spiffe://test/prometheus', 200],
    ['a DNS name', 'prometheus.test', 200],
    ['only other names', 'grafana.test', 403],
  ])('client_allowed_sans with %s', async (_title, san, status) => {
    const server = await startServer({
      tls: tls(
        `  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n  client_allowed_sans: ["${san}"]\n`,
      ),
    });
    try {
      expect((await get(`${server.base}/metrics`, withClient('client'))).status).toBe(status);
    } finally {
      await server.close();
    }
  });

  it('closes a connection that never starts the handshake, within the headers timeout', async () => {
    const server = await startServer(
      { tls: tls() },
      { headersMs: 300, requestMs: 1_000, checkIntervalMs: 100 },
    );
    try {
      const closed = await new Promise<boolean>((resolve) => {
        const socket = connect(server.port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(true));
        // Sanity limit only: 300 ms is the setting, 5 s means it was not applied at all.
        setTimeout(() => {
          socket.destroy();
          resolve(false);
        }, 5_000);
      });
      expect(closed).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('serves basic auth over TLS', async () => {
    const server = await startServer({
      tls: tls(),
      auth: createBasicAuth({ users: new Map([['prometheus', HASH]]) }),
    });
    try {
      expect((await get(`${server.base}/metrics`, trusted())).status).toBe(401);
      const reply = await get(`${server.base}/metrics`, {
        ...trusted(),
        headers: { authorization: basic('prometheus', PASSWORD) },
      });
      expect(reply.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('basic auth', () => {
  const calls: string[] = [];
  const counting: PasswordCompare = async (password, hash) => {
    calls.push(hash);
    return bcrypt.compare(password, hash);
  };
  const users = new Map([['prometheus', HASH]]);
  let closed: { base: string; close(): Promise<void> };
  let open: { base: string; close(): Promise<void> };
  const as = (user: string, password: string): RequestOptions => ({
    headers: { authorization: basic(user, password) },
  });

  beforeAll(async () => {
    closed = await startServer({
      auth: createBasicAuth({ users, compare: counting }),
      headers: { 'X-Frame-Options': 'deny' },
    });
    open = await startServer({ auth: createBasicAuth({ users }), healthOpen: true });
  });
  afterAll(async () => {
    await closed.close();
    await open.close();
  });

  it('answers 401 with a WWW-Authenticate challenge and nothing else without credentials', async () => {
    const reply = await get(`${closed.base}/metrics`);
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe('Basic realm="aaisp-exporter", charset="UTF-8"');
    expect(reply.body).toBe('Unauthorized\n');
    expect(reply.headers['x-frame-options']).toBe('deny');
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    for (const [user, password] of [
      ['prometheus', 'wrong'],
      ['mallory', PASSWORD],
      ['', ''],
    ] as const) {
      const reply = await get(`${closed.base}/metrics`, as(user, password));
      expect(reply.status).toBe(401);
      expect(reply.body).toBe('Unauthorized\n');
    }
  });

  it('serves /metrics and / with the right credentials', async () => {
    const metrics = await get(`${closed.base}/metrics`, as('prometheus', PASSWORD));
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('aaisp_exporter_up 1');
    expect(metrics.headers['x-frame-options']).toBe('deny');
    const page = await get(`${closed.base}/`, as('prometheus', PASSWORD));
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html');
  });

  it('checks credentials before routing: an unknown path without them is 401, not 404', async () => {
    expect((await get(`${closed.base}/nope`)).status).toBe(401);
    expect((await get(`${closed.base}/nope`, as('prometheus', PASSWORD))).status).toBe(404);
  });

  it('keeps /health and /ready behind auth unless WEB__HEALTH_OPEN', async () => {
    expect((await get(`${closed.base}/health`)).status).toBe(401);
    expect((await get(`${closed.base}/ready`)).status).toBe(401);
    expect((await get(`${open.base}/health`)).status).toBe(200);
    // Not ready (no tier has run), but answered: the probe sees the truth, not a 401.
    expect((await get(`${open.base}/ready`)).status).toBe(503);
    expect((await get(`${open.base}/metrics`)).status).toBe(401);
    expect((await get(`${open.base}/`)).status).toBe(401);
  });

  it("treats /-/healthy and /-/ready, Prometheus' probe paths, as /health and /ready", async () => {
    expect((await get(`${closed.base}/-/healthy`)).status).toBe(401);
    expect((await get(`${closed.base}/-/ready`)).status).toBe(401);
    expect((await get(`${closed.base}/-/healthy`, as('prometheus', PASSWORD))).status).toBe(200);
    expect((await get(`${open.base}/-/healthy`)).status).toBe(200);
    expect((await get(`${open.base}/-/ready`)).status).toBe(503);
    // Only those two: the lifecycle path next to them stays behind auth.
    expect((await call(`${open.base}/-/reload`, 'POST')).status).toBe(401);
  });

  it('runs bcrypt once for repeated good credentials (the cache), every time for bad ones', async () => {
    const server = await startServer({ auth: createBasicAuth({ users, compare: counting }) });
    try {
      const before = calls.length;
      for (let scrape = 0; scrape < 3; scrape++) {
        expect((await get(`${server.base}/metrics`, as('prometheus', PASSWORD))).status).toBe(200);
      }
      expect(calls.length - before).toBe(1);
      await get(`${server.base}/metrics`, as('prometheus', 'nope'));
      await get(`${server.base}/metrics`, as('prometheus', 'nope'));
      expect(calls.length - before).toBe(3);
    } finally {
      await server.close();
    }
  });
});

describe('the exporter with a web-config file', () => {
  let pki: TestPki;
  let app: App;
  const logs: string[] = [];

  beforeAll(async () => {
    pki = createTestPki();
    const web = join(pki.dir, 'web.yml');
    writeFileSync(
      web,
      `tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\nbasic_auth_users:\n  prometheus: ${HASH}\n`,
    );
    const result = loadConfig({
      env: {
        AAISP_EXPORTER_WEB__CONFIG_FILE: web,
        AAISP_EXPORTER_SERVER__HOST: '127.0.0.1',
        AAISP_EXPORTER_SERVER__PORT: '0',
        AAISP_EXPORTER_LOGGING__LEVEL: 'trace',
      },
      readFile: (path) => readFileSync(path, 'utf8'),
      demo: true,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const logger = createLogger(
      { level: 'trace', format: 'json' },
      { destination: { write: (line: string) => void logs.push(line) } },
    );
    app = await startApp(result.config, { logger, version: '0.0.0-test', demo: true });
  });
  afterAll(async () => {
    await app.stop();
    pki.remove();
  });

  it('listens on https, asks for credentials, and never logs the password', async () => {
    expect(app.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = pki.pem('caCert');
    expect((await get(`${app.url}/metrics`, { ca })).status).toBe(401);
    expect((await get(`${app.url}/metrics`, { ca, ...as('prometheus', 'wrong-guess') })).status).toBe(401);
    expect((await get(`${app.url}/metrics`, { ca, ...as('prometheus', PASSWORD) })).status).toBe(200);
    // Should anything ever log a request, the Authorization header is redacted.
    createLogger(
      { level: 'trace', format: 'json' },
      { destination: { write: (line: string) => void logs.push(line) } },
    ).info({ req: { headers: { authorization: basic('prometheus', PASSWORD) } } }, 'request');
    const everything = logs.join('\n');
    expect(everything).toContain('exporter listening');
    expect(everything).toContain('"authorization":"[redacted]"');
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(Buffer.from(`prometheus:${PASSWORD}`).toString('base64'));
    expect(everything).not.toContain(HASH);
    expect(everything).not.toContain('PRIVATE KEY');
  });

  function as(user: string, password: string): RequestOptions {
    return { headers: { authorization: basic(user, password) } };
  }
});

describe('POST /-/reload behind TLS and basic auth', () => {
  const NEW_PASSWORD = 'Rotated-Pa55word-7';
  let pki: TestPki;
  let other: TestPki;
  let app: App;
  let webFile: string;
  const logs: string[] = [];
  const writeWeb = (certDir: string, hash: string, tls = true): void =>
    writeFileSync(
      webFile,
      `${tls ? `tls_server_config:\n  cert_file: ${join(certDir, 'server.pem')}\n  key_file: ${join(certDir, 'server.key')}\n` : ''}basic_auth_users:\n  prometheus: ${hash}\n`,
    );
  const as = (password: string): RequestOptions => ({
    ca: [pki.pem('caCert'), other.pem('caCert')],
    headers: { authorization: basic('prometheus', password) },
  });

  beforeAll(async () => {
    pki = createTestPki();
    other = createTestPki();
    webFile = join(pki.dir, 'web-reload.yml');
    writeWeb(pki.dir, HASH);
    const load = () =>
      loadConfig({
        env: {
          AAISP_EXPORTER_WEB__CONFIG_FILE: webFile,
          AAISP_EXPORTER_WEB__ENABLE_LIFECYCLE: 'true',
          AAISP_EXPORTER_SERVER__HOST: '127.0.0.1',
          AAISP_EXPORTER_SERVER__PORT: '0',
        },
        readFile: (path) => readFileSync(path, 'utf8'),
        demo: true,
      });
    const result = load();
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const logger = createLogger(
      { level: 'info', format: 'json' },
      { destination: { write: (line: string) => void logs.push(line) } },
    );
    app = await startApp(result.config, { logger, version: '0.0.0-test', demo: true, reloadConfig: load });
  });
  afterAll(async () => {
    await app.stop();
    pki.remove();
    other.remove();
  });

  it('is refused without credentials, and takes only POST and PUT', async () => {
    const ca = [pki.pem('caCert')];
    const anonymous = await call(`${app.url}/-/reload`, 'POST', { ca });
    expect(anonymous.status).toBe(401);
    expect(logs.join('\n')).not.toContain('configuration reloaded');
    const read = await get(`${app.url}/-/reload`, as(PASSWORD));
    expect(read.status).toBe(405);
    expect(read.headers.allow).toBe('POST, PUT');
    expect((await call(`${app.url}/-/reload`, 'PUT', as(PASSWORD))).body).toBe('configuration reloaded\n');
  });

  it('applies new users and a new certificate without closing the socket', async () => {
    const before = await get(`${app.url}/metrics`, as(PASSWORD));
    expect(before.status).toBe(200);
    writeWeb(other.dir, bcrypt.hashSync(NEW_PASSWORD, 4));
    const reloaded = await call(`${app.url}/-/reload`, 'POST', as(PASSWORD));
    expect(reloaded.status).toBe(200);
    expect((await get(`${app.url}/metrics`, as(PASSWORD))).status).toBe(401);
    const after = await get(`${app.url}/metrics`, as(NEW_PASSWORD));
    expect(after.status).toBe(200);
    // Same port, another certificate: the new connection got the re-read one.
    expect(after.certificate).not.toBe(before.certificate);
    expect(after.certificate).toMatch(/^[0-9A-F:]+$/);
    expect(logs.join('\n')).not.toContain(NEW_PASSWORD);
  });

  it('refuses to turn TLS off, keeping users and certificate, and says why', async () => {
    writeWeb(other.dir, HASH, false);
    const refused = await call(`${app.url}/-/reload`, 'POST', as(NEW_PASSWORD));
    expect(refused.status).toBe(500);
    expect(refused.body).toBe(
      'configuration reload failed; the previous configuration stays in force:\n' +
        '  AAISP_EXPORTER_WEB__CONFIG_FILE: turning TLS off needs a restart: the listening socket keeps the scheme it started with (https)\n',
    );
    expect((await get(`${app.url}/metrics`, as(NEW_PASSWORD))).status).toBe(200);
  });
});

describe('POST /-/reload without the lifecycle API', () => {
  it('answers 403 and says how to turn it on', async () => {
    const server = await startServer({});
    try {
      const reply = await call(`${server.base}/-/reload`, 'POST');
      expect(reply.status).toBe(403);
      expect(reply.body).toBe(
        'Lifecycle API is not enabled: set AAISP_EXPORTER_WEB__ENABLE_LIFECYCLE=true to reload over HTTP, or send SIGHUP.\n',
      );
    } finally {
      await server.close();
    }
  });
});
