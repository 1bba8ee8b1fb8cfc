/**
 * The floor: a bare `node:http` server on loopback that answers every request with the same bytes
 * the exporter's `/metrics` answered. Whatever the exporter costs above this is its own work
 * (routing, protection, rendering); below it nothing on this machine can go.
 *
 * @module
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running floor server. */
export interface FloorServer {
  /** The URL to load, e.g. `http://127.0.0.1:41234/metrics`. */
  readonly url: string;
  /** Stops listening and drops the load generator's keep-alive sockets. */
  close(): Promise<void>;
}

/**
 * Serves `body` from memory with `contentType` (and `contentEncoding`, for the exporter's gzipped
 * answer) on a free loopback port.
 */
export async function startFloor(
  body: Buffer,
  contentType: string,
  contentEncoding?: string,
): Promise<FloorServer> {
  const headers: Record<string, string | number> = {
    'content-type': contentType,
    'content-length': body.length,
  };
  if (contentEncoding !== undefined) headers['content-encoding'] = contentEncoding;
  const server = createServer((_request, response) => {
    response.writeHead(200, headers);
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error('floor server has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
