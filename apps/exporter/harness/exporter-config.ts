/**
 * Exporter configurations for tests and scripts, built directly rather than through
 * `loadConfig`, so tiers may run faster than the environment's 10 s floor.
 *
 * @module
 */

import { DEFAULT_CREDENTIALS } from '@aaisp/chaos-mock';
import type { AccountConfig, ExporterConfig } from '../src/config/config.ts';

/**
 * An account with the mock's control login. The mock accepts one credential pair, so several
 * accounts may share it; pass the password the mock was started with, if not the default.
 */
export function mockAccount(
  name = 'default',
  password: string = DEFAULT_CREDENTIALS.controlPassword,
): AccountConfig {
  return { name, auth: { controlLogin: DEFAULT_CREDENTIALS.controlLogin, controlPassword: password } };
}

/** The design's default tier intervals, in seconds (the `INTERVALS__…` defaults). */
export const designIntervals: ExporterConfig['intervals'] = {
  fastSeconds: 60,
  mediumSeconds: 300,
  slowSeconds: 900,
  cqmSeconds: 300,
};

/**
 * Plain HTTP on a free loopback port, reading CHAOS at `baseUrl` with the mock's account, every
 * collector on, the design's default tiers, a silent log. Override any part.
 */
export function testExporterConfig(baseUrl: string, overrides: Partial<ExporterConfig> = {}): ExporterConfig {
  return {
    accounts: [mockAccount()],
    server: { host: '127.0.0.1', port: 0, enableLifecycle: false },
    state: {},
    logging: { level: 'silent', format: 'json' },
    intervals: designIntervals,
    api: { baseUrl, timeoutSeconds: 5, maxRetries: 1, concurrencyLimit: 5 },
    collectors: {
      enabled: { broadband: true, telephony: true, login: true, cqm: true },
      includePostcode: false,
    },
    web: { headers: {}, healthOpen: false },
    ...overrides,
  };
}
