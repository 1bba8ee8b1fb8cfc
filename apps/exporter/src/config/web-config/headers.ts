/**
 * `http_server_config.headers`: the extra response headers a web-config file may set.
 *
 * @module
 */

import { validateHeaderValue } from 'node:http';
import type { WebConfigProblem } from './context.ts';

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

/**
 * Checks each header against the toolkit's allowed list, and that Node can send it. Returns the
 * good ones; each bad one adds a problem to `problems` and is left out.
 */
export function headersFrom(
  problems: WebConfigProblem[],
  headers: Readonly<Record<string, string>>,
): Record<string, string> {
  const allowed = Object.keys(CONFIGURABLE_HEADERS).join(', ');
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const field = `http_server_config.headers.${name}`;
    if (!Object.hasOwn(CONFIGURABLE_HEADERS, name)) {
      problems.push({ field, message: `cannot be configured (the toolkit allows ${allowed})` });
      continue;
    }
    const values = CONFIGURABLE_HEADERS[name];
    if (values !== undefined && !values.includes(value)) {
      problems.push({ field, message: `must be one of ${values.join(', ')}` });
      continue;
    }
    try {
      validateHeaderValue(name, value);
    } catch {
      problems.push({ field, message: 'must not contain control characters or line breaks' });
      continue;
    }
    result[name] = value;
  }
  return result;
}
