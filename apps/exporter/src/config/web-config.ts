/**
 * The Prometheus exporter-toolkit web-config file (`AAISP_EXPORTER_WEB__CONFIG_FILE`): TLS, basic
 * auth and extra response headers, in the same YAML format as node_exporter's `--web.config.file`
 * (https://github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md).
 *
 * The entry the rest of the exporter imports: it reads the file and composes the parts in
 * `web-config/`, one per job:
 * - `schema.ts`: the document's shape, as strict as the toolkit's (unknown keys are errors, keys
 *   Node.js cannot honour are refused with the reason);
 * - `tls.ts` and `pem.ts`: `tls_server_config`, its PEM files read once at start and checked;
 * - `users.ts`: `basic_auth_users`; `headers.ts`: `http_server_config.headers`;
 * - `context.ts`: the problem type and what each section reader is given.
 *
 * @module
 */

import type { SectionContext, WebConfigProblem } from './web-config/context.ts';
import { headersFrom } from './web-config/headers.ts';
import { issueProblems, WebConfigDocument } from './web-config/schema.ts';
import { type TlsSettings, tlsSettings } from './web-config/tls.ts';
import { usersFrom } from './web-config/users.ts';
import { cannotRead, notValidYaml, parseYamlText } from './yaml-file.ts';

export type { WebConfigProblem } from './web-config/context.ts';
export { CLIENT_AUTH_TYPES, type ClientAuthType } from './web-config/schema.ts';
export type { TlsSettings } from './web-config/tls.ts';

/** The web-config file, validated. An empty file means: plain HTTP, no auth, no extra headers. */
export interface WebConfigFile {
  readonly tls?: TlsSettings | undefined;
  /** User name → bcrypt hash. Absent (or empty in the file): no basic auth. */
  readonly basicAuthUsers?: ReadonlyMap<string, string> | undefined;
  /** Extra response headers, from the toolkit's allowed list. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The result of {@link loadWebConfig}. */
export type WebConfigResult =
  | { readonly ok: true; readonly config: WebConfigFile }
  | { readonly ok: false; readonly problems: readonly WebConfigProblem[] };

/**
 * Reads and validates a web-config file. Never throws for bad input, and never quotes the file:
 * problems name the YAML field, a file by its path and error code, a YAML error by its line and column.
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
  if (!yaml.ok) return { ok: false, problems: [{ field: '', message: notValidYaml(configPath, yaml) }] };
  const parsed = WebConfigDocument.safeParse(yaml.document);
  if (!parsed.success) return { ok: false, problems: issueProblems(parsed.error.issues) };

  const document = parsed.data ?? {};
  // Every section is read, whatever the others hold, so all the file's problems are reported at once.
  const context: SectionContext = { configPath, readFile, problems: [] };
  const tls = document.tls_server_config ? tlsSettings(context, document.tls_server_config) : undefined;
  const headers = headersFrom(context.problems, document.http_server_config?.headers ?? {});
  const users = usersFrom(context.problems, document.basic_auth_users ?? {});
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
