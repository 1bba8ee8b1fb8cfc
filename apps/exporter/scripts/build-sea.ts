/**
 * `pnpm build:sea [TARGET]`: the exporter as one Linux executable, with Node inside (Node's single
 * executable applications, https://nodejs.org/api/single-executable-applications.html), for
 * TARGET: `linux-x64` or `linux-arm64`, by default the platform this runs on.
 *
 * 1. bundle `src/sea.ts` and everything it imports (the workspace libraries from their sources,
 *    the npm dependencies, package.json) into one CommonJS file, since a SEA runs one CommonJS script
 *    and can `require` only Node's built-in modules;
 * 2. turn it into a blob with `node --experimental-sea-config`, on this machine;
 * 3. copy a Node of the same version as the one running this script, built for TARGET, and inject
 *    the blob with `postject`. For this machine's own platform that Node is the one running this
 *    script (the repository's Node 24, from the npm `node` package); for another, the npm
 *    registry's `node-TARGET` package of that exact version (its `bin/node`), fetched with
 *    `npm pack` into node_modules/.cache/aaisp-sea-node and checked against the registry's
 *    integrity (sha512) before use.
 *
 * V8's code cache (`useCodeCache`) is built into the blob for this machine's own platform only: a
 * cache is valid only for the platform that made it (an x64 cache in the arm64 binary is rejected
 * with a warning at every start), and making one for another platform would need an emulator at
 * build time. Without it the blob is the same bytes whichever platform makes it; the arm64 binary
 * built on x64 starts 0.3–0.5 s (of 4–5 s) slower under qemu than with a cache made there
 * (docs/performance.md), and on x64 the cache's gain is inside the run-to-run noise.
 *
 * What a SEA cannot carry: native addons and files read from disk at run time. The exporter has
 * neither (all its dependencies are JavaScript, and its status page and fixtures are strings in
 * the code); pino's worker-thread transports would need files, but the exporter writes its log
 * lines (logfmt or JSON) to stdout itself.
 *
 * Output, in `dist-sea/`: `aaisp-exporter-TARGET`, and for this machine's own platform also
 * `aaisp-exporter` (a hard link to the same file: the name .ci/run, the bench and the docs use).
 * Each is built under a temporary name and renamed into place, so a binary that is running or
 * being tested is never missing or half written, and building one target leaves the others.
 *
 * @module
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { versionOnlyPackageJson } from '../../../tsup.shared.ts';

/** The targets, with the ELF `e_machine` of their executables. */
const TARGETS = { 'linux-x64': 0x3e, 'linux-arm64': 0xb7 } as const;
type Target = keyof typeof TARGETS;
const isTarget = (name: string): name is Target => Object.hasOwn(TARGETS, name);

