// What the packages' CLI tests share: the output and exit of a child process they spawned.
import type { ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import type { Readable } from 'node:stream';

/** A CLI run by a test: no stdin, stdout and stderr piped. */
export type CliChild = ChildProcessByStdio<null, Readable, Readable>;

/** Waits for `child` to exit; answers its exit code (null when killed by a signal) and all it printed. */
export async function finished(
  child: CliChild,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const [code] = await once(child, 'exit');
  return { code: typeof code === 'number' ? code : null, stdout, stderr };
}

/** Kills (SIGKILL) every child of `children` still running and empties the list: for `afterEach`. */
export function killAll(children: CliChild[]): void {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}
