/**
 * Signals to a real demo exporter, run from its source and through the repository's bin wrapper:
 * SIGTERM and SIGINT end it with 0 even when its stdout and stderr are pipes whose reader has
 * gone, or that are full with nobody reading, or a terminal nobody reads; SIGHUP does not end it;
 * and the wrapper never leaves its child behind, even killed by SIGKILL, even before the child has
 * started listening. Only loopback and the built-in CHAOS mock are used.
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
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { CliChild } from '../../../../cli-test.shared.ts';
import { freePort } from '../../harness/free-port.ts';
import { sleep, waitFor } from '../../harness/wait.ts';
import packageJson from '../../package.json' with { type: 'json' };
import { SHUTDOWN_LIMIT_MS, type StopSignal } from '../../src/signals.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/aaisp-exporter.js', import.meta.url));

/** Waiting for an exit: the exporter's own limit, plus room for a busy machine. */
const EXIT_WAIT_MS = SHUTDOWN_LIMIT_MS + 3000;
const STOP_SIGNALS: readonly StopSignal[] = ['SIGTERM', 'SIGINT'];

/** A Node option that delays the start by half a second, during which the event loop runs. */
const SLOW_START = '--import=data:text/javascript,await new Promise((resolve) => setTimeout(resolve, 500))';

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
  // JSON: the tests parse the lines they wait for.
  AAISP_EXPORTER_LOGGING__FORMAT: 'json',
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

