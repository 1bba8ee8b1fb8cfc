/**
 * The exporter as the image runs it, against a mock: `deploy/Dockerfile`'s ENTRYPOINT and ENV,
 * read from the file so the bench cannot drift from what ships, started in this package's
 * directory (the image's /app holds the same dist/ and the libraries' builds). Configured by
 * environment variables as an operator would, on a free loopback port.
 *
 * @module
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CREDENTIALS, type RunningChaosMock } from '@aaisp/chaos-mock';
import { readRepoFile } from '../harness/repo.ts';
import { type ProcessMemory, readProcessMemory } from './process-memory.ts';
import { epochMs } from './protocol.ts';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
/** A start that does not log its URL within this is broken, not slow. */
const LISTEN_LIMIT_MS = 30_000;

/** A running exporter process. */
export interface ExporterProcess {
  readonly url: string;
  readonly pid: number;
  /** Epoch ms just before the process was spawned. */
  readonly spawnedAt: number;
  /** Its memory when it logged that it listens: modules loaded, the first collection under way. */
  readonly atListening: ProcessMemory;
  /** Its memory now. */
  memory(): ProcessMemory;
  /** SIGTERM, as the image's STOPSIGNAL, and waits for the exit. */
  stop(): Promise<void>;
}

/** An exporter's command line and its environment: the image's, or the single binary's. */
export interface ImageCommand {
  /** The program: this Node for the image's command, or the single binary itself. */
  readonly program: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The runtime stage of a Dockerfile (from its last FROM): every `ENV`, merged, and the exec-form
 * `ENTRYPOINT`. Enough for deploy/Dockerfile, whose real build .ci/image.sh tests.
 */
function imageRuntime(dockerfile: string): { env: Record<string, string>; entrypoint: string[] } {
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const runtime = instructions.slice(instructions.findLastIndex((line) => /^FROM\s/i.test(line)));
  const env: Record<string, string> = {};
  let entrypoint: unknown;
  for (const line of runtime) {
    const [, keyword = '', args = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'ENTRYPOINT') entrypoint = JSON.parse(args);
    if (keyword.toUpperCase() !== 'ENV') continue;
    for (const [, name = '', value = ''] of args.matchAll(/([\w.-]+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
      env[name] = value.startsWith('"') ? String(JSON.parse(value)) : value;
    }
  }
  if (!Array.isArray(entrypoint) || !entrypoint.every((word) => typeof word === 'string')) {
    throw new Error('the Dockerfile has no exec-form ENTRYPOINT in its last stage');
  }
  return { env, entrypoint };
}

/** The loopback URL in the exporter's JSON "exporter listening" log line, once it is in `log`. */
function listeningUrl(log: string): string | undefined {
  return /"url":"(http:\/\/127\.0\.0\.1:\d+)".*"msg":"exporter listening"/.exec(log)?.[1];
}

/** Reads the image's command from deploy/Dockerfile; throws if the exporter is not built. */
export function imageCommand(): ImageCommand {
  const runtime = imageRuntime(readRepoFile('deploy/Dockerfile'));
  const [program, ...args] = runtime.entrypoint;
  if (program !== 'node') throw new Error(`the image's ENTRYPOINT runs ${program}, not node`);
  const main = args.find((arg) => !arg.startsWith('-'));
  if (main === undefined || !existsSync(join(APP_DIR, main))) {
    throw new Error(
      `apps/exporter/${main ?? 'dist/main.js'} is missing: build first (npx -y pnpm@12.21.0 build)`,
    );
  }
  return { program: process.execPath, args, env: runtime.env };
}

/** Where `pnpm build:sea` puts the single binary. */
export const SEA_BINARY: string = join(APP_DIR, 'dist-sea', 'aaisp-exporter');

/**
 * The single binary with `image`'s environment (its glibc settings; the Node flags are built
 * in), or `undefined` when it has not been built.
 */
export function seaCommand(image: ImageCommand): ImageCommand | undefined {
  if (!existsSync(SEA_BINARY)) return undefined;
  return { program: SEA_BINARY, args: [], env: image.env };
}

/**
 * Starts the image's `command` against `mock` (plus `extraEnv`, e.g. a CQM links file) and
 * resolves once it logged its URL.
 */
export async function spawnExporter(
  command: ImageCommand,
  mock: RunningChaosMock,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<ExporterProcess> {
  const env: Record<string, string> = {
    ...extraEnv,
    // PATH and HOME, the image's ENV, then a free loopback port with JSON logs (for listeningUrl).
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...command.env,
    AAISP_EXPORTER_SERVER__HOST: '127.0.0.1',
    AAISP_EXPORTER_SERVER__PORT: '0',
    AAISP_EXPORTER_LOGGING__FORMAT: 'json',
    AAISP_EXPORTER_API__BASE_URL: mock.url,
    AAISP_EXPORTER_AUTH__CONTROL_LOGIN: DEFAULT_CREDENTIALS.controlLogin,
    AAISP_EXPORTER_AUTH__CONTROL_PASSWORD: DEFAULT_CREDENTIALS.controlPassword,
  };
  const spawnedAt = epochMs();
  const child: ChildProcess = spawn(command.program, [...command.args], {
    cwd: APP_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pid = child.pid;
  if (pid === undefined) throw new Error('the exporter process did not start');

  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "exporter listening" within ${LISTEN_LIMIT_MS} ms:\n${output}`)),
      LISTEN_LIMIT_MS,
    );
    const onData = (chunk: Buffer): void => {
      // Kept only until the URL shows: the log of a long run is not the bench's business.
      output += chunk.toString('utf8');
      const found = listeningUrl(output);
      if (found !== undefined) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the exporter exited (${code}) before listening:\n${output}`));
    });
  });
  const atListening = readProcessMemory(pid);
  // Drained, or a chatty exporter would block on a full pipe.
  child.stdout?.removeAllListeners('data').resume();
  child.stderr?.removeAllListeners('data').resume();

  return {
    url,
    pid,
    spawnedAt,
    atListening,
    memory: () => readProcessMemory(pid),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`the exporter exited with ${code} on SIGTERM`);
    },
  };
}
