/**
 * The `.env` file: which of its variables the exporter takes. Pure, so the rule is tested without
 * a process.
 *
 * @module
 */

import { parseEnv } from 'node:util';
import { PREFIX } from './settings.ts';

/**
 * The variables of a `.env` file's `text` to add to `env`: only `AAISP_EXPORTER_…` names (with
 * `npx` the file may be any project's, whose `NODE_TLS_REJECT_UNAUTHORIZED=0` or proxy settings
 * must not reach requests that carry the CHAOS password), and only those `env` does not already
 * set (a deployment's settings win over a stray file).
 *
 * @example
 * ```ts
 * dotEnvAdditions('AAISP_EXPORTER_SERVER__PORT=9100\nNODE_TLS_REJECT_UNAUTHORIZED=0\n', {});
 * //=> { AAISP_EXPORTER_SERVER__PORT: '9100' }
 * ```
 */
export function dotEnvAdditions(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const additions: Record<string, string> = {};
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (value !== undefined && name.startsWith(PREFIX) && env[name] === undefined) additions[name] = value;
  }
  return additions;
}
