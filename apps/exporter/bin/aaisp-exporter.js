#!/usr/bin/env node
// The `aaisp-exporter` command. The app runs from its TypeScript source on Node 24. In the
// repository its workspace packages resolve to their sources only under the `@aaisp/source`
// condition, which can only be given on the command line: so this re-runs Node with it, passing
// signals and the exit code. A deployed exporter (the image) has only the packages' builds, which
// plain resolution finds, so there the condition is left out.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const inRepository = existsSync(
  fileURLToPath(new URL('../../../packages/chaos-client/src/index.ts', import.meta.url)),
);
const conditions = inRepository ? ['--conditions=@aaisp/source'] : [];
const child = spawn(process.execPath, [...conditions, main, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
