/**
 * The directory the user ran the command in. Started through pnpm or npm (`pnpm --filter
 * @aaisp/exporter start` from the repository root), the process runs in the package's folder, but
 * the user typed their paths relative to where they were: pnpm and npm keep that in `INIT_CWD`.
 * The command line works from there, so `.env`, `CONFIG_FILE=./accounts.yml`, `STATE__DIR` and
 * `record --out` all resolve as the user meant.
 *
 * @module
 */

import { statSync } from 'node:fs';

/** `INIT_CWD` when it names a directory, else `cwd`. */
export function startDirectory(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const initial = env.INIT_CWD;
  if (initial === undefined || initial === '') return cwd;
  try {
    return statSync(initial).isDirectory() ? initial : cwd;
  } catch {
    // Gone since pnpm started: the process's own directory is the best left.
    return cwd;
  }
}
