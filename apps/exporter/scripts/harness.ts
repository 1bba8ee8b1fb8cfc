/**
 * What the load and soak scripts and the bench share, and the tests do not: an exporter
 * configuration aimed at a local `@aaisp/chaos-mock`, Prometheus' `Accept` headers, and reading
 * whole-number arguments. What the tests share with them (the test configuration, `waitFor`,
 * `waitForReady`, the exposition parser) is in `harness/`.
 *
 * @module
 */

import { testExporterConfig } from '../harness/exporter-config.ts';
import type { ExporterConfig } from '../src/config/config.ts';

/** The knobs the scripts turn; everything else is the exporter's default. */
export interface MockConfigOptions {
  /** The mock's base URL (`RunningChaosMock.url`). */
  readonly baseUrl: string;
  readonly intervals?: ExporterConfig['intervals'];
  readonly timeoutSeconds?: number;
  readonly maxRetries?: number;
  /** Turn on the slow tier's collectors too (off by default, as in the exporter). */
  readonly telephonyAndLogin?: boolean;
}

/**
 * Builds an {@link ExporterConfig} for one account with the mock's credentials, listening on a
 * free loopback port. Built directly rather than through `loadConfig`, so intervals below the
 * environment's 10 s floor are allowed (the soak wants every tier every second).
 */
export function mockExporterConfig(options: MockConfigOptions): ExporterConfig {
  const slowTier = options.telephonyAndLogin === true;
  return testExporterConfig(options.baseUrl, {
    intervals: options.intervals ?? {
      fastSeconds: 60,
      mediumSeconds: 300,
      slowSeconds: 900,
      cqmSeconds: 300,
    },
    api: {
      baseUrl: options.baseUrl,
      timeoutSeconds: options.timeoutSeconds ?? 30,
      maxRetries: options.maxRetries ?? 3,
      concurrencyLimit: 5,
    },
    collectors: {
      enabled: { broadband: true, telephony: slowTier, login: slowTier },
      includePostcode: false,
    },
  });
}

/** The `Accept` header Prometheus sends, per exposition format (for OpenMetrics, its default). */
export const ACCEPT_HEADERS = {
  text: 'text/plain;version=0.0.4;q=1,*/*;q=0.1',
  openmetrics:
    'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
} as const;

/**
 * Reads a whole-number command-line argument.
 * @throws {RangeError} naming the option when the text is not a whole number ≥ `min`.
 */
export function wholeNumberArg(name: string, text: string, min = 1): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min) throw new RangeError(`--${name} must be a whole number ≥ ${min}`);
  return value;
}

/**
 * The script's own arguments. `pnpm load -- --lines 10` from the root hands the `--` on through
 * the nested `pnpm --filter`, and `parseArgs` would read everything after it as positionals.
 */
export function scriptArgs(argv: readonly string[] = process.argv.slice(2)): string[] {
  return argv[0] === '--' ? argv.slice(1) : [...argv];
}

/** Bytes as MB (10^6 bytes), two decimals. */
export function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(2);
}
