/**
 * The Prometheus exporter-toolkit web-config file (`AAISP_EXPORTER_WEB__CONFIG_FILE`): TLS, basic
 * auth and extra response headers, in the same YAML format as node_exporter's `--web.config.file`
 * (https://github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md).
 *
 * Parsed as strictly as the toolkit parses it: an unknown key is an error naming the key. Keys the
 * toolkit has but Node.js cannot honour are refused with a clear message rather than silently
 * ignored, so a file never promises more than the exporter does. Certificate, key and CA files
 * are read once, here, at start: unlike the toolkit, which re-reads them on every connection, the
 * exporter needs a restart to pick up renewed certificates.
 *
 * @module
 */

import { createPrivateKey, X509Certificate } from 'node:crypto';
import { validateHeaderValue } from 'node:http';
import { dirname, isAbsolute, join } from 'node:path';
import { createSecureContext, type SecureVersion } from 'node:tls';
import * as z from 'zod';
import { cannotRead, notValidYaml, parseYamlText } from './yaml-file.ts';

/** The toolkit's client certificate policies (Go's `tls.ClientAuthType` names). */
export const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;

/** One of {@link CLIENT_AUTH_TYPES}. */
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];

const VERSION_NAMES = ['TLS10', 'TLS11', 'TLS12', 'TLS13'] as const;

