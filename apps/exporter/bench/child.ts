/**
 * The floor's child process: serves the bytes it is given when asked, stops when told. Started by
 * {@link ./remote.ts}.
 *
 * @module
 */

import { type FloorServer, startFloor } from './floor.ts';
import { type Reply, type Request, toRequest } from './protocol.ts';

let floor: FloorServer | undefined;

function send(reply: Reply): void {
  process.send?.(reply);
}

async function handle(request: Request): Promise<Reply> {
  switch (request.kind) {
    case 'floor':
      floor = await startFloor(
        Buffer.from(request.bodyBase64, 'base64'),
        request.contentType,
        request.contentEncoding,
      );
      return { kind: 'floor', url: floor.url };
    case 'stop':
      await floor?.close();
      return { kind: 'stopped' };
  }
}

process.on('message', (message: unknown) => {
  const request = toRequest(message);
  if (request === undefined) {
    send({ kind: 'error', message: 'unknown request' });
    return;
  }
  handle(request).then(
    (reply) => {
      send(reply);
      if (reply.kind === 'stopped') process.disconnect();
    },
    (error: unknown) =>
      send({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
