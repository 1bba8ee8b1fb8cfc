/**
 * The exporter's logger: pino JSON to stdout, pretty only on a terminal (pino-pretty is a dev
 * dependency, absent from the image), with passwords and postcodes redacted wherever they appear.
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

/** What {@link createLogger} needs besides the config. */
export interface LoggerTarget {
  /** Where JSON lines go. Default: stdout. */
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
  return target.destination ? pino(options, target.destination) : pino(options);
}
