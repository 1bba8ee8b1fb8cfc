#!/usr/bin/env node
// The `aaisp-exporter` command. The app runs from its TypeScript source on Node 24, and its
// workspace packages resolve to source only under the `@aaisp/source` condition, which can only
// be given on the command line: so this re-runs Node with it, passing signals and the exit code.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const child = spawn(process.execPath, ['--conditions=@aaisp/source', main, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
