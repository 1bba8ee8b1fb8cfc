#!/usr/bin/env node
// The `aaisp-exporter` command. Installed from npm (`npx @aaisp/exporter`, `npm i -g`) or deployed
// (`pnpm deploy`, the image), the package has the built dist/ and its dependencies' builds, which
// plain resolution finds: it runs dist/main.js in this process, with no second Node. In the
// repository (told by the workspace's library sources, which no package ships) it runs the
// TypeScript source on Node 24, whose workspace packages resolve to their sources only under the
// `@aaisp/source` condition, which can only be given on the command line: so there it re-runs
// Node with it, passing signals and the exit code on, and never outliving its child or leaving it
// behind.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const inRepository = existsSync(
  fileURLToPath(new URL('../../../packages/chaos-client/src/index.ts', import.meta.url)),
);
if (inRepository) {
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=@aaisp/source', main, ...process.argv.slice(2)], {
    // The IPC channel closes when this process ends, however it ends: SIGKILL cannot be caught to
    // be passed on, so the channel is how the child learns it is alone, and stops.
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    // A process group of its own (POSIX), so that a terminal's Ctrl-C, sent to the whole
    // foreground group, reaches the child once, passed on below: twice would be the "second
    // signal", which ends the child at once instead of stopping it cleanly.
    detached: process.platform !== 'win32',
  });
  // SIGHUP included: it asks the child to reload, and must not end this process either.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
} else {
  await import('../dist/main.js');
}
