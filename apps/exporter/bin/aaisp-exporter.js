#!/usr/bin/env node
// The `aaisp-exporter` command. Installed from npm (`npx @aaisp/exporter`, `npm i -g`) or deployed
// (`pnpm deploy`, the image), the package has the built dist/ and its dependencies' builds, which
// plain resolution finds: it runs dist/main.js in this process, with no second Node. In the
// repository (src/ exists only there: it is not in `files`) it runs the TypeScript source on
// Node 24, whose workspace packages resolve to their sources only under the `@aaisp/source`
// condition, which can only be given on the command line: so there it re-runs Node with it,
// passing signals and the exit code.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../src/main.ts', import.meta.url));
if (existsSync(source)) {
  const child = spawn(process.execPath, ['--conditions=@aaisp/source', source, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
} else {
  await import('../dist/main.js');
}
