/**
 * Signals to a real demo exporter, run from its source and through the repository's bin wrapper:
 * SIGTERM and SIGINT end it with 0 even when its stdout and stderr are pipes whose reader has
 * gone, or that are full with nobody reading; SIGHUP does not end it; and the wrapper never leaves
 * its child behind, even killed by SIGKILL. Only loopback and the built-in CHAOS mock are used.
 *
 * @module
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { CliChild } from '../../../../cli-test.shared.ts';
import { freePort } from '../../harness/free-port.ts';
import { waitFor } from '../../harness/wait.ts';
import packageJson from '../../package.json' with { type: 'json' };
import { SHUTDOWN_LIMIT_MS, type StopSignal } from '../../src/signals.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/aaisp-exporter.js', import.meta.url));

/** Waiting for an exit: the exporter's own limit, plus room for a busy machine. */
const EXIT_WAIT_MS = SHUTDOWN_LIMIT_MS + 3000;
const STOP_SIGNALS: readonly StopSignal[] = ['SIGTERM', 'SIGINT'];

/** Processes to kill after each test, whatever it left: children and the wrapper's child. */
const spawned: ChildProcess[] = [];
const pids: number[] = [];

afterEach(() => {
  for (const child of spawned.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

/** The state letter and parent of `pid`, from `/proc` (Linux); undefined when it has gone. */
function procStat(pid: number): { readonly state: string; readonly ppid: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // `comm`, in parentheses, may hold spaces and parentheses: the fields follow the last one.
  const [state = '', ppid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state, ppid: Number(ppid) };
}

/** Whether `pid` runs: a zombie nobody has reaped yet (the orphan of a killed wrapper) does not. */
function alive(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

/** The processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((candidate) => procStat(candidate)?.ppid === pid);
}

/** The environment of a demo exporter on loopback: nothing else leaks in from the machine. */
const demoEnv = (port = 0): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  AAISP_EXPORTER_SERVER__PORT: String(port),
  AAISP_EXPORTER_SERVER__HOST: '127.0.0.1',
  AAISP_EXPORTER_LOGGING__JSON: 'true',
});

/** The start-up line the tests read: where the exporter listens. */
const Listening = z.object({ msg: z.literal('exporter listening'), url: z.string() });

/** The line app.reload logs when a SIGHUP reload has applied the configuration. */
const Reloaded = z.object({ msg: z.literal('configuration reloaded'), trigger: z.literal('SIGHUP') });

/** A demo exporter whose stdout and stderr the test reads. */
interface Started {
  readonly child: CliChild;
  /** Everything it has printed so far. */
  output(): string;
  readonly url: string;
  /** The exporter's own process id: not the child's when the child is the bin wrapper. */
  readonly pid: number;
}

/**
 * Starts `node <args> --demo` and reads the output up to the start-up line. `ownGroup`: in a
 * process group of its own, as a shell puts a command it runs at a terminal.
 */
async function startDemo(args: readonly string[], ownGroup = false): Promise<Started> {
  const child = spawn(process.execPath, [...args, '--demo'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: demoEnv(),
    detached: ownGroup,
  });
  spawned.push(child);
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += String(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const listening = await waitFor(
    'the exporter to log where it listens',
    () => {
      for (const line of output.split('\n')) {
        const parsed = Listening.safeParse(parseJson(line));
        if (parsed.success) return parsed.data;
      }
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}:\n${output}`);
      return undefined;
    },
    { limitMs: 15_000 },
  );
  // The wrapper's one child is the exporter (it logs no pid).
  const [pid = -1] = args[0] === BIN ? childrenOf(child.pid ?? -1) : [child.pid ?? -1];
  pids.push(pid);
  return { child, output: () => output, url: listening.url, pid };
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Waits for `child` to exit, and answers how. */
async function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  await waitFor(
    `process ${child.pid} to exit`,
    () => (child.exitCode !== null || child.signalCode !== null ? true : undefined),
    { limitMs: EXIT_WAIT_MS },
  );
  return { code: child.exitCode, signal: child.signalCode };
}

/** The status of `GET url`, its body read to the end. */
async function statusOf(url: string): Promise<number> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
}

/** Whether writing one more byte to the non-blocking `fd` finds its pipe full. */
function pipeIsFull(fd: number): boolean {
  try {
    writeSync(fd, 'x');
    return false;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EAGAIN') return true;
    throw error;
  }
}

describe('SIGTERM and SIGINT', () => {
  it.each(STOP_SIGNALS)(
    '%s ends it with 0 when the readers of stdout and stderr are gone',
    async (signal) => {
      const { child, output } = await startDemo(['--conditions=@aaisp/source', MAIN]);
      expect(output()).toContain('demo mode');
      // The test's ends of both pipes close: the exporter's next write fails with EPIPE.
      child.stdout.destroy();
      child.stderr.destroy();
      child.kill(signal);
      expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    },
  );

  it('SIGTERM ends it with 0 while a request is still arriving (its headers half sent)', async () => {
    const { child, url } = await startDemo(['--conditions=@aaisp/source', MAIN]);
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    socket.on('error', () => undefined);
    socket.write('GET /metrics HTTP/1.1\r\nHost: exporter\r\n');
    child.kill('SIGTERM');
    try {
      expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    } finally {
      socket.destroy();
    }
  });

  it.skipIf(process.platform === 'win32')(
    'SIGTERM ends it with 0 when stdout and stderr are a pipe that is full and that nobody reads',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'aaisp-signals-'));
      const fifo = join(dir, 'stdout');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      // A reader that never reads keeps the pipe open (no EPIPE); the writer fills it up.
      const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
      const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      try {
        const block = Buffer.alloc(64 * 1024, 'x');
        while (!pipeIsFull(writer)) writeSync(writer, block);
        const port = await freePort();
        const child = spawn(process.execPath, ['--conditions=@aaisp/source', MAIN, '--demo'], {
          stdio: ['ignore', writer, writer],
          env: { ...demoEnv(port), AAISP_EXPORTER_LOGGING__LEVEL: 'trace' },
        });
        spawned.push(child);
        await waitFor(
          'the exporter to answer /health',
          async () => {
            if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}`);
            return (await statusOf(`http://127.0.0.1:${port}/health`)) === 200 ? true : undefined;
          },
          { limitMs: 15_000 },
        );
        // Still full: the exporter has not been writing to anything but this pipe.
        expect(pipeIsFull(writer)).toBe(true);
        child.kill('SIGTERM');
        expect(await exitOf(child)).toEqual({ code: 0, signal: null });
      } finally {
        closeSync(writer);
        closeSync(reader);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('SIGHUP', () => {
  it('reloads, every time, without ending the exporter; a later SIGTERM ends it with 0', async () => {
    const { child, url, output } = await startDemo(['--conditions=@aaisp/source', MAIN]);
    const reloads = () =>
      output()
        .split('\n')
        .map(parseJson)
        .filter((entry) => Reloaded.safeParse(entry).success).length;
    child.kill('SIGHUP');
    await waitFor('a reload', () => (reloads() === 1 ? true : undefined), { limitMs: 10_000 });
    child.kill('SIGHUP');
    await waitFor('a second reload', () => (reloads() === 2 ? true : undefined), { limitMs: 10_000 });
    expect(await statusOf(`${url}/health`)).toBe(200);
    // Had a SIGHUP found Node's default action, the exit would be by SIGHUP, not this code.
    child.kill('SIGTERM');
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
  });
});

// The exporter behind the wrapper is found, and watched, through /proc.
describe.skipIf(process.platform !== 'linux')('the bin wrapper (in the repository: a child Node)', () => {
  it('passes SIGTERM on: both end with 0', async () => {
    const wrapper = await startDemo([BIN]);
    expect(wrapper.pid).toBeGreaterThan(0);
    expect(wrapper.pid).not.toBe(wrapper.child.pid);
    wrapper.child.kill('SIGTERM');
    expect(await exitOf(wrapper.child)).toEqual({ code: 0, signal: null });
    expect(alive(wrapper.pid)).toBe(false);
    expect(wrapper.output()).toContain('"signal":"SIGTERM","msg":"stopped"');
  });

  it('killed by SIGKILL, leaves no exporter behind: the child sees its parent gone and stops', async () => {
    const wrapper = await startDemo([BIN]);
    wrapper.child.kill('SIGKILL');
    expect(await exitOf(wrapper.child)).toEqual({ code: null, signal: 'SIGKILL' });
    await waitFor(`the exporter (pid ${wrapper.pid}) to end`, () => (alive(wrapper.pid) ? undefined : true), {
      limitMs: EXIT_WAIT_MS,
    });
    // Its last lines went to the pipes it shares with the wrapper.
    await waitFor(
      'its last log line',
      () => (wrapper.output().includes('"msg":"stopped"') ? true : undefined),
      {
        limitMs: 5000,
      },
    );
    expect(wrapper.output()).toContain('"reason":"parent gone","msg":"stopping"');
  });

  it('passes SIGHUP on, and neither it nor its child ends', async () => {
    const wrapper = await startDemo([BIN]);
    wrapper.child.kill('SIGHUP');
    await waitFor('the reload', () => (wrapper.output().includes('"trigger":"SIGHUP"') ? true : undefined), {
      limitMs: 10_000,
    });
    expect(await statusOf(`${wrapper.url}/health`)).toBe(200);
    expect(wrapper.child.exitCode).toBe(null);
    expect(alive(wrapper.pid)).toBe(true);
    wrapper.child.kill('SIGINT');
    expect(await exitOf(wrapper.child)).toEqual({ code: 0, signal: null });
    expect(wrapper.output()).toContain('"signal":"SIGINT","msg":"stopped"');
  });

  it("a terminal's Ctrl-C (SIGINT to its whole process group) stops the exporter cleanly, once", async () => {
    const wrapper = await startDemo([BIN], true);
    process.kill(-(wrapper.child.pid ?? 0), 'SIGINT');
    expect(await exitOf(wrapper.child)).toEqual({ code: 0, signal: null });
    expect(wrapper.output()).toContain('"signal":"SIGINT","msg":"stopped"');
    expect(wrapper.output()).not.toContain('asked again while stopping');
  });

  it('ends on its own when its child does: the IPC channel keeps neither alive', async () => {
    const child = spawn(process.execPath, [BIN, '--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
    spawned.push(child);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += String(chunk);
    });
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    expect(stdout).toBe(`${packageJson.version}\n`);
  });
});
