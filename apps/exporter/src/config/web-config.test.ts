import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../test/support/certificates.ts';
import { loadWebConfig, type WebConfigResult } from './web-config.ts';

const SECRET = 'Web-Config-S3cret';
/** A syntactically valid bcrypt hash (cost 10); no test needs its password. */
const HASH = '$2y$10$Q2jqHKYGTd/wUr5WYfCrF.GNm8AAZ/.WEXEWb12fn5GDcLskibE3a';

describe('loadWebConfig', () => {
  let pki: TestPki;
  const read = (path: string): string => readFileSync(path, 'utf8');
  /** Writes `text` as web.yml beside the certificates and loads it. */
  const load = (text: string, name = 'web.yml'): WebConfigResult => {
    const path = join(pki.dir, name);
    writeFileSync(path, text);
    return loadWebConfig(path, read);
  };

  beforeAll(() => {
    pki = createTestPki();
  });
  afterAll(() => pki.remove());

  describe('good files', () => {
    it('reads every supported key, with paths relative to the file', () => {
      const result = load(
        [
          'tls_server_config:',
          '  cert_file: server.pem',
          '  key_file: server.key',
          '  client_auth_type: RequireAndVerifyClientCert',
          '  client_ca_file: ca.pem',
          '  min_version: TLS13',
          '  client_allowed_sans: [prometheus.test, 10.0.0.7]',
          '  prefer_server_cipher_suites: true',
          'http_server_config:',
          '  http2: false',
          '  headers:',
          '    X-Frame-Options: deny',
          '    Strict-Transport-Security: max-age=31536000',
          'basic_auth_users:',
          `  prometheus: ${HASH}`,
        ].join('\n'),
      );
      expect(result).toEqual({
        ok: true,
        config: {
          tls: {
            cert: pki.pem('serverCert'),
            key: pki.pem('serverKey'),
            clientCa: pki.pem('caCert'),
            clientAuth: 'RequireAndVerifyClientCert',
            minVersion: 'TLSv1.3',
            maxVersion: 'TLSv1.3',
            clientAllowedSans: ['prometheus.test', '10.0.0.7'],
          },
          basicAuthUsers: new Map([['prometheus', HASH]]),
          headers: { 'X-Frame-Options': 'deny', 'Strict-Transport-Security': 'max-age=31536000' },
        },
      });
    });

    it('defaults like the toolkit: no client certificate, TLS 1.2 to 1.3', () => {
      const result = load(
        `tls_server_config:\n  cert_file: ${pki.files.serverCert}\n  key_file: server.key\n`,
      );
      expect(result.ok && result.config.tls).toMatchObject({
        clientAuth: 'NoClientCert',
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.3',
        clientCa: undefined,
      });
    });

    it('takes the certificate and key inline', () => {
      const indent = (pem: string): string => pem.trimEnd().replaceAll('\n', '\n    ');
      const result = load(
        `tls_server_config:\n  cert: |\n    ${indent(pki.pem('serverCert'))}\n  key: |\n    ${indent(pki.pem('serverKey'))}\n`,
      );
      expect(result.ok && result.config.tls?.cert).toBe(pki.pem('serverCert'));
    });

    it('accepts the old name RequireClientCert as RequireAnyClientCert', () => {
      const result = load(
        'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  client_auth_type: RequireClientCert\n',
      );
      expect(result.ok && result.config.tls?.clientAuth).toBe('RequireAnyClientCert');
    });

    it.each([
      ['an empty file', ''],
      ['empty sections', 'tls_server_config:\nhttp_server_config:\nbasic_auth_users:\n'],
      ['an empty user list', 'basic_auth_users: {}\n'],
    ])('%s means no protection', (_title, text) => {
      expect(load(text)).toEqual({ ok: true, config: { headers: {} } });
    });
  });

  /** Each bad file, the one field its problem must name, and why. */
  const BAD: readonly [string, string, string, RegExp][] = [
    ['an unknown top-level key', 'tls_config:\n  cert_file: x\n', 'tls_config', /not a web-config key/],
    [
      'an unknown key in a section',
      'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  certfile: x\n',
      'tls_server_config.certfile',
      /not a web-config key/,
    ],
    [
      'a certificate without a key',
      'tls_server_config:\n  cert_file: server.pem\n',
      'tls_server_config.key_file',
      /required/,
    ],
    [
      'a key without a certificate',
      'tls_server_config:\n  key_file: server.key\n',
      'tls_server_config.cert_file',
      /required/,
    ],
    ['an empty TLS section', 'tls_server_config: {}\n', 'tls_server_config', /needs cert_file and key_file/],
    [
      'both cert and cert_file',
      'tls_server_config:\n  cert: x\n  cert_file: server.pem\n  key_file: server.key\n',
      'tls_server_config.cert_file',
      /either cert or cert_file, not both/,
    ],
    [
      'an unreadable certificate file',
      'tls_server_config:\n  cert_file: missing.pem\n  key_file: server.key\n',
      'tls_server_config.cert_file',
      /^cannot read \/.*\/missing\.pem \(ENOENT\)$/,
    ],
    [
      'a certificate file that holds no certificate',
      'tls_server_config:\n  cert_file: server.key\n  key_file: server.key\n',
      'tls_server_config.cert_file',
      /does not hold a PEM certificate \(ERR_OSSL_/,
    ],
    [
      'an inline key that is not a key',
      `tls_server_config:\n  cert_file: server.pem\n  key: ${SECRET}\n`,
      'tls_server_config.key',
      /does not hold an unencrypted PEM private key/,
    ],
    [
      'a key that belongs to another certificate',
      'tls_server_config:\n  cert_file: server.pem\n  key_file: client.key\n',
      'tls_server_config.key_file',
      /does not match the certificate/,
    ],
    [
      'an unknown client_auth_type',
      'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  client_auth_type: Sometimes\n',
      'tls_server_config.client_auth_type',
      /must be one of NoClientCert, RequestClientCert/,
    ],
    [
      'RequireAndVerifyClientCert without a client CA',
      'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n',
      'tls_server_config.client_ca_file',
      /required with client_auth_type RequireAndVerifyClientCert/,
    ],
    [
      'VerifyClientCertIfGiven without a client CA',
      'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  client_auth_type: VerifyClientCertIfGiven\n',
      'tls_server_config.client_ca_file',
      /required with client_auth_type VerifyClientCertIfGiven/,
    ],
    [
      'a client CA with NoClientCert',
      'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  client_ca_file: ca.pem\n',
      'tls_server_config.client_auth_type',
      /must ask for client certificates/,
    ],
    [
      'a client CA file without a certificate',
      'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: server.key\n',
      'tls_server_config.client_ca_file',
      /holds no PEM certificate/,
    ],
    [
      'allowed SANs with a policy that may see no certificate',
      'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.pem\n  client_allowed_sans: [a]\n',
      'tls_server_config.client_allowed_sans',
      /RequireAnyClientCert or RequireAndVerifyClientCert/,
    ],
    [
      'an unknown min_version',
      'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  min_version: TLS1.2\n',
      'tls_server_config.min_version',
      /must be one of TLS10, TLS11, TLS12, TLS13/,
    ],
    [
      'min_version above max_version',
      'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  min_version: TLS13\n  max_version: TLS12\n',
      'tls_server_config.min_version',
      /must not be above max_version/,
    ],
    [
      'cipher_suites',
      'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n',
      'tls_server_config.cipher_suites',
      /not supported by aaisp-exporter/,
    ],
    [
      'curve_preferences',
      'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  curve_preferences: [X25519]\n',
      'tls_server_config.curve_preferences',
      /not supported by aaisp-exporter/,
    ],
    [
      'http2: true',
      'http_server_config:\n  http2: true\n',
      'http_server_config.http2',
      /not supported by aaisp-exporter/,
    ],
    [
      'rate_limit',
      'rate_limit:\n  interval: 1s\n  burst: 20\n',
      'rate_limit',
      /not supported by aaisp-exporter/,
    ],
    [
      'a header the toolkit does not allow',
      'http_server_config:\n  headers:\n    Server: mine\n',
      'http_server_config.headers.Server',
      /cannot be configured/,
    ],
    [
      'a header value the toolkit does not allow',
      'http_server_config:\n  headers:\n    X-Frame-Options: allow-from x\n',
      'http_server_config.headers.X-Frame-Options',
      /must be one of deny, sameorigin/,
    ],
    [
      'a header value with a line break',
      'http_server_config:\n  headers:\n    Content-Security-Policy: "a\\r\\nSet-Cookie: x"\n',
      'http_server_config.headers.Content-Security-Policy',
      /line breaks/,
    ],
    [
      'a password instead of a hash',
      `basic_auth_users:\n  alice: ${SECRET}\n`,
      'basic_auth_users.alice',
      /bcrypt hash/,
    ],
    [
      'an md5 hash',
      'basic_auth_users:\n  alice: $apr1$x$y\n',
      'basic_auth_users.alice',
      /\$2a\$, \$2b\$ or \$2y\$/,
    ],
    [
      'a user name with a colon',
      `basic_auth_users:\n  "a:b": ${HASH}\n`,
      'basic_auth_users.a:b',
      /must not .* contain ":"/,
    ],
    ['a user list that is a list', 'basic_auth_users: [alice]\n', 'basic_auth_users', /expected record/],
    [
      'invalid YAML',
      `basic_auth_users:\n  alice: "${SECRET}\n  bad: [`,
      '',
      /web\.yml line 2, column 10: unclosed double-quoted string$/,
    ],
    ['a document that is a list', '- a\n', '(document)', /expected object/],
  ];

  it.each(BAD)('%s: one problem naming the field, no secret echoed', (_title, text, field, why) => {
    const result = load(text);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems, JSON.stringify(problems)).toHaveLength(1);
    expect(problems[0]?.field).toBe(field);
    expect(problems[0]?.message).toMatch(why);
    expect(JSON.stringify(problems)).not.toContain(SECRET);
    expect(JSON.stringify(problems)).not.toContain('PRIVATE KEY');
  });

  it('reports an unreadable web-config file by path and code', () => {
    expect(loadWebConfig(join(pki.dir, 'nope.yml'), read)).toEqual({
      ok: false,
      problems: [{ field: '', message: `cannot read ${join(pki.dir, 'nope.yml')} (ENOENT)` }],
    });
  });

  it('reports every problem in the file at once', () => {
    const result = load(`tls_server_config:\n  cert_file: server.pem\nbasic_auth_users:\n  alice: nope\n`);
    expect(result.ok ? [] : result.problems.map((problem) => problem.field)).toEqual([
      'tls_server_config.key_file',
      'basic_auth_users.alice',
    ]);
  });
});
