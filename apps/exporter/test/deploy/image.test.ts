/**
 * deploy/Dockerfile without Docker (none runs where these tests run). Its instructions are checked
 * as text, then its build stage is replayed on the host in a temporary directory: the build
 * context as .dockerignore filters it, `pnpm fetch`, `pnpm install --offline`, the exporter's and
 * the libraries' builds and `pnpm deploy --prod`. The deployed tree, which the image copies to
 * /app, must hold no development dependency, no source and no test, and must serve `--demo` on
 * plain Node 24 the way the image's ENTRYPOINT starts it (its flags and ENV, no `@aaisp/source`
 * condition, so the libraries' dist/), answer the image's HEALTHCHECK command and stop on its
 * STOPSIGNAL.
 *
 * What this cannot show: that the base image, `npm install --global` and the cache mounts behave
 * in Docker, and that USER, EXPOSE, LABEL and HEALTHCHECK take effect; only `docker build` can.
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  argsOf,
  dockerignorePatterns,
  execForm,
  imageRuntime,
  keyValues,
  listeningUrl,
  loopbackEnv,
  parseDockerfile,
  replayStage,
  type Stage,
  treeSize,
} from '../../harness/dockerfile.ts';
import { REPO_ROOT, readRepoFile } from '../../harness/repo.ts';
import { waitFor, waitForReady } from '../../harness/wait.ts';

const repoRoot = fileURLToPath(REPO_ROOT);
const dockerfile = parseDockerfile(readRepoFile('deploy/Dockerfile'));
const patterns = dockerignorePatterns(readRepoFile('.dockerignore'));
const buildStage = dockerfile.stages.find((stage) => stage.name === 'build');
const runtime = dockerfile.stages.at(-1) as Stage;

const { env: runtimeEnv, entrypoint } = imageRuntime(dockerfile);
const healthcheck = argsOf(runtime, 'HEALTHCHECK')[0] ?? '';
const healthcheckCommand = execForm(healthcheck.slice(healthcheck.indexOf('CMD ') + 4));
/** `COPY --from=build /out /app`: where in the build stage the runtime's files come from. */
const [, deployedPath = '', appPath = ''] =
  /--from=build\s+(\S+)\s+(\S+)/.exec(argsOf(runtime, 'COPY').join('\n')) ?? [];

