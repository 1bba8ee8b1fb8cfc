/**
 * Runs `aaisp-exporter --check-config` from source with exactly the given environment (and PATH),
 * as a deployment file would start it, so the tests can show that what compose.yaml or the
 * Kubernetes Deployment sets is a configuration the exporter accepts.
 */

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../harness/repo.ts';

const MAIN = fileURLToPath(new URL('apps/exporter/src/main.ts', REPO_ROOT));

/** What `--check-config` printed and how it exited. */
export interface CheckResult {
  readonly status: number | null;
  readonly output: string;
}

/** `node --conditions=@aaisp/source src/main.ts --check-config [...args]` in a scratch directory. */
export function checkConfig(
  env: Readonly<Record<string, string>>,
  args: readonly string[] = [],
  cwd = '/',
): CheckResult {
  const result = spawnSync(
    process.execPath,
    ['--conditions=@aaisp/source', MAIN, '--check-config', ...args],
    { cwd, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
