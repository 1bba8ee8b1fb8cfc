/**
 * The `record` command: one SDK client per configured account (or the demo account), then
 * {@link recordAccounts}.
 *
 * @module
 */

import { createAccountClient } from '../chaos/account-client.ts';
import type { ExporterConfig } from '../config/config.ts';
import { exporterUserAgent } from '../user-agent.ts';
import { type RecordedCommand, recordAccounts } from './record.ts';

/** What the command line adds to the configuration. */
export interface RecordCommandOptions {
  readonly demo: boolean;
  readonly outDir: string;
  readonly version: string;
}

/** Records every configured account into `outDir`; see `record.ts`. */
export async function record(
  config: ExporterConfig,
  options: RecordCommandOptions,
): Promise<RecordedCommand[]> {
  // Loaded only for --demo, as in app.ts.
  const demo = options.demo ? await (await import('../demo/demo.ts')).startDemoChaos() : undefined;
  try {
    const baseUrl = demo?.baseUrl ?? config.api.baseUrl;
    // One User-Agent for everything record sends: CHAOS calls and CQM fetches alike.
    const userAgent = exporterUserAgent(options.version, 'record');
    const accounts = (demo?.accounts ?? config.accounts).map((account) => {
      const { auth } = account;
      const secrets = 'accountPassword' in auth ? [auth.accountPassword] : [auth.controlPassword];
      return {
        name: account.name,
        login: auth.controlLogin,
        secrets,
        cqm: account.cqm,
        client: createAccountClient(account, {
          api: config.api,
          baseUrl,
          userAgent,
        }),
      };
    });
    return await recordAccounts({
      accounts,
      outDir: options.outDir,
      version: options.version,
      cqmTimeoutMs: config.api.timeoutSeconds * 1000,
      userAgent,
    });
  } finally {
    await demo?.mock.close();
  }
}
