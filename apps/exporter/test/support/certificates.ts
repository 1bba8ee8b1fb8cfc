/**
 * Test support, not part of the exporter: a throw-away PKI made with the `openssl` CLI in a temp
 * directory (a CA, a server certificate for localhost/127.0.0.1, a client certificate, and a
 * second CA with a client certificate the first CA never signed). Generated per run so no key is
 * ever committed and nothing expires in the repository.
 *
 * @module
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Paths of the generated files, and their PEM text. */
export interface TestPki {
  readonly dir: string;
  readonly files: {
    readonly caCert: string;
    readonly serverCert: string;
    readonly serverKey: string;
    readonly clientCert: string;
    readonly clientKey: string;
    readonly rogueCaCert: string;
    readonly rogueClientCert: string;
    readonly rogueClientKey: string;
  };
  /** Reads one of the files as text. */
  pem(file: keyof TestPki['files']): string;
  /** Removes the directory. */
  remove(): void;
}

function openssl(dir: string, args: readonly string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      throw new Error(
        'the TLS tests need the openssl command-line tool, and it is not on PATH (Debian/Ubuntu: apt-get install openssl)',
      );
    }
    throw error;
  }
}

/** A P-256 key and a certificate signed by `ca` (or self-signed as a CA when `ca` is undefined). */
/** openssl's arguments for a new unencrypted P-256 key written to `keyFile`. */
const newKey = (keyFile: string): string[] => [
  '-newkey',
  'ec',
  '-pkeyopt',
  'ec_paramgen_curve:P-256',
  '-nodes',
  '-keyout',
  keyFile,
];

function issue(
  dir: string,
  name: string,
  subject: string,
  extensions: string,
  ca: { readonly cert: string; readonly key: string } | undefined,
): void {
  const key = `${name}.key`;
  const cert = `${name}.pem`;
  if (ca === undefined) {
    openssl(dir, [
      'req',
      '-x509',
      ...newKey(key),
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      subject,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    return;
  }
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, ['req', '-new', ...newKey(key), '-out', `${name}.csr`, '-subj', subject]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-CAcreateserial',
    '-out',
    cert,
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
  ]);
}

/** Creates the PKI in a new temp directory. Throws a clear error if `openssl` is missing. */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'aaisp-exporter-pki-'));
  const ca = { cert: 'ca.pem', key: 'ca.key' };
  const rogue = { cert: 'rogue-ca.pem', key: 'rogue-ca.key' };
  issue(dir, 'ca', '/CN=aaisp-exporter test CA', '', undefined);
  issue(dir, 'rogue-ca', '/CN=someone else', '', undefined);
  issue(
    dir,
    'server',
    '/CN=localhost',
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
    ca,
  );
  issue(
    dir,
    'client',
    '/CN=prometheus',
    'subjectAltName=DNS:prometheus.test,URI:spiffe://test/prometheus,IP:10.0.0.7\nextendedKeyUsage=clientAuth\n',
    ca,
  );
  issue(
    dir,
    'rogue-client',
    '/CN=prometheus',
    'subjectAltName=DNS:prometheus.test\nextendedKeyUsage=clientAuth\n',
    rogue,
  );
  const files = {
    caCert: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
    rogueCaCert: join(dir, 'rogue-ca.pem'),
    rogueClientCert: join(dir, 'rogue-client.pem'),
    rogueClientKey: join(dir, 'rogue-client.key'),
  };
  return {
    dir,
    files,
    pem: (file) => readFileSync(files[file], 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