/** The toolkit's version names and Node's for the same protocol, lowest first. */
const NODE_VERSIONS: Readonly<Record<(typeof VERSION_NAMES)[number], SecureVersion>> = {
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

/** The web-config file, validated. An empty file means: plain HTTP, no auth, no extra headers. */
export interface WebConfigFile {
  readonly tls?: TlsSettings | undefined;
  /** User name → bcrypt hash. Absent (or empty in the file): no basic auth. */
  readonly basicAuthUsers?: ReadonlyMap<string, string> | undefined;
  /** Extra response headers, from the toolkit's allowed list. */
  readonly headers: Readonly<Record<string, string>>;
}

/** One thing wrong with the file: the YAML path of the field (empty for the whole file), and why. */
export interface WebConfigProblem {
  readonly field: string;
  readonly message: string;
}

/** The result of {@link loadWebConfig}. */
export type WebConfigResult =
  | { readonly ok: true; readonly config: WebConfigFile }
  | { readonly ok: false; readonly problems: readonly WebConfigProblem[] };

/**
 * Response headers the toolkit lets a web-config file set, with the only values it accepts where
 * it restricts them. The list is the toolkit's on purpose: the same file means the same thing for
 * every Prometheus exporter.
 */
const CONFIGURABLE_HEADERS: Readonly<Record<string, readonly string[] | undefined>> = {
  'Strict-Transport-Security': undefined,
  'X-Content-Type-Options': ['nosniff'],
  'X-Frame-Options': ['deny', 'sameorigin'],
  'X-XSS-Protection': undefined,
  'Content-Security-Policy': undefined,
};

/** `$2a$`, `$2b$` or `$2y$`, a cost of 04–31, then 22 characters of salt and 31 of hash. */
const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

const NOT_SUPPORTED = 'is not supported by aaisp-exporter';

/** A toolkit key the exporter refuses: present at all is an error, with the reason. */
function unsupported(why: string) {
  return z
    .unknown()
    .refine(() => false, `${NOT_SUPPORTED}: ${why}`)
    .optional();
}

const nonEmpty = z.string({ error: 'must be a string' }).min(1, 'must not be empty');

const TlsServerConfig = z.strictObject({
  cert: nonEmpty.optional(),
  key: nonEmpty.optional(),
  cert_file: nonEmpty.optional(),
  key_file: nonEmpty.optional(),
  client_ca: nonEmpty.optional(),
  client_ca_file: nonEmpty.optional(),
  client_auth_type: z
    // RequireClientCert is the toolkit's old name for RequireAnyClientCert, still accepted there.
    .enum([...CLIENT_AUTH_TYPES, 'RequireClientCert'], {
      error: `must be one of ${CLIENT_AUTH_TYPES.join(', ')}`,
    })
    .optional(),
  client_allowed_sans: z.array(nonEmpty, { error: 'must be a list of names' }).optional(),
  min_version: z.enum(VERSION_NAMES, { error: `must be one of ${VERSION_NAMES.join(', ')}` }).optional(),
  max_version: z.enum(VERSION_NAMES, { error: `must be one of ${VERSION_NAMES.join(', ')}` }).optional(),
  // Go cipher-suite and curve names do not map one to one onto OpenSSL's, and guessing would
  // weaken or break TLS without saying so: refused, and Node's defaults apply.
  cipher_suites: unsupported('remove it to use the Node.js default cipher suites'),
  curve_preferences: unsupported('remove it to use the Node.js default curves'),
  // Accepted and ignored: Go itself has ignored it since Go 1.18, so honouring it is a no-op in
  // every exporter, and refusing it would only break files written for them.
  prefer_server_cipher_suites: z.boolean({ error: 'must be true or false' }).optional(),
});

const HttpServerConfig = z.strictObject({
  headers: z.record(z.string(), z.string({ error: 'must be a string' })).nullish(),
  // The exporter serves HTTP/1.1 only; `false` says just that, so it is accepted.
  http2: z
    .boolean({ error: 'must be true or false' })
    .refine((enabled) => !enabled, `true ${NOT_SUPPORTED}: it serves HTTP/1.1 only; remove it or set false`)
    .optional(),
});

const WebConfigDocument = z
  .strictObject({
    // `key:` with nothing after it is YAML null: treated like an absent section.
    tls_server_config: TlsServerConfig.nullish(),
    http_server_config: HttpServerConfig.nullish(),
    basic_auth_users: z.record(z.string(), z.string({ error: 'must be a bcrypt hash' })).nullish(),
    rate_limit: unsupported('rate-limit in a reverse proxy; a scrape never calls CHAOS, so it is cheap'),
  })
  // An empty file is YAML null: no protection, as with the toolkit.
  .nullish();

type TlsSection = z.infer<typeof TlsServerConfig>;

/** A problem list plus the file's directory, which relative paths are resolved against. */
interface Context {
  readonly configPath: string;
  readonly readFile: (path: string) => string;
  readonly problems: WebConfigProblem[];
}

/** Relative paths in the file are relative to the file's directory, as with the toolkit. */
function resolvePath(context: Context, file: string): string {
  return isAbsolute(file) ? file : join(dirname(context.configPath), file);
}

/**
 * Reads PEM text given inline (`cert`) or by file (`cert_file`), never both. Returns undefined when
 * neither is set or on a problem (already recorded).
 */
function pemFrom(
  context: Context,
  section: TlsSection,
  name: 'cert' | 'key' | 'client_ca',
): { readonly pem: string } | undefined {
  const inline = section[name];
  const file = section[`${name}_file`];
  if (inline !== undefined && file !== undefined) {
    context.problems.push({
      field: `tls_server_config.${name}_file`,
      message: `set either ${name} or ${name}_file, not both`,
    });
    return undefined;
  }
  if (file === undefined) return inline === undefined ? undefined : { pem: inline };
  const path = resolvePath(context, file);
  try {
    return { pem: context.readFile(path) };
  } catch (error) {
    context.problems.push({ field: `tls_server_config.${name}_file`, message: cannotRead(path, error) });
    return undefined;
  }
}

/** The field a PEM came from, for messages: `cert_file` when a file was named, else `cert`. */
function pemField(section: TlsSection, name: 'cert' | 'key' | 'client_ca'): string {
  return `tls_server_config.${section[`${name}_file`] === undefined ? name : `${name}_file`}`;
}

/** An OpenSSL error's code (`ERR_OSSL_…`); OpenSSL's messages never quote the key, but be sure. */
function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'error';
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Checks that the certificate parses, the key parses and belongs to it, and every CA certificate
 * parses: a broken file stops the exporter at start, not at the first scrape.
 */
function checkPem(context: Context, section: TlsSection, cert: string, key: string, ca: string | undefined) {
  const before = context.problems.length;
  let certificate: X509Certificate | undefined;
  try {
    certificate = new X509Certificate(cert);
  } catch (error) {
    context.problems.push({
      field: pemField(section, 'cert'),
      message: `does not hold a PEM certificate (${errorCode(error)})`,
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
      message: `does not hold an unencrypted PEM private key (${errorCode(error)})`,
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
          message: `holds a certificate that does not parse (${errorCode(error)})`,
        });
        break;
      }
    }
  }
  return context.problems.length === before;
}

