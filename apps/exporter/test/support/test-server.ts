/**
 * The exporter's HTTP server on a free loopback port, for the endpoint tests: an empty snapshot
 * (the status page's line rows as its summary), fresh self-metrics, no tiers and no accounts,
 * unless the test passes its own.
 *
 * @module
 */

import { Registry } from 'prom-client';
import { createExporterServer, type ServerDeps } from '../../src/http/server.ts';
import { lineRowsOf } from '../../src/status-page/line-summary.ts';
import { createSnapshotStore } from '../../src/store/snapshot.ts';
import { createSelfMetrics } from '../../src/telemetry/self-metrics.ts';

/** A listening test server. */
export interface TestServer {
  /** `http://127.0.0.1:PORT` (`https://` with TLS). */
  readonly base: string;
  readonly port: number;
  /** Closes every connection, then the server. */
  close(): Promise<void>;
}

/** Starts the server with `deps` over the defaults. */
export async function startTestServer(deps: Partial<ServerDeps> = {}): Promise<TestServer> {
  const server = createExporterServer({
    store: createSnapshotStore({ summarize: lineRowsOf }),
    self: createSelfMetrics(new Registry(), { version: '0.0.0-test', nodeVersion: process.version }, false),
    tiers: () => [],
    version: '0.0.0-test',
    demo: false,
    accounts: [],
    ...deps,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    base: `${deps.web?.tls === undefined ? 'http' : 'https'}://127.0.0.1:${address.port}`,
    port: address.port,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
