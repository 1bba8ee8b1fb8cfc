/**
 * The child process of the suite: starts the exporter (or the floor server) when asked, reports
 * its own RSS after a GC, stops when told. Started by {@link ./remote.ts} with `--expose-gc`.
 *
 * @module
 */

import { pino } from 'pino';
import packageJson from '../package.json' with { type: 'json' };
import { mockExporterConfig } from '../scripts/harness.ts';
import { type App, startApp } from '../src/app.ts';
import { type FloorServer, startFloor } from './floor.ts';
import { epochMs, type Reply, type Request, toRequest } from './protocol.ts';
import { memoryAfterGc } from './rss.ts';

let app: App | undefined;
let floor: FloorServer | undefined;

function send(reply: Reply): void {
  process.send?.(reply);
}

async function handle(request: Request): Promise<Reply> {
  switch (request.kind) {
    case 'exporter': {
      const startedAt = epochMs();
      app = await startApp(mockExporterConfig({ baseUrl: request.baseUrl }), {
        logger: pino({ level: 'silent' }),
        version: packageJson.version,
        demo: false,
      });
      // Synchronous, so the first fast-tier run (queued on the loop) cannot have started yet.
      return { kind: 'exporter', url: app.url, startedAt, rssBytes: memoryAfterGc().rssBytes };
    }
    case 'floor':
      floor = await startFloor(Buffer.from(request.bodyBase64, 'base64'), request.contentType);
      return { kind: 'floor', url: floor.url };
    case 'rss':
      return { kind: 'rss', ...memoryAfterGc() };
    case 'stop':
      await app?.stop();
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
