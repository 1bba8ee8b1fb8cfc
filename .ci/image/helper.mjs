// The parts of .ci/image.sh that read files rather than run containers: which base image
// deploy/Dockerfile wants and which Node the repository pins, the built image's configuration and
// /app tree, and the `podman run` arguments equivalent to the Compose files' exporter service.
// Plain Node (20 or later, no TypeScript), with the workspace's `yaml` package. Run from the
// repository root:
//
//   node .ci/image/helper.mjs base-ref                   # docker.io/library/node:24-slim
//   node .ci/image/helper.mjs node-version               # 24.21.0 (pnpm-lock.yaml's `node`)
//   podman image inspect IMG | node .ci/image/helper.mjs check-image ARCH VERSION
//   node .ci/image/helper.mjs check-tree ROOTFS          # ROOTFS: `podman image mount IMG`
//   node .ci/image/helper.mjs compose-args --host-port P [--env-file F] [--secret NAME=FILE] \
//     [--volume-prefix PREFIX] deploy/compose.yaml [deploy/compose.demo.yaml ...]
//
// check-* print one `ok …` line per check and exit 1 with `FAIL …` lines when any fails.
// compose-args prints NUL-terminated words: `podman run` options, `@IMAGE@`, then the command.

import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(resolve('apps/exporter/package.json'));
const { parse } = require('yaml');

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const [command, ...args] = process.argv.slice(2);

/** Results of the check-* commands: every check runs, then all failures are reported. */
const failures = [];
function check(condition, message, detail = '') {
  if (condition) console.log(`  ok ${message}`);
  else {
    failures.push(message);
    console.log(`  FAIL ${message}${detail === '' ? '' : `: ${detail}`}`);
  }
}
function finish() {
  if (failures.length > 0) {
    console.error(`${failures.length} check(s) failed`);
    process.exit(1);
  }
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** deploy/Dockerfile's instructions (comments dropped, continuations joined). */
function dockerfileInstructions() {
  const lines = [];
  let pending = '';
  for (const raw of readFileSync('deploy/Dockerfile', 'utf8').split('\n')) {
    const line = raw.trimEnd();
    if (pending === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    lines.push(`${pending}${line.trim()}`);
    pending = '';
  }
  return lines.map((line) => {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    return { keyword: keyword.toUpperCase(), args: rest };
  });
}

/** The one registry image every FROM of deploy/Dockerfile names (stages aside), fully qualified. */
function baseRef() {
  const instructions = dockerfileInstructions();
  const globals = {};
  for (const { keyword, args: rest } of instructions) {
    if (keyword === 'FROM') break;
    if (keyword === 'ARG') {
      const [name = '', value = ''] = rest.split('=');
      globals[name] = value;
    }
  }
  const stages = [];
  const images = new Set();
  for (const { args: rest } of instructions.filter((i) => i.keyword === 'FROM')) {
    const [image = '', as, name] = rest.split(/\s+/);
    const resolved = image.replace(/\$\{(\w+)\}/g, (_, arg) => globals[arg] ?? '');
    if (!stages.includes(resolved)) images.add(resolved);
    if (as?.toUpperCase() === 'AS' && name !== undefined) stages.push(name);
  }
  if (images.size !== 1) throw new Error(`expected one base image, deploy/Dockerfile has ${[...images]}`);
  const [image = ''] = images;
  const match = /^node:(\d+)-slim$/.exec(image);
  if (match === null) throw new Error(`the stand-in base is node:<major>-slim only, not ${image}`);
  return { ref: `docker.io/library/${image}`, major: match[1] };
}

/** The Node version the repository pins: the root devDependency `node` in pnpm-lock.yaml. */
function nodeVersion() {
  const lock = parse(readFileSync('pnpm-lock.yaml', 'utf8'));
  const version = lock?.importers?.['.']?.devDependencies?.node?.version;
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`pnpm-lock.yaml has no root devDependency node with a plain version: ${version}`);
  }
  const { major } = baseRef();
  if (version.split('.')[0] !== major) {
    throw new Error(`pnpm-lock.yaml pins node ${version}, deploy/Dockerfile uses node:${major}-slim`);
  }
  return version;
}

