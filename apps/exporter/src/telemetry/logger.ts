/**
 * The exporter's logger: pino JSON to stdout, pretty only on a terminal (pino-pretty is a dev
 * dependency, absent from the image), with passwords and postcodes redacted wherever they appear.
 * JSON logging never throws, never blocks the process on a stdout nobody reads (a pipe, a file, or
 * on Linux a terminal), and never holds up its exit: see {@link stdoutDestination}. The pretty
 * output is written by pino-pretty in a worker thread, which these guarantees do not cover.
 *
 * @module
 */

import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import type { ExporterConfig } from '../config/config.ts';
import { stdoutDestination } from './log-destination.ts';

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
  /** Where JSON lines go. Default: a new {@link stdoutDestination}. */
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
 * facts in fields with a constant message; errors go under `err`. Without `target.destination`,
 * each call writes through a new {@link stdoutDestination}, shared with nothing.
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
  return pino(options, target.destination ?? stdoutDestination());
}
