/**
 * The web-config file's shape, as strictly as the exporter-toolkit parses it: an unknown key is an
 * error naming the key, and keys the toolkit has but Node.js cannot honour are refused with the
 * reason rather than silently ignored, so a file never promises more than the exporter does.
 *
 * @module
 */

import * as z from 'zod';
import type { WebConfigProblem } from './context.ts';

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

/** The toolkit's TLS version names, lowest first: their order is how min and max are compared. */
export const VERSION_NAMES = ['TLS10', 'TLS11', 'TLS12', 'TLS13'] as const;

/** One of {@link VERSION_NAMES}. */
export type VersionName = (typeof VERSION_NAMES)[number];

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

/**
 * `tls_server_config` as parsed, before its files are read and its settings checked together.
 * Written out rather than inferred from the schema: exported types must be explicit
 * (`isolatedDeclarations`). The annotation on {@link WebConfigDocument} keeps the two in step.
 * The refused keys are left out: a file that has one never parses.
 */
export interface TlsSection {
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly cert_file?: string | undefined;
  readonly key_file?: string | undefined;
  readonly client_ca?: string | undefined;
  readonly client_ca_file?: string | undefined;
  readonly client_auth_type?: ClientAuthType | 'RequireClientCert' | undefined;
  readonly client_allowed_sans?: readonly string[] | undefined;
  readonly min_version?: VersionName | undefined;
  readonly max_version?: VersionName | undefined;
  readonly prefer_server_cipher_suites?: boolean | undefined;
}

/** `http_server_config` as parsed. */
export interface HttpSection {
  readonly headers?: Readonly<Record<string, string>> | null | undefined;
  readonly http2?: boolean | undefined;
}

/** The document as parsed: each section absent, null (`key:` with nothing after it) or set. */
export interface WebConfigSections {
  readonly tls_server_config?: TlsSection | null | undefined;
  readonly http_server_config?: HttpSection | null | undefined;
  readonly basic_auth_users?: Readonly<Record<string, string>> | null | undefined;
}

/** The whole document, parsed from YAML; the sections are then checked by their own readers. */
export const WebConfigDocument: z.ZodType<WebConfigSections | null | undefined> = z
  .strictObject({
    // `key:` with nothing after it is YAML null: treated like an absent section.
    tls_server_config: TlsServerConfig.nullish(),
    http_server_config: HttpServerConfig.nullish(),
    basic_auth_users: z.record(z.string(), z.string({ error: 'must be a bcrypt hash' })).nullish(),
    rate_limit: unsupported('rate-limit in a reverse proxy; a scrape never calls CHAOS, so it is cheap'),
  })
  // An empty file is YAML null: no protection, as with the toolkit.
  .nullish();

/** Turns zod issues into problems; an unknown key becomes one problem naming that key. */
export function issueProblems(issues: readonly z.core.$ZodIssue[]): WebConfigProblem[] {
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
