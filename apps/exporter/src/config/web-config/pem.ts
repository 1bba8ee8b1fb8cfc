/**
 * The PEM text of `tls_server_config`: read from inline values or files, and checked to parse, so
 * a broken certificate or key stops the exporter at start, not at the first scrape. Certificate,
 * key and CA files are read once, at start: unlike the toolkit, which re-reads them on every
 * connection, the exporter needs a restart to pick up renewed certificates.
 *
 * @module
 */

import { createPrivateKey, X509Certificate } from 'node:crypto';
import { dirname, isAbsolute, join } from 'node:path';
import { errorCode } from '../../error-code.ts';
import { readValueOrFile } from '../value-or-file.ts';
import type { SectionContext } from './context.ts';
import type { TlsSection } from './schema.ts';

/** The PEM fields of `tls_server_config`, each given inline or as `<name>_file`. */
export type PemName = 'cert' | 'key' | 'client_ca';

/** Relative paths in the file are relative to the file's directory, as with the toolkit. */
function resolvePath(context: SectionContext, file: string): string {
  return isAbsolute(file) ? file : join(dirname(context.configPath), file);
}

/**
 * Reads PEM text given inline (`cert`) or by file (`cert_file`), never both. Returns undefined when
 * neither is set or on a problem (already recorded).
 */
export function pemFrom(
  context: SectionContext,
  section: TlsSection,
  name: PemName,
): { readonly pem: string } | undefined {
  const file = section[`${name}_file`];
  const field = `tls_server_config.${name}_file`;
  const read = readValueOrFile(
    section[name],
    file === undefined ? undefined : resolvePath(context, file),
    { value: name, file: `${name}_file` },
    context.readFile,
  );
  switch (read.kind) {
    case 'none':
      return undefined;
    case 'value':
    case 'file':
      return { pem: read.text };
    case 'both':
    case 'unreadable':
      context.problems.push({ field, message: read.message });
      return undefined;
  }
}

/** The field a PEM came from, for messages: `cert_file` when a file was named, else `cert`. */
function pemField(section: TlsSection, name: PemName): string {
  return `tls_server_config.${section[`${name}_file`] === undefined ? name : `${name}_file`}`;
}

/** An OpenSSL error's code (`ERR_OSSL_…`); OpenSSL's messages never quote the key, but be sure. */
export function opensslCode(error: unknown): string {
  return errorCode(error) ?? 'error';
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Checks that the certificate parses, the key parses and belongs to it, and every CA certificate
 * parses. Returns whether all did; each failure adds a problem naming the field, never the text.
 */
export function checkPem(
  context: SectionContext,
  section: TlsSection,
  cert: string,
  key: string,
  ca: string | undefined,
): boolean {
  const before = context.problems.length;
  let certificate: X509Certificate | undefined;
  try {
    certificate = new X509Certificate(cert);
  } catch (error) {
    context.problems.push({
      field: pemField(section, 'cert'),
      message: `does not hold a PEM certificate (${opensslCode(error)})`,
    });
  }
  try {
    const privateKey = createPrivateKey(key);
    if (certificate !== undefined && !certificate.checkPrivateKey(privateKey)) {
      context.problems.push({ field: pemField(section, 'key'), message: 'does not match the certificate' });
    }
  } catch (error) {
    context.problems.push({
      field: pemField(section, 'key'),
      message: `does not hold an unencrypted PEM private key (${opensslCode(error)})`,
    });
  }
  if (ca !== undefined) {
    const blocks = ca.match(PEM_CERTIFICATE) ?? [];
    if (blocks.length === 0)
      context.problems.push({ field: pemField(section, 'client_ca'), message: 'holds no PEM certificate' });
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch (error) {
        context.problems.push({
          field: pemField(section, 'client_ca'),
          message: `holds a certificate that does not parse (${opensslCode(error)})`,
        });
        break;
      }
    }
  }
  return context.problems.length === before;
}