describe('deploy/Dockerfile', () => {
  it('builds in one stage and runs on node:24-slim in another', () => {
    expect(dockerfile.stages.map((stage) => stage.image)).toEqual(['node:24-slim', 'node:24-slim']);
    expect(buildStage).toBeDefined();
    expect(argsOf(runtime, 'COPY')).toEqual([`--from=build ${deployedPath} ${appPath}`]);
    expect(argsOf(runtime, 'WORKDIR')).toEqual([appPath]);
  });

  it('runs as the non-root node user, in production mode, on port 9099, stopped by SIGTERM', () => {
    expect(argsOf(runtime, 'USER')).toEqual(['node']);
    expect(runtimeEnv.NODE_ENV).toBe('production');
    expect(argsOf(runtime, 'EXPOSE')).toEqual(['9099']);
    expect(runtimeEnv.AAISP_EXPORTER_SERVER__PORT).toBe('9099');
    expect(argsOf(runtime, 'STOPSIGNAL')).toEqual(['SIGTERM']);
  });

  it('starts the built exporter on plain node, sized for memory (docs/performance.md)', () => {
    expect(entrypoint).toEqual(['node', '--optimize-for-size', 'dist/main.js']);
    expect(argsOf(runtime, 'CMD')).toEqual([]);
    expect(runtimeEnv).toMatchObject({
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: '131072',
      MALLOC_TRIM_THRESHOLD_: '131072',
    });
  });

  it('has a HEALTHCHECK on /health that needs no curl or wget (node:24-slim has neither)', () => {
    expect(healthcheck).toMatch(/--interval=\S+ --timeout=\S+ --start-period=\S+ --retries=\d+ CMD /);
    expect(healthcheckCommand.slice(0, 2)).toEqual(['node', '-e']);
    expect(healthcheckCommand[2]).toContain('/health');
    const commands = dockerfile.stages.flatMap((stage) => [
      ...argsOf(stage, 'RUN'),
      ...argsOf(stage, 'HEALTHCHECK'),
    ]);
    expect(commands.filter((command) => /\b(curl|wget)\b/.test(command))).toEqual([]);
  });

  it('carries the OCI labels, the version from a build argument', () => {
    const labels = Object.assign({}, ...argsOf(runtime, 'LABEL').map(keyValues)) as Record<string, string>;
    expect(labels).toMatchObject({
      'org.opencontainers.image.title': 'aaisp-exporter',
      'org.opencontainers.image.licenses': 'MIT',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile's own ${VERSION}, as written
      'org.opencontainers.image.version': '${VERSION}',
    });
    expect(labels['org.opencontainers.image.description']).toMatch(/AAISP/);
    expect(labels['org.opencontainers.image.source']).toMatch(/^https:\/\//);
    expect(argsOf(runtime, 'ARG').some((arg) => arg.startsWith('VERSION'))).toBe(true);
  });

  it('is the file the release workflow builds, from the repository root', () => {
    const script = readRepoFile('.github/scripts/image.sh');
    expect(script).toContain('--file deploy/Dockerfile');
    expect(script).toContain('--build-arg "VERSION=');
  });

  it('gets a build context without host installs, builds, secrets or the .git directory', () => {
    for (const pattern of ['**/node_modules', '**/dist', '**/.env', '.git', 'deploy/secrets']) {
      expect(patterns).toContain(pattern);
    }
  });
});

describe('the image tree, built as the Dockerfile builds it (no Docker here)', () => {
  let work = '';
  let app = '';
  let exporter: ChildProcess | undefined;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'aaisp-image-'));
    // The host's environment, less what the pnpm running this test passes to its children.
    const baseEnv = Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] =>
          entry[1] !== undefined && !/^(npm_|pnpm_|NODE_OPTIONS$|INIT_CWD$|VITEST)/i.test(entry[0]),
      ),
    );
    if (buildStage === undefined) throw new Error('deploy/Dockerfile has no stage named build');
    replayStage(buildStage, { context: repoRoot, patterns, root: join(work, 'build'), baseEnv });
    app = join(work, 'build', deployedPath);
  }, 240_000);

  afterAll(() => {
    exporter?.kill('SIGKILL');
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('holds the exporter, its production dependencies and the libraries dist/ only', () => {
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const source = JSON.parse(readRepoFile('apps/exporter/package.json')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(Object.keys(source.dependencies).sort());
    expect(manifest.devDependencies ?? {}).toEqual({});

    const installed = readdirSync(join(app, 'node_modules', '.pnpm'));
    const development = [
      ...Object.keys(source.devDependencies),
      ...Object.keys(
        (JSON.parse(readRepoFile('package.json')) as { devDependencies: object }).devDependencies,
      ),
      'vite',
      'esbuild',
      'typescript',
      'vitest',
      'pino-pretty',
    ];
    const inTree = (name: string): string[] =>
      installed.filter((entry) => entry.startsWith(`${name.replace('/', '+')}@`));
    for (const name of development) expect(inTree(name), `${name} in the image`).toEqual([]);
    // msw is an optional peer of @aaisp/chaos-mock, for its /msw subpath only: the demo's server
    // mock runs without it, so neither msw nor its dependency tree ships.
    expect(manifest.dependencies).not.toHaveProperty('msw');
    const mswTree = ['msw', '@mswjs/interceptors', '@msw/url', '@inquirer/core', 'tough-cookie', 'graphql'];
    for (const name of mswTree) expect(inTree(name), `${name} in the image`).toEqual([]);
    for (const library of ['chaos-client', 'chaos-mock', 'collectors']) {
      const dir = join(app, 'node_modules', '@aaisp', library);
      expect(existsSync(join(dir, 'dist', 'index.js')), `${library} dist`).toBe(true);
      expect(existsSync(join(dir, 'src')), `${library} src`).toBe(false);
    }
  });

  it('holds the built exporter, and no source, test, script or test artifact of it', () => {
    expect(readdirSync(app).sort()).toEqual(
      [
        'LICENSE',
        'README.md',
        'bin',
        'node_modules',
        'package.json',
        'pnpm-lock.yaml',
        'pnpm-workspace.yaml',
        'dist',
      ].sort(),
    );
    // JavaScript and source maps only: no TypeScript, so no test and no test certificate helper.
    expect(readdirSync(join(app, 'dist')).filter((file) => !/\.js(\.map)?$/.test(file))).toEqual([]);
    expect(existsSync(join(app, 'dist', 'main.js'))).toBe(true);
    // Third-party packages ship their own tests; the size bound catches an accidental devDependency.
    expect(treeSize(app).bytes).toBeLessThan(60 * 1024 * 1024);
  });

  it('runs the aaisp-exporter bin too (without the source condition the repository needs)', () => {
    const result = spawnSync(process.execPath, [join(app, 'bin', 'aaisp-exporter.js'), '--version'], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('serves --demo from the ENTRYPOINT, answers the HEALTHCHECK and stops on SIGTERM', async () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(24);
    const [, ...entryArgs] = entrypoint;
    const env = loopbackEnv(runtimeEnv);
    const child = spawn(process.execPath, [...entryArgs, '--demo'], { cwd: app, env, stdio: 'pipe' });
    exporter = child;
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    // '' once the process has exited without logging it, so the failure shows its output at once.
    const url = await waitFor(
      'the exporter to log its URL',
      () => listeningUrl(output) ?? (child.exitCode === null ? undefined : ''),
      { limitMs: 15_000 },
    );
    expect(url, output).not.toBe('');

    expect((await fetch(`${url}/health`)).status).toBe(200);
    await waitForReady(url, { limitMs: 15_000 });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^aaisp_broadband_lines 7$/m);

    // The HEALTHCHECK command itself, with the container's port variable pointing at this server.
    const port = new URL(url).port;
    const [, ...checkArgs] = healthcheckCommand;
    const check = (onPort: string) =>
      spawnSync(process.execPath, checkArgs, {
        env: { ...env, AAISP_EXPORTER_SERVER__PORT: onPort },
        timeout: 10_000,
      }).status;
    expect(check(port)).toBe(0);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).not.toMatch(/"level":(50|60)/);
    expect(check(port)).toBe(1);
  }, 40_000);
});