/** Validates `tls_server_config` and reads its files. */
function tlsSettings(context: Context, section: TlsSection): TlsSettings | undefined {
  const { problems } = context;
  const before = problems.length;
  const cert = pemFrom(context, section, 'cert');
  const key = pemFrom(context, section, 'key');
  const ca = pemFrom(context, section, 'client_ca');
  // A tls_server_config section asks for TLS, so it needs a certificate and a key. (The toolkit
  // quietly serves plain HTTP for an empty section; a typo should not do that here.)
  const unset = (name: 'cert' | 'key'): boolean =>
    section[`${name}_file`] === undefined && section[name] === undefined;
  if (unset('cert') && unset('key')) {
    problems.push({
      field: 'tls_server_config',
      message: 'needs cert_file and key_file (or cert and key, inline); remove the section for plain HTTP',
    });
  } else if (unset('cert')) {
    problems.push({
      field: 'tls_server_config.cert_file',
      message: 'is required with a key (or cert, inline)',
    });
  } else if (unset('key')) {
    problems.push({
      field: 'tls_server_config.key_file',
      message: 'is required with a certificate (or key, inline)',
    });
  }

  const clientAuth: ClientAuthType =
    section.client_auth_type === 'RequireClientCert'
      ? 'RequireAnyClientCert'
      : (section.client_auth_type ?? 'NoClientCert');
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
  // The toolkit's defaults: TLS 1.2 at least, TLS 1.3 at most.
  const min = section.min_version ?? 'TLS12';
  const max = section.max_version ?? 'TLS13';
  if (VERSION_NAMES.indexOf(min) > VERSION_NAMES.indexOf(max)) {
    problems.push({
      field: 'tls_server_config.min_version',
      message: `must not be above max_version (${max})`,
    });
  }
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
      message: `OpenSSL refuses these settings (${errorCode(error)})`,
    });
    return undefined;
  }
  return settings;
}

/** Checks each header against the toolkit's allowed list, and that Node can send it. */
function headersFrom(context: Context, headers: Readonly<Record<string, string>>): Record<string, string> {
  const allowed = Object.keys(CONFIGURABLE_HEADERS).join(', ');
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const field = `http_server_config.headers.${name}`;
    if (!Object.hasOwn(CONFIGURABLE_HEADERS, name)) {
      context.problems.push({ field, message: `cannot be configured (the toolkit allows ${allowed})` });
      continue;
    }
    const values = CONFIGURABLE_HEADERS[name];
    if (values !== undefined && !values.includes(value)) {
      context.problems.push({ field, message: `must be one of ${values.join(', ')}` });
      continue;
    }
    try {
      validateHeaderValue(name, value);
    } catch {
      context.problems.push({ field, message: 'must not contain control characters or line breaks' });
      continue;
    }
    result[name] = value;
  }
  return result;
}

/** Checks each user name and bcrypt hash; the hash is never echoed. */
function usersFrom(context: Context, users: Readonly<Record<string, string>>): Map<string, string> {
  const result = new Map<string, string>();
  for (const [user, hash] of Object.entries(users)) {
    const field = `basic_auth_users.${user}`;
    if (user === '' || user.includes(':')) {
      // Basic auth splits "user:password" at the first colon: such a user could never log in.
      context.problems.push({ field, message: 'a user name must not be empty or contain ":"' });
    } else if (!BCRYPT_HASH.test(hash)) {
      context.problems.push({
        field,
        message: 'must be a bcrypt hash ($2a$, $2b$ or $2y$ and 60 characters, e.g. from htpasswd -nBC 10)',
      });
    } else {
      result.set(user, hash);
    }
  }
  return result;
}

/** Turns zod issues into problems; an unknown key becomes one problem naming that key. */
function issueProblems(issues: readonly z.core.$ZodIssue[]): WebConfigProblem[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: [...path, key].join('.'),
        message: 'is not a web-config key (see the exporter-toolkit web-configuration format)',
      }));
    }
    return [{ field: path.join('.') || '(document)', message: issue.message }];
  });
}

/**
 * Reads and validates a web-config file. Never throws for bad input, and never quotes the file:
 * problems name the YAML field, a file by its path and error code, a YAML error by its line.
 *
 * @example
 * ```ts
 * const result = loadWebConfig('/etc/aaisp/web.yml', (path) => readFileSync(path, 'utf8'));
 * if (result.ok && result.config.tls) console.log('serving https');
 * ```
 */
export function loadWebConfig(configPath: string, readFile: (path: string) => string): WebConfigResult {
  let text: string;
  try {
    text = readFile(configPath);
  } catch (error) {
    return { ok: false, problems: [{ field: '', message: cannotRead(configPath, error) }] };
  }
  const yaml = parseYamlText(text);
  if (!yaml.ok) return { ok: false, problems: [{ field: '', message: notValidYaml(configPath, yaml.line) }] };
  const parsed = WebConfigDocument.safeParse(yaml.document);
  if (!parsed.success) return { ok: false, problems: issueProblems(parsed.error.issues) };

  const document = parsed.data ?? {};
  const context: Context = { configPath, readFile, problems: [] };
  const tls = document.tls_server_config ? tlsSettings(context, document.tls_server_config) : undefined;
  const headers = headersFrom(context, document.http_server_config?.headers ?? {});
  const users = usersFrom(context, document.basic_auth_users ?? {});
  if (context.problems.length > 0) return { ok: false, problems: context.problems };
  return {
    ok: true,
    config: {
      tls,
      // An empty user list means no basic auth, as with the toolkit.
      basicAuthUsers: users.size > 0 ? users : undefined,
      headers,
    },
  };
}
