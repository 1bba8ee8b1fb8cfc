/**
 * Just enough of Docker to check deploy/Dockerfile where there is no Docker engine: a reader for
 * its instructions, the build context as `.dockerignore` filters it, and a replay of one build
 * stage on the host (COPY from the context, WORKDIR, ENV, and RUN of pnpm). An instruction or a
 * RUN command the replay does not know fails it, so the Dockerfile cannot grow a step that the
 * image test silently skips. The bench reads the image's command from here too
 * ({@link imageRuntime}), so it runs the exporter as the image does.
 */

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { delimiter, join, matchesGlob, posix } from 'node:path';

/** The pnpm every script and CI use; the Dockerfile must install the same. */
export const PNPM_VERSION = '12.21.0';

/** One instruction, continuation lines joined. */
export interface Instruction {
  /** Upper-cased keyword: `FROM`, `RUN`, … */
  readonly keyword: string;
  /** Everything after the keyword. */
  readonly args: string;
}

/** One build stage: its `FROM` arguments and the instructions after it. */
export interface Stage {
  readonly name: string | undefined;
  /** The base image, build arguments substituted. */
  readonly image: string;
  readonly instructions: readonly Instruction[];
}

/** A parsed Dockerfile. */
export interface Dockerfile {
  /** `ARG`s before the first `FROM`, with their defaults. */
  readonly globalArgs: Readonly<Record<string, string>>;
  readonly stages: readonly Stage[];
}

/** Reads a Dockerfile: comments dropped, `\` continuations joined, `${ARG}` substituted in `FROM`. */
export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (pending === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const whole = `${pending}${line.trim()}`;
    pending = '';
    const match = /^(\S+)\s*(.*)$/.exec(whole);
    if (match) instructions.push({ keyword: (match[1] ?? '').toUpperCase(), args: match[2] ?? '' });
  }
  const globalArgs: Record<string, string> = {};
  const stages: { name: string | undefined; image: string; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      const substituted = image.replace(/\$\{(\w+)\}/g, (_, arg: string) => globalArgs[arg] ?? '');
      stages.push({
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        image: substituted,
        instructions: [],
      });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`${instruction.keyword} before the first FROM`);
      const [name = '', value = ''] = instruction.args.split('=');
      globalArgs[name] = value;
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** The arguments of every `keyword` instruction of a stage, in order. */
export function argsOf(stage: Stage | undefined, keyword: string): string[] {
  return (stage?.instructions ?? []).filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** An exec-form (JSON array) instruction's words. */
export function execForm(args: string): string[] {
  const words: unknown = JSON.parse(args);
  if (!Array.isArray(words) || !words.every((word) => typeof word === 'string')) {
    throw new Error(`not an exec-form array: ${args}`);
  }
  return words;
}

/** How the image's last stage starts the exporter: what the benchmark runs, too. */
export interface ImageRuntime {
  /** Every `ENV` of the runtime stage, merged. */
  readonly env: Readonly<Record<string, string>>;
  /** The exec-form `ENTRYPOINT`, e.g. `['node', '--optimize-for-size', 'dist/main.js']`. */
  readonly entrypoint: readonly string[];
}

/** The runtime stage's environment and entrypoint. */
export function imageRuntime(dockerfile: Dockerfile): ImageRuntime {
  const runtime = dockerfile.stages.at(-1);
  const entrypoint = argsOf(runtime, 'ENTRYPOINT')[0];
  if (runtime === undefined || entrypoint === undefined) throw new Error('the Dockerfile has no ENTRYPOINT');
  return {
    env: Object.assign({}, ...argsOf(runtime, 'ENV').map(keyValues)),
    entrypoint: execForm(entrypoint),
  };
}

/**
 * The loopback URL in the JSON log of an exporter started on 127.0.0.1, from its "exporter
 * listening" line; undefined until that line is in `log`.
 */
export function listeningUrl(log: string): string | undefined {
  return /"url":"(http:\/\/127\.0\.0\.1:\d+)".*"msg":"exporter listening"/.exec(log)?.[1];
}

/**
 * The environment to run the image's command on this machine: `PATH` and `HOME`, the image's
 * `ENV`, and a free loopback port with JSON logs, so {@link listeningUrl} finds the URL.
 */
export function loopbackEnv(runtimeEnv: Readonly<Record<string, string>>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...runtimeEnv,
    AAISP_EXPORTER_SERVER__HOST: '127.0.0.1',
    AAISP_EXPORTER_SERVER__PORT: '0',
    AAISP_EXPORTER_LOGGING__JSON: 'true',
  };
}

