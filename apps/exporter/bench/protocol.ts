/**
 * The messages between the suite and its child process ({@link ./child.ts}), which holds the floor
 * server on its own, so its CPU is its own and not the load generator's or the mock's. Messages
 * cross IPC as plain JSON and are checked on arrival.
 *
 * @module
 */

import { isRecord } from '../src/is-record.ts';

/** What the suite asks of the child. */
export type Request =
  | {
      readonly kind: 'floor';
      readonly bodyBase64: string;
      readonly contentType: string;
      /** `gzip` when the body is the exporter's gzipped answer. */
      readonly contentEncoding?: string | undefined;
    }
  | { readonly kind: 'stop' };

/** What the child answers. */
export type Reply =
  | { readonly kind: 'floor'; readonly url: string }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'error'; readonly message: string };

/** Checks a message the child received. */
export function toRequest(value: unknown): Request | undefined {
  if (!isRecord(value)) return undefined;
  const { kind } = value;
  if (kind === 'floor' && typeof value.bodyBase64 === 'string' && typeof value.contentType === 'string') {
    const { contentEncoding } = value;
    if (contentEncoding !== undefined && typeof contentEncoding !== 'string') return undefined;
    return { kind, bodyBase64: value.bodyBase64, contentType: value.contentType, contentEncoding };
  }
  if (kind === 'stop') return { kind };
  return undefined;
}

/** Checks a message the suite received. */
export function toReply(value: unknown): Reply | undefined {
  if (!isRecord(value)) return undefined;
  const { kind } = value;
  if (kind === 'floor' && typeof value.url === 'string') return { kind, url: value.url };
  if (kind === 'stopped') return { kind };
  if (kind === 'error' && typeof value.message === 'string') return { kind, message: value.message };
  return undefined;
}

/** Now as epoch ms with sub-millisecond resolution, comparable between processes. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}
