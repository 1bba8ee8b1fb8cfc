/**
 * `POST /-/reload` (or `PUT`, as Prometheus takes both): re-reads every file the configuration
 * names and applies the result, as SIGHUP does. Off unless `WEB__ENABLE_LIFECYCLE` is set, like
 * Prometheus' `--web.enable-lifecycle`: it changes what the exporter does, so a scrape credential
 * alone should not reach it by default.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { PREFIX } from '../../config/settings.ts';
import type { ServerDeps } from '../deps.ts';
import { send, TEXT } from '../respond.ts';

/** The methods the endpoint takes: the `Allow` header of its 405. */
export const RELOAD_METHODS: readonly string[] = ['POST', 'PUT'];

/**
 * Answers 200 when the reload was applied, 500 with every problem when it was refused (the
 * previous configuration stays), 403 when the lifecycle API is off. Problems name variables and
 * fields, never a secret.
 */
export async function reload(
  deps: Pick<ServerDeps, 'reload'>,
  _req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (deps.reload === undefined) {
    return send(
      res,
      403,
      TEXT,
      `Lifecycle API is not enabled: set ${PREFIX}WEB__ENABLE_LIFECYCLE=true to reload over HTTP, or send SIGHUP.\n`,
    );
  }
  const outcome = await deps.reload('http');
  if (outcome.ok) return send(res, 200, TEXT, 'configuration reloaded\n');
  const lines = outcome.problems.map((problem) => `  ${problem.variable}: ${problem.message}\n`);
  send(
    res,
    500,
    TEXT,
    `configuration reload failed; the previous configuration stays in force:\n${lines.join('')}`,
  );
}
