/**
 * The directory the user ran the command in. Started by a script of this package through pnpm or
 * npm (`pnpm --filter @aaisp/exporter start` from the repository root), the process runs in the
 * package's folder, but the user typed their paths relative to where they were: pnpm and npm keep
 * that in `INIT_CWD`. The command line works from there, so `.env`, `CONFIG_FILE=./accounts.yml`,
 * `STATE__DIR` and `record --out` all resolve as the user meant.
 *
 * @module
 */

import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `INIT_CWD` when this package's own script started the process (the script's `package.json`,
 * `npm_package_json`, is in `cwd`) and it names a directory; else `cwd`. Both variables are
 * inherited by everything a script starts, so a process started by another program that itself
 * ran under pnpm (a process manager, a test runner) with a `cwd` of its choosing keeps that `cwd`.
 */
export function startDirectory(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const initial = env.INIT_CWD;
  const script = env.npm_package_json;
  if (initial === undefined || initial === '' || script === undefined || script === '') return cwd;
  if (resolve(dirname(script)) !== resolve(cwd)) return cwd;
  try {
    return statSync(initial).isDirectory() ? initial : cwd;
  } catch {
    // Gone since pnpm started: the process's own directory is the best left.
    return cwd;
  }
}
