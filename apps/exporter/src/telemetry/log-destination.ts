/**
 * Where the log lines go: stdout, in a way that never blocks the event loop and never throws, so
 * a dead pipe (a log shipper that died), a full one (a reader that stopped) or a paused terminal
 * cannot keep the exporter from serving or from stopping within its 5 s. Lines that cannot be
 * written are dropped and counted.
 *
 * @module
 */

import { constants, openSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import type { DestinationStream } from 'pino';
import { errorCode } from '../error-code.ts';

/** The part of a Node writable stream that {@link safeDestination} uses; `process.stdout` is one. */
export interface LogSink {
  write(chunk: string): boolean;
  /** Bytes accepted but not yet written out (a pipe nobody reads makes it grow). */
  readonly writableLength: number;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** A pino destination that also tells how many lines it could not write. */
export interface SafeDestination extends DestinationStream {
  /** Lines dropped: the sink had failed, was too far behind, or threw. */
  readonly dropped: number;
}

/** How far behind stdout may fall (bytes queued in the process) before lines are dropped. */
export const MAX_QUEUED_LOG_BYTES: number = 1024 * 1024;

/**
 * A pino destination over a Node writable stream (`process.stdout`) that never throws, never
 * blocks and never queues without bound.
 *
 * pino's own stdout destination (sonic-boom) is why a stop used to hang: with the reader of a
 * stdout pipe gone, its flush at `process.exit` retries the `EPIPE` write forever, 100 ms apart,
 * and it does the same with a full pipe (`EAGAIN`), so the process never ends. Node's stdout
 * stream instead writes a pipe without blocking (it queues what the pipe cannot take yet, and
 * `process.exit` does not wait for that queue), writes files synchronously, and reports a failed
 * write as an `'error'` event, which this destination listens to: without a listener, that event
 * would be an uncaught exception. After an error (`EPIPE` is final for a pipe, and a stream that
 * failed once stays failed) lines are dropped; lines are also dropped while more than `maxQueued`
 * bytes wait, so a stdout nobody reads costs bounded memory.
 *
 * @example
 * ```ts
 * const logger = pino({}, safeDestination(process.stdout));
 * ```
 */
export function safeDestination(sink: LogSink, maxQueued: number = MAX_QUEUED_LOG_BYTES): SafeDestination {
  let failed = false;
  let dropped = 0;
  sink.on('error', () => {
    failed = true;
  });
  return {
    get dropped() {
      return dropped;
    },
    write(line: string): void {
      if (failed || sink.writableLength >= maxQueued) {
        dropped += 1;
        return;
      }
      try {
        sink.write(line);
      } catch {
        // E.g. a file on a full disk (stdout as a file is written synchronously).
        failed = true;
        dropped += 1;
      }
    },
  };
}

/** Writes bytes to a descriptor and answers how many it took: `fs.writeSync`'s shape. */
export type WriteToFd = (fd: number, bytes: Uint8Array) => number;

/** How long a {@link nonBlockingSink} whose descriptor took nothing waits before it tries again. */
export const LOG_RETRY_MS = 100;

/** What {@link nonBlockingSink} may be given besides the descriptor. */
export interface NonBlockingSinkOptions {
  /** Default: `fs.writeSync`. */
  readonly write?: WriteToFd | undefined;
  /** Default: {@link LOG_RETRY_MS}. */
  readonly retryMs?: number | undefined;
}

/** Whether `error` is the answer of a non-blocking descriptor that cannot take more just now. */
function isTryAgain(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'EAGAIN' || code === 'EINTR';
}

/**
 * A {@link LogSink} over a descriptor opened non-blocking (a terminal: see
 * {@link stdoutDestination}). Each write is one `write(2)` that returns at once: what the
 * descriptor does not take (`EAGAIN`, or part of a line) is kept, in order, and tried again every
 * `retryMs` by a timer that keeps no process alive; `writableLength` counts it, so that
 * {@link safeDestination} drops lines while too much waits. Any other failure (`EIO`: the terminal
 * is gone) is an `'error'` event, after which nothing more is written. Nothing here runs on the
 * threadpool or in a worker thread: `process.exit` joins those, and a write stuck there would hold
 * the exit.
 *
 * @example
 * ```ts
 * const fd = openSync('/dev/pts/3', constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
 * const logger = pino({}, safeDestination(nonBlockingSink(fd)));
 * ```
 */
export function nonBlockingSink(fd: number, options: NonBlockingSinkOptions = {}): LogSink {
  const write = options.write ?? ((to: number, bytes: Uint8Array) => writeSync(to, bytes));
  const retryMs = options.retryMs ?? LOG_RETRY_MS;
  const pending: Uint8Array[] = [];
  const listeners: Array<(error: Error) => void> = [];
  let pendingBytes = 0;
  let failed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const fail = (error: unknown): void => {
    failed = true;
    pending.length = 0;
    pendingBytes = 0;
    clearTimeout(retry);
    const reported = error instanceof Error ? error : new Error(String(error));
    for (const listener of listeners) listener(reported);
  };
  const later = (): void => {
    retry = setTimeout(() => {
      retry = undefined;
      flush();
    }, retryMs);
    // A terminal that stays paused must not keep the process alive: its last lines are then lost.
    retry.unref();
  };
  const flush = (): void => {
    for (let head = pending[0]; head !== undefined; head = pending[0]) {
      let taken: number;
      try {
        taken = write(fd, head);
      } catch (error) {
        if (isTryAgain(error)) later();
        else fail(error);
        return;
      }
      pendingBytes -= taken;
      if (taken < head.length) {
        pending[0] = head.subarray(taken);
        later();
        return;
      }
      pending.shift();
    }
  };

  return {
    get writableLength() {
      return pendingBytes;
    },
    on(_event: 'error', listener: (error: Error) => void) {
      listeners.push(listener);
    },
    write(chunk: string): boolean {
      if (failed) return false;
      const bytes = Buffer.from(chunk);
      pending.push(bytes);
      pendingBytes += bytes.length;
      // With lines already waiting, the retry timer writes this one after them.
      if (pending.length === 1) flush();
      return pendingBytes === 0;
    },
  };
}

/**
 * A new description of the terminal on `fd`, opened non-blocking; undefined when `fd` is no
 * terminal, or this is not Linux, or the terminal cannot be opened again.
 *
 * Not `O_NONBLOCK` on `fd` itself: its description is shared with the shell and whatever else
 * writes to the terminal, whose writes would then fail with `EAGAIN`. Linux's `/proc/self/fd/N`
 * opens the same terminal anew (as libuv itself does for the terminals it writes).
 */
function reopenTerminal(fd: number): number | undefined {
  if (process.platform !== 'linux' || !isatty(fd)) return undefined;
  try {
    return openSync(`/proc/self/fd/${fd}`, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    return undefined;
  }
}

/**
 * A new destination for this process's stdout, {@link createLogger}'s default: never throws,
 * never blocks the event loop, never holds up the exit, queues at most {@link MAX_QUEUED_LOG_BYTES}.
 *
 * A pipe or a file: `process.stdout`, through {@link safeDestination}. A terminal: Node writes it
 * synchronously, so one that takes nothing (output paused with Ctrl-S, a pseudo-terminal nobody
 * reads) would stop the whole event loop, signal handlers and the stop's time limit included;
 * on Linux it is written through a non-blocking description of its own ({@link nonBlockingSink})
 * instead. Elsewhere a terminal is written through `process.stdout`, and can still hold the process.
 *
 * Each call makes its own (an error listener on `process.stdout`, or a descriptor): one root
 * logger per process, and children of it.
 *
 * @example
 * ```ts
 * const logger = pino({}, stdoutDestination());
 * ```
 */
export function stdoutDestination(): SafeDestination {
  const terminal = reopenTerminal(1);
  return safeDestination(terminal === undefined ? process.stdout : nonBlockingSink(terminal));
}