/** `stream`, asked for as a pipe: with an 'ipc' entry in `stdio`, spawn's types cannot tell. */
function piped(stream: Readable | null): Readable {
  if (stream === null) throw new Error('the test asked for a pipe');
  return stream;
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

/** The status of `GET url`, or undefined when it has not answered within a second (a frozen server). */
async function statusWithin(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

/**
 * Runs the command given as its arguments with stdout and stderr on a pseudo-terminal whose master
 * it never reads, as a terminal whose output is paused or whose window nobody looks at. It prints
 * JSON lines: `{"pid"}` first, `{"filled"}` and `{"full"}` when told `fill` or `probe` on stdin,
 * and `{"exit"}` (the return code) when the command ends. Its probes write through a description
 * of the terminal of their own, opened non-blocking: the command's is not touched.
 */
const PTY_RUNNER = `
import json, os, subprocess, sys, threading, time
master, slave = os.openpty()
probe = os.open(os.ttyname(slave), os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
os.close(slave)
lock = threading.Lock()
def say(**fields):
    with lock:
        sys.stdout.write(json.dumps(fields) + "\\n")
        sys.stdout.flush()
def full():
    try:
        os.write(probe, b"x")
        return False
    except BlockingIOError:
        return True
def fill():
    total, refused = 0, 0
    # Refused five times over 50 ms running: the terminal has taken all it will take.
    while refused < 5:
        try:
            total += os.write(probe, b"x" * 4096)
            refused = 0
        except BlockingIOError:
            refused += 1
            time.sleep(0.01)
    return total
say(pid=child.pid)
threading.Thread(target=lambda: say(exit=child.wait()), daemon=True).start()
for line in sys.stdin:
    if line.strip() == "fill":
        say(filled=fill())
    elif line.strip() == "probe":
        say(full=full())
if child.poll() is None:
    child.kill()
`;

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

// A terminal's writes are synchronous in Node: a full one used to freeze the event loop, and with
// it the signal handlers and the 5 s limit. The runner is Python: Node cannot open a terminal.
describe.skipIf(process.platform !== 'linux')('a terminal nobody reads', () => {
  it('SIGTERM ends it with 0 when stdout and stderr are a terminal that is full; it answers meanwhile', async () => {
    const port = await freePort();
    const runner = spawn(
      'python3',
      ['-c', PTY_RUNNER, process.execPath, '--conditions=@aaisp/source', MAIN, '--demo'],
      { stdio: ['pipe', 'pipe', 'pipe'], env: demoEnv(port) },
    );
    spawned.push(runner);
    let said = '';
    let stderr = '';
    runner.stdout.on('data', (chunk: Buffer) => {
      said += String(chunk);
    });
    runner.stderr.on('data', (chunk: Buffer) => {
      stderr += String(chunk);
    });
    const RunnerLine = z.object({
      pid: z.number().optional(),
      filled: z.number().optional(),
      full: z.boolean().optional(),
      exit: z.number().optional(),
    });
    /** The last value `pick` finds in what the runner said, waited for up to `limitMs`. */
    const heard = async <T>(
      what: string,
      pick: (line: z.infer<typeof RunnerLine>) => T | undefined,
      limitMs = 15_000,
    ): Promise<T> => {
      const last = () =>
        said
          .split('\n')
          .map((line) => RunnerLine.safeParse(parseJson(line)))
          .map((line) => (line.success ? pick(line.data) : undefined))
          .filter((value) => value !== undefined)
          .at(-1);
      try {
        return await waitFor(`the terminal runner to say ${what}`, last, { limitMs });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`${message}; it said:\n${said}${stderr}`, { cause: error });
      }
    };
    const pid = await heard('its pid', (line) => line.pid);
    pids.push(pid);
    const health = `http://127.0.0.1:${port}/health`;
    await waitFor(
      'the exporter to answer /health',
      async () => ((await statusWithin(health)) === 200 ? true : undefined),
      {
        limitMs: 15_000,
      },
    );

    runner.stdin.write('fill\n');
    expect(await heard('how much it wrote', (line) => line.filled)).toBeGreaterThan(0);
    // A reload logs a line into the full terminal: the exporter must go on answering all the same.
    process.kill(pid, 'SIGHUP');
    await sleep(500);
    expect(await statusWithin(health)).toBe(200);
    // Still full: nothing has read it, so every line logged since waits or was dropped.
    runner.stdin.write('probe\n');
    expect(await heard('whether the terminal is full', (line) => line.full)).toBe(true);

    process.kill(pid, 'SIGTERM');
    expect(await heard('the exit code', (line) => line.exit, EXIT_WAIT_MS)).toBe(0);
    runner.stdin.end();
  }, 45_000);
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

  it("Node's own facts that the parent-gone check relies on, before and after the channel closed", async () => {
    // Without a 'disconnect' listener, as the exporter is while it loads: what it finds afterwards.
    const report = `
      const facts = () => ({
        fd: process.env.NODE_CHANNEL_FD ?? null,
        send: typeof process.send,
        connected: process.connected ?? null,
        channel: process.channel === null ? 'null' : typeof process.channel,
      });
      const before = facts();
      setTimeout(() => console.log(JSON.stringify({ before, after: facts() })), 500);
    `;
    const child = spawn(process.execPath, ['-e', report], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    spawned.push(child);
    child.disconnect();
    let stdout = '';
    piped(child.stdout).on('data', (chunk: Buffer) => {
      stdout += String(chunk);
    });
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    expect(parseJson(stdout)).toEqual({
      // Gone from the environment as Node starts: no use for telling a channel was there.
      // process.send, which startedWithParentChannel reads, is there before and after.
      before: expect.objectContaining({ fd: null, send: 'function' }),
      after: { fd: null, send: 'function', connected: false, channel: 'null' },
    });
    const alone = spawnSync(process.execPath, ['-e', report.replace('before, after: facts()', 'before')], {
      encoding: 'utf8',
    });
    expect(parseJson(alone.stdout)).toEqual({
      before: { fd: null, send: 'undefined', connected: null, channel: 'undefined' },
    });
  });

  it('a parent gone before the exporter has even loaded still stops it: the disconnect is not missed', async () => {
    // The wrapper killed at once: its channel closes while the child is still starting, before it
    // listens for the channel's 'disconnect', which has then come and gone. Node 24 loads the
    // exporter's modules without turning the event loop, which would hide that window: a first
    // module that waits half a second opens it, as a slower loader or a slow disk would.
    const child = spawn(process.execPath, [SLOW_START, '--conditions=@aaisp/source', MAIN, '--demo'], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: demoEnv(),
    });
    spawned.push(child);
    child.disconnect();
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += String(chunk);
    };
    piped(child.stdout).on('data', collect);
    piped(child.stderr).on('data', collect);
    // Its start-up included (15 s at most on a busy machine), then the stop.
    await waitFor('the exporter to stop', () => (child.exitCode !== null ? true : undefined), {
      limitMs: 15_000 + EXIT_WAIT_MS,
    }).catch((error: unknown) => {
      throw new Error(`still running:\n${output}`, { cause: error });
    });
    expect(child.exitCode).toBe(0);
    expect(output).toContain('"reason":"parent gone","msg":"stopping"');
    expect(output).toContain('"msg":"stopped"');
  }, 45_000);

  it('ends on its own when its child does: the IPC channel keeps neither alive', async () => {
    const child = spawn(process.execPath, [BIN, '--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
    spawned.push(child);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += String(chunk);
    });
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    expect(stdout).toMatch(
      new RegExp(`^aaisp-exporter, version ${packageJson.version.replaceAll('.', '\\.')} `),
    );
  });
});
