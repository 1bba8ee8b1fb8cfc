/**
 * The entry point of the single executable (scripts/build-sea.ts). Node's single executable
 * applications run one CommonJS script, which cannot use top-level `await`: so the promise is
 * handled here, and a failure nobody caught ends the process like an uncaught error would.
 *
 * @module
 */

import { main } from './cli.ts';

main().catch((error: unknown) => {
  process.stderr.write(
    `aaisp-exporter: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