/** `KEY=value` pairs of an `ENV` or `LABEL` (values may be double-quoted). */
export function keyValues(args: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const match of args.matchAll(/([\w.-]+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
    const value = match[2] ?? '';
    pairs[match[1] ?? ''] = value.startsWith('"') ? (JSON.parse(value) as string) : value;
  }
  return pairs;
}

/** The words of a simple shell command: whitespace-separated, double quotes grouping. */
export function shellWords(command: string): string[] {
  if (/[;&|<>`$'(){}]/.test(command.replace(/"[^"]*"/g, ''))) {
    throw new Error(`not a simple command: ${command}`);
  }
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
}

/** The patterns of a `.dockerignore` (no `!` exceptions: this reader does not support them). */
export function dockerignorePatterns(text: string): string[] {
  const patterns = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => posix.normalize(line.replace(/^\/+/, '')).replace(/\/+$/, ''));
  const exception = patterns.find((pattern) => pattern.startsWith('!'));
  if (exception !== undefined)
    throw new Error(`.dockerignore exceptions are not supported here: ${exception}`);
  return patterns;
}

/**
 * The build context's files (paths relative to `root`, `/`-separated) that `.dockerignore` leaves
 * in. A pattern that matches a directory leaves out everything under it, as Docker does.
 */
export function contextFiles(root: string, patterns: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (patterns.some((pattern) => matchesGlob(path, pattern))) continue;
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk('');
  return files.sort();
}

/** How the replay runs pnpm: the arguments after `pnpm`, a working directory and an environment. */
export type PnpmRunner = (
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>>,
) => void;

/**
 * The command that runs pnpm PNPM_VERSION: the `pnpm` on PATH when it is that version (as when the
 * tests run under `npx -y pnpm@PNPM_VERSION test`, which puts it there), else `npx -y pnpm@…`.
 * The first saves npx a registry lookup, which fails where turbo's strict environment mode has
 * dropped the variables that configure TLS or a proxy.
 */
export function pnpmCommand(path: string = process.env.PATH ?? ''): string[] {
  for (const dir of path.split(delimiter).filter((entry) => entry !== '')) {
    const candidate = join(dir, 'pnpm');
    if (!existsSync(candidate)) continue;
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    if (version.stdout?.trim() === PNPM_VERSION) return [candidate];
  }
  return ['npx', '-y', `pnpm@${PNPM_VERSION}`];
}

/** Runs pnpm PNPM_VERSION with `args`, failing with its output when it fails. */
export const runPnpm: PnpmRunner = (args, cwd, env) => {
  const [command = 'npx', ...prefix] = pnpmCommand(env.PATH);
  const result = spawnSync(command, [...prefix, ...args], { cwd, env, encoding: 'utf8', timeout: 180_000 });
  if (result.status !== 0) {
    throw new Error(
      `pnpm ${args.join(' ')} (in ${cwd}) exited ${result.status ?? result.signal}:\n${result.stdout}${result.stderr}`,
    );
  }
};

/**
 * Replays the instructions of one build stage on the host. Absolute paths of the image live under
 * `root`; COPY takes files from `context`, filtered by `patterns`. RUN may only install pnpm
 * (skipped: the host runs the same version through npx) or run pnpm, its `--mount` cache flags
 * dropped. Returns the stage's environment (its `ENV`s).
 *
 * @throws {Error} on any instruction or command it cannot replay.
 */
export function replayStage(
  stage: Stage,
  options: {
    context: string;
    patterns: readonly string[];
    root: string;
    baseEnv: Readonly<Record<string, string>>;
  },
  pnpm: PnpmRunner = runPnpm,
): Record<string, string> {
  const env: Record<string, string> = {};
  let workdir = '/';
  const host = (path: string): string => join(options.root, posix.resolve(workdir, path));
  const context = contextFiles(options.context, options.patterns);
  for (const { keyword, args } of stage.instructions) {
    switch (keyword) {
      case 'ENV':
        Object.assign(env, keyValues(args));
        break;
      case 'WORKDIR':
        workdir = posix.resolve(workdir, args);
        mkdirSync(host('.'), { recursive: true });
        break;
      case 'COPY': {
        const words = args.split(/\s+/);
        if (words.some((word) => word.startsWith('--')))
          throw new Error(`COPY flags are not replayed: ${args}`);
        const destination = words.at(-1) ?? '.';
        for (const source of words.slice(0, -1)) {
          const prefix = posix
            .normalize(source)
            .replace(/^\.(?:\/|$)/, '')
            .replace(/\/$/, '');
          const selected = context.filter(
            (file) => prefix === '' || file === prefix || file.startsWith(`${prefix}/`),
          );
          if (selected.length === 0) throw new Error(`COPY ${source}: not in the build context`);
          for (const file of selected) {
            // A single file copied into a directory keeps its name; a directory's contents keep their paths.
            const relative =
              prefix === '' ? file : file === prefix ? posix.basename(file) : file.slice(prefix.length + 1);
            const target = join(host(destination), relative);
            mkdirSync(join(target, '..'), { recursive: true });
            cpSync(join(options.context, file), target, { verbatimSymlinks: true });
          }
        }
        break;
      }
      case 'RUN': {
        const command = args.replace(/--mount=\S+\s+/g, '').trim();
        const words = shellWords(command);
        if (words[0] === 'npm' && words.includes('--global')) {
          const pinned = words.find((word) => word.startsWith('pnpm@'));
          if (pinned !== `pnpm@${PNPM_VERSION}`)
            throw new Error(`the image installs ${pinned}, not pnpm@${PNPM_VERSION}`);
          break;
        }
        if (words[0] !== 'pnpm') throw new Error(`RUN is not replayed: ${command}`);
        const pnpmArgs = words
          .slice(1)
          .map((word) => (word.startsWith('/') ? join(options.root, word) : word));
        pnpm(pnpmArgs, host('.'), { ...options.baseEnv, ...env });
        break;
      }
      default:
        throw new Error(`${keyword} is not replayed in a build stage`);
    }
  }
  return env;
}

/** Bytes and files under `dir`, symbolic links counted as links (not followed). */
export function treeSize(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (path: string): void => {
    const stat = lstatSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) walk(join(path, entry));
    } else {
      bytes += stat.size;
      files += 1;
    }
  };
  walk(dir);
  return { bytes, files };
}
