/**
 * The one way the exporter makes an SDK client for a configured account, so serving and `record`
 * talk to CHAOS with the same base URL, timeout, retries and user agent.
 *
 * @module
 */

import { type ChaosClient, type ChaosHooks, createChaosClient } from '@aaisp/chaos-client';
import type { AccountConfig, ExporterConfig } from '../config/config.ts';

/** What {@link createAccountClient} needs besides the account. */
export interface AccountClientOptions {
  readonly api: ExporterConfig['api'];
  /** The configured base URL, or the demo CHAOS's. */
  readonly baseUrl: string;
  /** e.g. `aaisp-exporter/1.2.3`. */
  readonly userAgent: string;
  readonly hooks?: ChaosHooks | undefined;
}

/** A CHAOS client for `account`, configured from the exporter's `api` settings. */
export function createAccountClient(account: AccountConfig, options: AccountClientOptions): ChaosClient {
  return createChaosClient({
    auth: account.auth,
    baseUrl: options.baseUrl,
    timeout: options.api.timeoutSeconds * 1000,
    retry: options.api.maxRetries,
    userAgent: options.userAgent,
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
  });
}
