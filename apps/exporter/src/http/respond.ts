/**
 * How every endpoint answers: always with a `Content-Length` (bodies are known in full before the
 * first byte goes out), never cached, never sniffed.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_TYPES, type ExpositionFormat } from '@aaisp/collectors';
import type { GzipEncoder } from './gzip.ts';
import { acceptsGzip } from './negotiate.ts';

/** The content type of every plain-text answer: errors, refusals and hints. */
export const TEXT = 'text/plain; charset=utf-8';

/** The methods every endpoint serves: the `Allow` header of a 405. */
export const ALLOW = 'GET, HEAD';

/** A body, or its parts in order (a cached buffer is written as it is, never copied or re-encoded). */
export type Body = string | Buffer | readonly (string | Buffer)[];

/**
 * Writes a whole response: `status`, `type`, the length of `body`, `no-store` and `nosniff`, then
 * `extra` (which wins over those), then the body part by part. Headers already set on `res` (the
 * web-config `headers`) go out too.
 */
export function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: Body,
  extra: Record<string, string> = {},
): void {
  const parts = typeof body === 'string' || Buffer.isBuffer(body) ? [body] : body;
  let length = 0;
  for (const part of parts) length += typeof part === 'string' ? Buffer.byteLength(part) : part.length;
  res.writeHead(status, {
    'content-type': type,
    'content-length': String(length),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...extra,
  });
  for (const part of parts) res.write(part);
  res.end();
}

/**
 * An exposition: the first `headParts` of the snapshot's `cached` parts, then `tail`, gzipped when
 * the client accepts it. Both vary with the request's `Accept` (format) and `Accept-Encoding`.
 */
export async function sendExposition(
  req: IncomingMessage,
  res: ServerResponse,
  gzip: GzipEncoder,
  format: ExpositionFormat,
  cached: readonly Buffer[],
  headParts: number,
  tail: readonly (string | Buffer)[],
): Promise<void> {
  const vary = { vary: 'Accept, Accept-Encoding' };
  if (!acceptsGzip(req.headers['accept-encoding'])) {
    return send(res, 200, CONTENT_TYPES[format], [...cached.slice(0, headParts), ...tail], vary);
  }
  const body = await gzip.encode(cached, headParts, tail);
  send(res, 200, CONTENT_TYPES[format], body, { ...vary, 'content-encoding': 'gzip' });
}

/** A JSON document, indented for people reading it with `curl`, ending in a newline. */
export function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(value, null, 2)}\n`);
}
