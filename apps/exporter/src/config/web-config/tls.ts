/**
 * `tls_server_config`: its PEM text (see `pem.ts`) and its policy, checked together and turned
 * into what the server needs. Policies that cannot work (a client CA no client is asked to prove
 * itself against, min above max) are problems here, not surprises at the first handshake.
 *
 * @module
 */

import { createSecureContext, type SecureVersion } from 'node:tls';
import type { SectionContext, WebConfigProblem } from './context.ts';
import { checkPem, opensslCode, pemFrom } from './pem.ts';
import { type ClientAuthType, type TlsSection, VERSION_NAMES, type VersionName } from './schema.ts';

/** The toolkit's version names and Node's for the same protocol. */
const NODE_VERSIONS: Readonly<Record<VersionName, SecureVersion>> = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
};

/** What the server needs for TLS, already read from disk and checked. */
export interface TlsSettings {
  /** The server certificate (and any intermediates), PEM. */
  readonly cert: string;
  /** The server's private key, PEM. A secret: never logged. */
  readonly key: string;
  /** CA certificates that client certificates are verified against, PEM. */
  readonly clientCa?: string | undefined;
  readonly clientAuth: ClientAuthType;
  readonly minVersion: SecureVersion;
  readonly maxVersion: SecureVersion;
  /** A client certificate must carry one of these as a SAN (DNS name, IP, email or URI). */
  readonly clientAllowedSans?: readonly string[] | undefined;
}

/**
 * A tls_server_config section asks for TLS, so it needs a certificate and a key. (The toolkit
 * quietly serves plain HTTP for an empty section; a typo should not do that here.)
 */
function certKeyProblem(section: TlsSection): WebConfigProblem | undefined {
  const unset = (name: 'cert' | 'key'): boolean =>
    section[`${name}_file`] === undefined && section[name] === undefined;
  if (unset('cert') && unset('key')) {
    return {
      field: 'tls_server_config',
      message: 'needs cert_file and key_file (or cert and key, inline); remove the section for plain HTTP',
    };
  }
  if (unset('cert')) {
    return { field: 'tls_server_config.cert_file', message: 'is required with a key (or cert, inline)' };
  }
  if (unset('key')) {
    return {
      field: 'tls_server_config.key_file',
      message: 'is required with a certificate (or key, inline)',
    };
  }
  return undefined;
}

/** The policy's contradictions: a client CA, allowed SANs or versions that `clientAuth` cannot use. */
function policyProblems(
  section: TlsSection,
  clientAuth: ClientAuthType,
  min: VersionName,
  max: VersionName,
): WebConfigProblem[] {
  const problems: WebConfigProblem[] = [];
  const caConfigured = section.client_ca !== undefined || section.client_ca_file !== undefined;
  if (caConfigured && clientAuth === 'NoClientCert') {
    problems.push({
      field: 'tls_server_config.client_auth_type',
      message: 'must ask for client certificates when a client CA is configured (NoClientCert never does)',
    });
  }
  if (
    !caConfigured &&
    (clientAuth === 'VerifyClientCertIfGiven' || clientAuth === 'RequireAndVerifyClientCert')
  ) {
    problems.push({
      field: 'tls_server_config.client_ca_file',
      message: `is required with client_auth_type ${clientAuth} (the CA that client certificates are verified against)`,
    });
  }
  if (
    section.client_allowed_sans !== undefined &&
    clientAuth !== 'RequireAnyClientCert' &&
    clientAuth !== 'RequireAndVerifyClientCert'
  ) {
    problems.push({
      field: 'tls_server_config.client_allowed_sans',
      message: 'needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert',
    });
  }
  if (VERSION_NAMES.indexOf(min) > VERSION_NAMES.indexOf(max)) {
    problems.push({
      field: 'tls_server_config.min_version',
      message: `must not be above max_version (${max})`,
    });
  }
  return problems;
}

/**
 * Validates `tls_server_config` and reads its files. Returns the settings, or undefined when
 * anything is wrong (every problem found is added to `context.problems`).
 */
export function tlsSettings(context: SectionContext, section: TlsSection): TlsSettings | undefined {
  const { problems } = context;
  const before = problems.length;
  const cert = pemFrom(context, section, 'cert');
  const key = pemFrom(context, section, 'key');
  const ca = pemFrom(context, section, 'client_ca');
  const missing = certKeyProblem(section);
  if (missing !== undefined) problems.push(missing);
  const clientAuth: ClientAuthType =
    section.client_auth_type === 'RequireClientCert'
      ? 'RequireAnyClientCert'
      : (section.client_auth_type ?? 'NoClientCert');
  // The toolkit's defaults: TLS 1.2 at least, TLS 1.3 at most.
  const min = section.min_version ?? 'TLS12';
  const max = section.max_version ?? 'TLS13';
  problems.push(...policyProblems(section, clientAuth, min, max));
  if (problems.length > before || cert === undefined || key === undefined) return undefined;
  if (!checkPem(context, section, cert.pem, key.pem, ca?.pem)) return undefined;

  const settings: TlsSettings = {
    cert: cert.pem,
    key: key.pem,
    clientCa: ca?.pem,
    clientAuth,
    minVersion: NODE_VERSIONS[min],
    maxVersion: NODE_VERSIONS[max],
    clientAllowedSans: section.client_allowed_sans,
  };
  try {
    // The last word is OpenSSL's: what it will not take here, the server could not start with.
    createSecureContext({
      cert: settings.cert,
      key: settings.key,
      minVersion: settings.minVersion,
      maxVersion: settings.maxVersion,
      ...(settings.clientCa === undefined ? {} : { ca: settings.clientCa }),
    });
  } catch (error) {
    problems.push({
      field: 'tls_server_config',
      message: `OpenSSL refuses these settings (${opensslCode(error)})`,
    });
    return undefined;
  }
  return settings;
}
