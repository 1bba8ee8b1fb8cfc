/**
 * A free TCP port, for a process that must be told its port on the command line (Prometheus), or
 * whose start-up line a test cannot read (an exporter writing into a dead pipe).
 *
 * @module
 */

import { once } from 'node:events';
import { createServer } from 'node:net';

/** A port on loopback that was free a moment ago (another process may take it meanwhile). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