const root = fileURLToPath(new URL('..', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const outDir = `${root}dist-sea`;
/** Where `npm pack` puts the `node-TARGET` tarballs of other platforms. */
const nodeCache = `${repositoryRoot}node_modules/.cache/aaisp-sea-node`;
/**
 * The image's Node flag (deploy/Dockerfile's ENTRYPOINT), built into the binary, which takes no
 * Node flags on its command line. The blob is made under the same flags: V8 rejects a code cache
 * made under others.
 */
const NODE_FLAGS = ['--optimize-for-size'];
/** The fuse Node's SEA loader looks for; documented with the `postject` step of the Node docs. */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const host = `${process.platform}-${process.arch}`;
const args = process.argv.slice(2).filter((arg) => arg !== '--');
const usage = `usage: build-sea.ts [${Object.keys(TARGETS).join(' | ')}] (default: this machine's, ${host})`;
if (args.length > 1 || args.some((arg) => arg.startsWith('-'))) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}
const requested = args[0] ?? host;
if (!isTarget(requested)) {
  process.stderr.write(`build-sea: no single binary for ${requested}\n${usage}\n`);
  process.exit(2);
}
const target: Target = requested;
const native = target === host;
const binary = `${outDir}/aaisp-exporter-${target}`;

/** Throws unless `file` is a little-endian 64-bit ELF executable for `target`'s machine. */
function assertElf(file: string, what: string): void {
  const header = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  const elf64le = header.readUInt32BE(0) === 0x7f454c46 && header[4] === 2 && header[5] === 1;
  const machine = header.readUInt16LE(18);
  if (!elf64le || machine !== TARGETS[target]) {
    throw new Error(
      `${what} ${file} is not a 64-bit little-endian ELF for ${target} (e_machine 0x${machine.toString(16)}, expected 0x${TARGETS[target].toString(16)})`,
    );
  }
}

/**
 * `bin/node` of the npm registry's `node-TARGET` package of this Node's exact version, extracted
 * into `work`. `npm pack` fetches the tarball (from npm's cache when it has it) and checks it
 * against the registry's integrity; the file it leaves is checked again here against the
 * `dist.integrity` the registry's metadata gives, and nothing else is downloaded.
 */
function registryNode(work: string): string {
  const spec = `node-${target}@${process.versions.node}`;
  mkdirSync(nodeCache, { recursive: true });
  const npm = (npmArgs: string[]): string =>
    execFileSync('npm', [...npmArgs, '--prefer-offline', '--loglevel=error'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  const packed: unknown = JSON.parse(
    npm(['pack', spec, '--json', '--ignore-scripts', '--pack-destination', nodeCache]),
  );
  const filename = Array.isArray(packed)
    ? (packed[0] as { filename?: unknown } | undefined)?.filename
    : undefined;
  if (typeof filename !== 'string' || filename.includes('/')) {
    throw new Error(`npm pack ${spec} printed no tarball name`);
  }
  const tarball = `${nodeCache}/${filename}`;
  const expected: unknown = JSON.parse(npm(['view', spec, 'dist.integrity', '--json']));
  const actual = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (actual !== expected) {
    throw new Error(`${tarball}: sha512 ${actual}, but the registry says ${String(expected)} for ${spec}`);
  }
  execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/package.json', 'package/bin/node']);
  const manifest = JSON.parse(readFileSync(`${work}/package/package.json`, 'utf8')) as { version?: unknown };
  if (manifest.version !== process.versions.node) {
    throw new Error(`${tarball} holds version ${String(manifest.version)}, not ${process.versions.node}`);
  }
  process.stdout.write(`using ${spec} (${tarball}, ${actual.slice(0, 20)}…, as the registry says)\n`);
  return `${work}/package/bin/node`;
}

mkdirSync(outDir, { recursive: true });
// What builds before this one left in dist-sea/ itself; their files now live in the work dir.
for (const stale of ['aaisp-exporter.cjs', 'aaisp-exporter.blob', 'sea-config.json']) {
  rmSync(`${outDir}/${stale}`, { force: true });
}
const work = mkdtempSync(`${outDir}/.build-${target}-`);
try {
  const script = `${work}/aaisp-exporter.cjs`;
  const blob = `${work}/aaisp-exporter.blob`;
  const unfinished = `${work}/aaisp-exporter`;

  await build({
    config: false,
    entry: { 'aaisp-exporter': `${root}src/sea.ts` },
    outDir: work,
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
      // `import.meta` has no meaning in a bundle; the exporter's code no longer uses it, but a
      // dependency's use should fail loudly in the smoke test, not resolve against the build host.
      options.define = { ...options.define, 'import.meta.resolve': 'undefined' };
      options.logOverride = { ...options.logOverride, 'empty-import-meta': 'silent' };
    },
  });

  writeFileSync(
    `${work}/sea-config.json`,
    `${JSON.stringify(
      {
        main: script,
        output: blob,
        disableExperimentalSEAWarning: true,
        // Node 24.6+ reads this field.
        execArgv: NODE_FLAGS,
        // V8's compiled code in the blob: a faster start for a few hundred kB, valid for this Node
        // on this platform only, so only when the binary's Node is the one making the blob.
        useCodeCache: native,
      },
      null,
      2,
    )}\n`,
  );
  execFileSync(process.execPath, [...NODE_FLAGS, '--experimental-sea-config', `${work}/sea-config.json`], {
    stdio: 'inherit',
  });

  const node = native ? process.execPath : registryNode(work);
  assertElf(node, 'the Node to inject into,');
  copyFileSync(node, unfinished);
  chmodSync(unfinished, 0o755);
  const postject = fileURLToPath(import.meta.resolve('postject/dist/cli.js'));
  const injected = spawnSync(
    process.execPath,
    [postject, unfinished, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE],
    { encoding: 'utf8' },
  );
  // LIEF, inside postject, warns about every ELF note section of Node's binary it cannot name;
  // they are not touched, so only other lines are worth showing.
  const stderr = injected.stderr
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith("warning: Can't find string offset for section name"));
  if (stderr.length > 0) process.stderr.write(`${stderr.join('\n')}\n`);
  if (injected.status !== 0) throw new Error(`postject failed (exit ${injected.status})`);
  assertElf(unfinished, 'the binary');

  renameSync(unfinished, binary);
  const names = [binary];
  if (native) {
    const link = `${work}/aaisp-exporter.link`;
    linkSync(binary, link);
    renameSync(link, `${outDir}/aaisp-exporter`);
    names.push(`${outDir}/aaisp-exporter`);
  }
  const megabytes = (statSync(binary).size / 1024 / 1024).toFixed(1);
  process.stdout.write(
    `built ${names.join(' = ')} (${megabytes} MiB, Node ${process.version} ${target}, ${native ? 'with' : 'no'} code cache)\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
