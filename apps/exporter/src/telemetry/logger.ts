/**
 * The exporter's logger: pino JSON to stdout, pretty only on a terminal (pino-pretty is a dev
 * dependency, absent from the image), with passwords and postcodes redacted wherever they appear.
 * Logging never throws, never blocks the process on a stdout nobody reads, and never holds up its
 * exit: see {@link safeDestination}.
 *
 * @module
 */

import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import type { ExporterConfig } from '../config/config.ts';

const SECRET_KEYS = [
  'password',
  'controlPassword',
  'accountPassword',
  'control_password',
  'account_password',
  'authorization',
  // Postcodes are personal data: they stay out of logs as they stay out of metrics by default.
  'postcode',
];

/** pino redact paths: each secret key at the top level and up to three levels down. */
export const REDACT_PATHS: readonly string[] = SECRET_KEYS.flatMap((key) => [
  key,
  `*.${key}`,
  `*.*.${key}`,
  `*.*.*.${key}`,
]);

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

/** One destination for stdout however many loggers write to it: each would add an error listener. */
let stdoutDestination: SafeDestination | undefined;

function stdout(): SafeDestination {
  stdoutDestination ??= safeDestination(process.stdout);
  return stdoutDestination;
}

/** What {@link createLogger} needs besides the config. */
export interface LoggerTarget {
  /** Where JSON lines go. Default: stdout, through {@link safeDestination}. */
  readonly destination?: DestinationStream | undefined;
  /** Whether stdout is a terminal (pretty output is only for people). */
  readonly isTty?: boolean | undefined;
}

function prettyAvailable(): boolean {
  try {
    import.meta.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates the root logger. Components take children (`logger.child({ tier: 'fast' })`), and put
 * facts in fields with a constant message; errors go under `err`.
 */
export function createLogger(logging: ExporterConfig['logging'], target: LoggerTarget = {}): Logger {
  const options: LoggerOptions = {
    level: logging.level,
    base: { service: 'aaisp-exporter' },
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
  };
  if (!logging.json && target.isTty === true && target.destination === undefined && prettyAvailable()) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return pino(options, target.destination ?? stdout());
}
