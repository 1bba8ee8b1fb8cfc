/**
 * Runs Prometheus' `promtool` for the deploy tests. `.ci/run` installs it (Debian's
 * `prometheus` package); without it the tests fail and say so, rather than skip.
 */

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../harness/repo.ts';

const PROMTOOL = process.env.PROMTOOL_BIN ?? 'promtool';

/** What one promtool run printed and how it exited. */
export interface PromtoolResult {
  /** The exit status (0 on success). */
  readonly status: number | null;
  /** stdout and stderr together, in that order. */
  readonly output: string;
}

/**
 * Runs `promtool ...args` in the repository root.
 *
 * @throws {Error} when promtool cannot be started, naming how to get it.
 */
export function promtool(...args: string[]): PromtoolResult {
  const result = spawnSync(PROMTOOL, args, { cwd: fileURLToPath(REPO_ROOT), encoding: 'utf8' });
  if (result.error) {
    throw new Error(
      `cannot run ${PROMTOOL} (${result.error.message}): install Debian's prometheus package ` +
        '(`apt-get install prometheus`, as .ci/run does) or set PROMTOOL_BIN',
    );
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