// ---- check-image: the configuration `podman image inspect` shows ----

function checkImage(arch, version) {
  const [image] = JSON.parse(readFileSync(0, 'utf8'));
  const config = image?.Config ?? {};
  const env = Object.fromEntries(
    (config.Env ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  check(
    image?.Architecture === arch && image?.Os === 'linux',
    `platform linux/${arch}`,
    `${image?.Os}/${image?.Architecture}`,
  );
  check(config.User === 'node', 'USER node', config.User);
  check(
    same(Object.keys(config.ExposedPorts ?? {}), ['9099/tcp']),
    'EXPOSE 9099',
    JSON.stringify(config.ExposedPorts),
  );
  check(config.WorkingDir === '/app', 'WORKDIR /app', config.WorkingDir);
  check(
    same(config.Entrypoint, ['node', '--optimize-for-size', 'dist/main.js']),
    'ENTRYPOINT node --optimize-for-size dist/main.js',
    JSON.stringify(config.Entrypoint),
  );
  // The base's CMD ["node"] must not be inherited: it would become the exporter's argument.
  check((config.Cmd ?? []).length === 0, 'no CMD (arguments go to the exporter)', JSON.stringify(config.Cmd));
  check(config.StopSignal === 'SIGTERM', 'STOPSIGNAL SIGTERM', config.StopSignal);
  const expectedEnv = {
    NODE_ENV: 'production',
    MALLOC_ARENA_MAX: '2',
    MALLOC_MMAP_THRESHOLD_: '131072',
    MALLOC_TRIM_THRESHOLD_: '131072',
    AAISP_EXPORTER_SERVER__HOST: '0.0.0.0',
    AAISP_EXPORTER_SERVER__PORT: '9099',
    AAISP_EXPORTER_STATE__DIR: '/var/lib/aaisp-exporter',
  };
  const wrongEnv = Object.entries(expectedEnv).filter(([name, value]) => env[name] !== value);
  check(
    wrongEnv.length === 0,
    'ENV NODE_ENV, MALLOC_*, SERVER__HOST/PORT, STATE__DIR',
    JSON.stringify(wrongEnv),
  );
  // The state directory is a place to mount a volume, not a VOLUME (see deploy/Dockerfile).
  check(
    Object.keys(config.Volumes ?? {}).length === 0,
    'no VOLUME (compose.yaml mounts a named volume at the state directory)',
    JSON.stringify(config.Volumes),
  );
  // Docker format keeps HEALTHCHECK (OCI has no field for it).
  const health = image?.Healthcheck ?? image?.HealthCheck ?? config.Healthcheck ?? {};
  const test = health.Test ?? [];
  check(
    test[0] === 'CMD' && test[1] === 'node' && test[2] === '-e' && /\/health/.test(test[3] ?? ''),
    'HEALTHCHECK runs node -e fetch(…/health)',
    JSON.stringify(test),
  );
  check(
    health.Interval > 0 && health.Timeout > 0 && health.StartPeriod > 0 && health.Retries > 0,
    'HEALTHCHECK interval, timeout, start period and retries set',
    JSON.stringify({ ...health, Test: undefined }),
  );
  check(!/\b(curl|wget)\b/.test(test.join(' ')), 'HEALTHCHECK needs no curl or wget');
  const labels = config.Labels ?? {};
  check(
    labels['org.opencontainers.image.title'] === 'aaisp-exporter' &&
      labels['org.opencontainers.image.licenses'] === 'MIT' &&
      labels['org.opencontainers.image.version'] === version &&
      /AAISP/.test(labels['org.opencontainers.image.description'] ?? '') &&
      /^https:\/\//.test(labels['org.opencontainers.image.source'] ?? ''),
    `OCI labels (title, licenses MIT, version ${version}, description, source)`,
    JSON.stringify(labels),
  );
  finish();
}

// ---- check-tree: the files of /app ----

function walk(root, visit) {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    visit(path, entry);
    if (entry.isDirectory()) walk(path, visit);
  }
}

function checkTree(rootfs) {
  const app = join(rootfs, 'app');
  const top = readdirSync(app).sort();
  const expectedTop = [
    'LICENSE',
    'README.md',
    'bin',
    'dist',
    'node_modules',
    'package.json',
    'pnpm-lock.yaml',
    'pnpm-workspace.yaml',
  ];
  check(same(top, expectedTop), `/app holds ${expectedTop.join(' ')} only`, top.join(' '));

  const manifest = readJson(join(app, 'package.json'));
  const source = readJson('apps/exporter/package.json');
  check(
    same(Object.keys(manifest.dependencies ?? {}).sort(), Object.keys(source.dependencies).sort()),
    "/app/package.json's dependencies are the exporter's",
  );
  check(Object.keys(manifest.devDependencies ?? {}).length === 0, 'no devDependencies in /app/package.json');

  const dist = readdirSync(join(app, 'dist'));
  check(existsSync(join(app, 'dist', 'main.js')), 'dist/main.js');
  check(
    dist.every((file) => /\.js(\.map)?$/.test(file)),
    'dist/ holds JavaScript and source maps only (no TypeScript, no test)',
    dist.filter((file) => !/\.js(\.map)?$/.test(file)).join(' '),
  );

  const installed = readdirSync(join(app, 'node_modules', '.pnpm'));
  const development = [
    ...Object.keys(source.devDependencies ?? {}),
    ...Object.keys(readJson('package.json').devDependencies ?? {}),
    'vite',
    'esbuild',
    'typescript',
    'vitest',
    'pino-pretty',
    // msw is an optional peer of @aaisp/chaos-mock's /msw subpath only: the demo runs without it.
    'msw',
    '@mswjs/interceptors',
    '@msw/url',
    '@inquirer/core',
    'tough-cookie',
    'graphql',
  ];
  const shipped = development.filter((name) =>
    installed.some((entry) => entry.startsWith(`${name.replace('/', '+')}@`)),
  );
  check(shipped.length === 0, 'no development dependency and no msw tree in node_modules', shipped.join(' '));
  for (const library of ['chaos-client', 'chaos-mock', 'collectors']) {
    const dir = join(app, 'node_modules', '@aaisp', library);
    check(
      existsSync(join(dir, 'dist', 'index.js')) && !existsSync(join(dir, 'src')),
      `@aaisp/${library}: dist/, no src/`,
    );
  }

  let bytes = 0;
  const unwanted = [];
  const notRootOwned = [];
  const writable = [];
  walk(app, (path, entry) => {
    const stat = lstatSync(path);
    if (!entry.isDirectory()) bytes += stat.size;
    const relative = path.slice(app.length + 1);
    if (/(^|\/)(dist-sea|\.git|\.env|\.turbo|test-artifacts)$/.test(relative)) unwanted.push(relative);
    if (!relative.startsWith('node_modules/') && /(^|\/)(src|test)$/.test(relative)) unwanted.push(relative);
    if (stat.uid !== 0) notRootOwned.push(relative);
    if (!entry.isSymbolicLink() && (stat.mode & 0o002) !== 0) writable.push(relative);
  });
  check(
    unwanted.length === 0,
    'no dist-sea, .git, .env, .turbo, source or test directory',
    unwanted.slice(0, 10).join(' '),
  );
  check(
    notRootOwned.length === 0 && writable.length === 0 && (statSync(app).mode & 0o022) === 0,
    '/app owned by root and not writable by the exporter (uid 1000)',
    [...notRootOwned, ...writable].slice(0, 10).join(' '),
  );
  const mb = bytes / 1024 / 1024;
  check(mb < 60, `/app is ${mb.toFixed(1)} MB (< 60)`);

  // AAISP_EXPORTER_STATE__DIR: empty, the exporter's own (uid and gid 1000), for it alone.
  const stateDir = join(rootfs, 'var/lib/aaisp-exporter');
  const state = existsSync(stateDir) ? lstatSync(stateDir) : undefined;
  check(
    state?.isDirectory() === true &&
      state.uid === 1000 &&
      state.gid === 1000 &&
      (state.mode & 0o777) === 0o700 &&
      readdirSync(stateDir).length === 0,
    '/var/lib/aaisp-exporter: an empty directory, 1000:1000, mode 0700',
    state === undefined ? 'missing' : `${state.uid}:${state.gid} ${(state.mode & 0o777).toString(8)}`,
  );
  finish();
}

// ---- compose-args: the exporter service as `podman run` options ----

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR-default}` in a string. */
function interpolate(value) {
  return value.replace(/\$\{(\w+)(?:(:?-)([^}]*))?\}/g, (_, name, op, fallback) => {
    const set = process.env[name];
    if (op === ':-') return set === undefined || set === '' ? fallback : set;
    if (op === '-') return set === undefined ? fallback : set;
    return set ?? '';
  });
}
function interpolateAll(node) {
  if (typeof node === 'string') return interpolate(node);
  if (Array.isArray(node)) return node.map(interpolateAll);
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateAll(value)]));
  }
  return node;
}

/** Compose's merge of an override file: mappings merged, `command` replaced, other lists joined. */
function merge(base, override, key = '') {
  if (Array.isArray(base) && Array.isArray(override)) {
    if (key === 'command' || key === 'entrypoint') return override;
    return [...base, ...override.filter((item) => !base.some((b) => same(b, item)))];
  }
  if (base !== null && override !== null && typeof base === 'object' && typeof override === 'object') {
    const out = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = k in out ? merge(out[k], v, k) : v;
    return out;
  }
  return override;
}

/** `environment` as a list or a mapping → [name, value] pairs. */
function environmentPairs(environment) {
  if (Array.isArray(environment)) {
    return environment.map((item) => {
      const at = item.indexOf('=');
      return at < 0 ? [item, process.env[item] ?? ''] : [item.slice(0, at), item.slice(at + 1)];
    });
  }
  return Object.entries(environment ?? {}).map(([name, value]) => [
    name,
    value === null ? '' : String(value),
  ]);
}

function composeArgs(argv) {
  const files = [];
  const secretOverrides = {};
  let hostPort;
  let envFileOverride;
  let volumePrefix;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--host-port') hostPort = argv[++i];
    else if (arg === '--env-file') envFileOverride = argv[++i];
    else if (arg === '--volume-prefix') volumePrefix = argv[++i];
    else if (arg === '--secret') {
      const [name, ...path] = (argv[++i] ?? '').split('=');
      secretOverrides[name] = path.join('=');
    } else files.push(arg);
  }
  if (files.length === 0 || hostPort === undefined)
    throw new Error('usage: compose-args --host-port P FILE...');
  // Relative paths in every file are relative to the first file's directory, as in Compose.
  const projectDir = dirname(resolve(files[0]));
  const project = files
    .map((file) => interpolateAll(parse(readFileSync(file, 'utf8'))))
    .reduce((merged, next) => merge(merged, next));
  const service = project.services?.exporter;
  if (service === undefined) throw new Error('no exporter service');

  const words = [];
  const handled = new Set();
  const take = (key) => {
    handled.add(key);
    return service[key];
  };

  // The image .ci/image.sh built from the same Dockerfile and context stands in for `build:`.
  const build = take('build');
  if (build !== undefined && (build.context !== '..' || build.dockerfile !== 'deploy/Dockerfile')) {
    throw new Error(
      `the exporter is built from ${build.context}/${build.dockerfile}, not ../deploy/Dockerfile`,
    );
  }
  take('image');
  const restart = take('restart');
  if (restart !== undefined)
    words.push('--restart', restart === 'unless-stopped' ? 'unless-stopped' : restart);

  for (const entry of take('env_file') ?? []) {
    const { path, required = true } = typeof entry === 'string' ? { path: entry } : entry;
    const file = envFileOverride ?? resolve(projectDir, path);
    if (existsSync(file)) words.push('--env-file', file);
    else if (required) throw new Error(`env_file ${file} is required and missing`);
  }
  for (const [name, value] of environmentPairs(take('environment'))) words.push('--env', `${name}=${value}`);

  // File secrets: Compose (without Swarm) bind-mounts the file read-only at /run/secrets/NAME.
  for (const entry of take('secrets') ?? []) {
    const name = typeof entry === 'string' ? entry : entry.source;
    const target =
      typeof entry === 'string' ? `/run/secrets/${name}` : resolve('/run/secrets', entry.target ?? name);
    const file = secretOverrides[name] ?? project.secrets?.[name]?.file;
    if (file === undefined) throw new Error(`secret ${name} has no file`);
    words.push('--volume', `${resolve(projectDir, file)}:${target}:ro`);
  }

  // Published on 127.0.0.1 only, at a free port, whatever the host side says.
  for (const port of take('ports') ?? []) {
    const match = /^(?:[\d.]+:)?(\d+):(\d+)(?:\/tcp)?$/.exec(String(port));
    if (match === null) throw new Error(`port ${port} is not HOST:CONTAINER`);
    words.push('--publish', `127.0.0.1:${hostPort}:${match[2]}`);
  }
  // Short syntax only. A named volume is Compose's `<project>_<name>` (or --volume-prefix + name,
  // so that a test's volume is its own); Podman, as Docker, fills a new one from the image.
  for (const volume of take('volumes') ?? []) {
    if (typeof volume !== 'string') throw new Error(`volume ${JSON.stringify(volume)}: short syntax only`);
    const [source = '', target = '', ...mode] = volume.split(':');
    if (!target.startsWith('/')) throw new Error(`volume ${volume} is not SOURCE:/TARGET`);
    let host;
    if (/^[./~]/.test(source)) host = resolve(projectDir, source);
    else if (project.volumes !== undefined && source in project.volumes) {
      host = `${volumePrefix ?? `${project.name ?? 'compose'}_`}${source}`;
    } else throw new Error(`volume ${source} is not declared under the top-level volumes`);
    words.push('--volume', [host, target, ...mode].join(':'));
  }
  if (take('read_only') === true) words.push('--read-only');
  for (const cap of take('cap_drop') ?? []) words.push('--cap-drop', cap);
  for (const cap of take('cap_add') ?? []) words.push('--cap-add', cap);
  for (const option of take('security_opt') ?? []) {
    words.push('--security-opt', option === 'no-new-privileges:true' ? 'no-new-privileges' : option);
  }
  for (const mount of [take('tmpfs') ?? []].flat()) words.push('--tmpfs', mount);
  const user = take('user');
  if (user !== undefined) words.push('--user', String(user));
  const healthcheck = take('healthcheck');
  if (healthcheck !== undefined) {
    if (healthcheck.disable === true) words.push('--no-healthcheck');
    else {
      const test = Array.isArray(healthcheck.test) ? healthcheck.test : ['CMD-SHELL', healthcheck.test];
      if (test[0] === 'NONE') words.push('--no-healthcheck');
      else {
        words.push(
          '--health-cmd',
          test[0] === 'CMD' ? JSON.stringify(test.slice(1)) : test.slice(1).join(' '),
        );
        for (const [key, flag] of [
          ['interval', '--health-interval'],
          ['timeout', '--health-timeout'],
          ['start_period', '--health-start-period'],
          ['retries', '--health-retries'],
        ]) {
          if (healthcheck[key] !== undefined) words.push(flag, String(healthcheck[key]));
        }
      }
    }
  }
  const unknown = Object.keys(service).filter((key) => !handled.has(key) && key !== 'command');
  if (unknown.length > 0)
    throw new Error(`compose-args does not map the exporter's ${unknown.join(', ')}: add it`);

  const commandWords = service.command ?? [];
  if (!Array.isArray(commandWords)) throw new Error('command must be a list');
  process.stdout.write([...words, '@IMAGE@', ...commandWords].map((word) => `${word}\0`).join(''));
}

switch (command) {
  case 'base-ref':
    console.log(baseRef().ref);
    break;
  case 'node-version':
    console.log(nodeVersion());
    break;
  case 'check-image':
    checkImage(args[0], args[1]);
    break;
  case 'check-tree':
    checkTree(args[0]);
    break;
  case 'compose-args':
    composeArgs(args);
    break;
  default:
    console.error(`unknown command ${command}`);
    process.exit(2);
}
