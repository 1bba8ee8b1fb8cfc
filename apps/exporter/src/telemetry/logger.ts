/**
 * The exporter's logger: pino, writing logfmt (the default, as Prometheus logs) or JSON lines to
 * stdout, with levels as words, ISO-8601 times, and passwords and postcodes redacted wherever
 * they appear. Both formats are written in-process, on the event loop: logging never throws,
 * never blocks the process on a stdout nobody reads (a pipe, a file, or on Linux a terminal), and
 * never holds up its exit (see {@link stdoutDestination}); no worker thread or transport is used.
 *
 * @module
 */

import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import type { ExporterConfig } from '../config/config.ts';
import { stdoutDestination } from './log-destination.ts';
import { errorSerializer } from './log-error.ts';
import { logfmtDestination } from './logfmt.ts';

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

/** What {@link createLogger} needs besides the config. */
export interface LoggerTarget {
  /** Where the lines go (logfmt or JSON, per the config). Default: a new {@link stdoutDestination}. */
  readonly destination?: DestinationStream | undefined;
}

/** The levels at which a bug's error (one without a `kind` or `code`) is logged with its stack. */
const STACK_LEVELS: ReadonlySet<ExporterConfig['logging']['level']> = new Set(['debug', 'trace']);

/**
 * Creates the root logger. Components take children (`logger.child({ tier: 'fast' })`), and put
 * facts in fields with a constant message; errors go under `err`, written by
 * {@link errorSerializer}: an expected failure as its `kind` or `code` and message on one line, a
 * bug with its class, and with its stack at `debug` and `trace`. Without `target.destination`,
 * each call writes through a new {@link stdoutDestination}, shared with nothing.
 *
 * @example
 * ```ts
 * const logger = createLogger({ level: 'info', format: 'logfmt' });
 * logger.info({ port: 9099 }, 'exporter listening');
 * // time=2026-12-05T06:00:00.000Z level=info msg="exporter listening" service=aaisp-exporter port=9099
 * ```
 */
export function createLogger(logging: ExporterConfig['logging'], target: LoggerTarget = {}): Logger {
  const options: LoggerOptions = {
    level: logging.level,
    base: { service: 'aaisp-exporter' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: errorSerializer(STACK_LEVELS.has(logging.level)) },
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
  };
  const destination = target.destination ?? stdoutDestination();
  return pino(options, logging.format === 'logfmt' ? logfmtDestination(destination) : destination);
}
