/**
 * `pnpm build:sea`: the exporter as one Linux executable, with Node inside (Node's single
 * executable applications, https://nodejs.org/api/single-executable-applications.html):
 *
 * 1. bundle `src/sea.ts` and everything it imports (the workspace libraries from their sources,
 *    the npm dependencies, package.json) into one CommonJS file, since a SEA runs one CommonJS script
 *    and can `require` only Node's built-in modules;
 * 2. turn it into a blob with `node --experimental-sea-config`;
 * 3. copy the Node running this script (the repository's Node 24, from the npm `node` package) and
 *    inject the blob with `postject`.
 *
 * What a SEA cannot carry: native addons and files read from disk at run time. The exporter has
 * neither (all its dependencies are JavaScript, and its status page and fixtures are strings in
 * the code); pino's worker-thread transports would need files, but the exporter writes its JSON
 * lines to stdout itself, and pino-pretty (a development dependency, for a terminal) is left out:
 * the binary always logs JSON.
 *
 * Output: `dist-sea/aaisp-exporter` for the platform this runs on (linux-x64 in CI).
 *
 * @module
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { versionOnlyPackageJson } from '../../../tsup.shared.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = `${root}dist-sea`;
const script = `${outDir}/aaisp-exporter.cjs`;
const blob = `${outDir}/aaisp-exporter.blob`;
const binary = `${outDir}/aaisp-exporter`;
/**
 * The image's Node flag (deploy/Dockerfile's ENTRYPOINT), built into the binary, which takes no
 * Node flags on its command line. The blob is made under the same flags: V8 rejects a code cache
 * made under others.
 */
const NODE_FLAGS = ['--optimize-for-size'];
/** The fuse Node's SEA loader looks for; documented with the `postject` step of the Node docs. */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

await build({
  config: false,
  entry: { 'aaisp-exporter': `${root}src/sea.ts` },
  outDir,
  format: ['cjs'],
  platform: 'node',
  target: 'node24',
  // Everything goes in: a SEA's `require` knows only built-in modules.
  noExternal: [/./],
  splitting: false,
  sourcemap: false,
  dts: false,
  clean: false,
  silent: true,
  removeNodeProtocol: false,
  outExtension: () => ({ js: '.cjs' }),
  esbuildPlugins: [versionOnlyPackageJson],
  esbuildOptions(options) {
    // The workspace libraries from their sources, so the binary needs no `pnpm build` first.
    options.conditions = ['@aaisp/source'];
    // The one `import.meta` in the code (logger.ts: is pino-pretty installed?) has no meaning in a
    // bundle: make it throw there, which the logger already reads as "not installed".
    options.define = { ...options.define, 'import.meta.resolve': 'undefined' };
    options.logOverride = { ...options.logOverride, 'empty-import-meta': 'silent' };
  },
});

writeFileSync(
  `${outDir}/sea-config.json`,
  `${JSON.stringify(
    {
      main: script,
      output: blob,
      disableExperimentalSEAWarning: true,
      // Node 24.6+ reads this field.
      execArgv: NODE_FLAGS,
      // V8's compiled code in the blob: a faster start for a few MB, valid for this Node only,
      // which is the one inside the binary.
      useCodeCache: true,
    },
    null,
    2,
  )}\n`,
);
execFileSync(process.execPath, [...NODE_FLAGS, '--experimental-sea-config', `${outDir}/sea-config.json`], {
  stdio: 'inherit',
});

copyFileSync(process.execPath, binary);
chmodSync(binary, 0o755);
const postject = fileURLToPath(import.meta.resolve('postject/dist/cli.js'));
const injected = spawnSync(
  process.execPath,
  [postject, binary, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE],
  { encoding: 'utf8' },
);
// LIEF, inside postject, warns about every ELF note section of Node's binary it cannot name;
// they are not touched, so only other lines are worth showing.
const stderr = injected.stderr
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith("warning: Can't find string offset for section name"));
if (stderr.length > 0) process.stderr.write(`${stderr.join('\n')}\n`);
if (injected.status !== 0) throw new Error(`postject failed (exit ${injected.status})`);
rmSync(blob);

const megabytes = (statSync(binary).size / 1024 / 1024).toFixed(1);
process.stdout.write(
  `built ${binary} (${megabytes} MiB, Node ${process.version} ${process.platform}-${process.arch})\n`,
);
