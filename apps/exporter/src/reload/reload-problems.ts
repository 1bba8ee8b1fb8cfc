/**
 * What a valid configuration may still not change without a restart. Environment variables cannot
 * change in a running process, so only the files can: of those, the web-config file may switch
 * TLS on or off, which the listening socket cannot follow.
 *
 * @module
 */

import type { ExporterConfig } from '../config/config.ts';
import type { ConfigProblem } from '../config/problem.ts';
import { PREFIX } from '../config/settings.ts';

/** Why `next` cannot replace `current` in this process; empty: it can. */
export function reloadProblems(current: ExporterConfig, next: ExporterConfig): ConfigProblem[] {
  const wasTls = current.web.tls !== undefined;
  const isTls = next.web.tls !== undefined;
  if (wasTls === isTls) return [];
  return [
    {
      variable: `${PREFIX}WEB__CONFIG_FILE`,
      message: `turning TLS ${isTls ? 'on' : 'off'} needs a restart: the listening socket keeps the scheme it started with (${wasTls ? 'https' : 'http'})`,
    },
  ];
}
