/**
 * gzip for `/metrics` and `/probe`, when the client asks (`acceptsGzip`, in `negotiate.ts`):
 * Prometheus always sends `Accept-Encoding: gzip`, and a 10 000-line exposition is 6.4 MB as text
 * but ~0.45 MB gzipped.
 *
 * The body is the snapshot's cached parts (the head, unchanged until the next tier run) followed by
 * the self-metrics (the tail, new every second). Compressing 6.4 MB takes ~45 ms, too much for every
 * scrape, so the head is deflated once per snapshot change (on the threadpool, part by part; its
 * CRC-32, a few ms, on the main thread), each piece ending in a sync flush (byte-aligned, not the
 * final block), and each response deflates only its tail and appends it. Deflate blocks carry no state from earlier blocks
 * beyond back-references, and the tail's never reach before its own start, so head + tail is one
 * valid deflate stream; it gets one gzip header and a trailer whose CRC-32 continues from the
 * head's (`zlib.crc32`'s running value). That is a single-member gzip file any decoder reads, not a
 * concatenation of members (which some decoders stop after the first of).
 *
 * @module
 */

import { constants, crc32, deflateRaw, deflateRawSync } from 'node:zlib';

/** RFC 1952 header: magic, deflate, no flags, no mtime, no extra flags, OS unknown. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

/** A head deflated once: its stream without the final block, its CRC-32 and its length. */
interface DeflatedHead {
  readonly length: number;
  readonly deflated: Buffer;
  readonly crc: number;
  /** The last tail sent after this head, deflated: the self-metrics change at most once a second. */
  lastTail?: DeflatedTail;
}

/** A tail deflated as the end of the stream, with the gzip trailer it gives after its head. */
interface DeflatedTail {
  readonly parts: readonly (string | Buffer)[];
  readonly deflated: Buffer;
  readonly trailer: Buffer;
}

/** Same parts in the same order: the self-metrics' cached string is the same string until it changes. */
function sameParts(a: readonly (string | Buffer)[], b: readonly (string | Buffer)[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}

function deflateTail(head: DeflatedHead, parts: readonly (string | Buffer)[]): DeflatedTail {
  const bytes = Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(bytes, head.crc), 0);
  // ISIZE is the length modulo 2^32 (RFC 1952).
  trailer.writeUInt32LE((head.length + bytes.length) % 2 ** 32, 4);
  return { parts, deflated: deflateRawSync(bytes), trailer };
}

/** Deflates response bodies whose head is the snapshot's cached parts. One per server. */
export interface GzipEncoder {
  /**
   * The first `headParts` of `cached` followed by `tail`, as one gzip body in parts (written in
   * order, never joined). The head is deflated on the threadpool once per `cached` array and
   * `headParts`; concurrent requests for a new array wait for the same work. The last tail is
   * kept too, so scrapes within the same second compress nothing.
   */
  encode(
    cached: readonly Buffer[],
    headParts: number,
    tail: readonly (string | Buffer)[],
  ): Promise<readonly Buffer[]>;
}

/** One part deflated as a non-final, byte-aligned piece of a longer stream. */
function deflatePart(part: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    deflateRaw(part, { finishFlush: constants.Z_SYNC_FLUSH }, (error, deflated) => {
      if (error) reject(error);
      else resolve(deflated);
    });
  });
}

/**
 * Deflates the head part by part, never joining the parts (a large exposition is 6.4 MB): each
 * part is its own sync-flushed piece, which is valid for the reason head + tail is, and the
 * pieces are joined (~0.45 MB at 10 000 lines) so a response writes one buffer for the head.
 */
async function deflateHead(cached: readonly Buffer[], headParts: number): Promise<DeflatedHead> {
  const head = cached.slice(0, headParts);
  let crc = 0;
  let length = 0;
  for (const part of head) {
    crc = crc32(part, crc);
    length += part.length;
  }
  const pieces = await Promise.all(head.map(deflatePart));
  return { length, deflated: Buffer.concat(pieces), crc };
}

/** Creates an encoder whose cache lives as long as the snapshot's part arrays it was given. */
export function createGzipEncoder(): GzipEncoder {
  // Keyed by the snapshot's parts array: a change makes a new one, and the old entries go with
  // it. In the server each array is only ever sent with one head (its format's), but nothing here
  // relies on that.
  const heads = new WeakMap<readonly Buffer[], Map<number, Promise<DeflatedHead>>>();

  const headOf = (cached: readonly Buffer[], headParts: number): Promise<DeflatedHead> => {
    let byCount = heads.get(cached);
    if (byCount === undefined) {
      byCount = new Map();
      heads.set(cached, byCount);
    }
    const known = byCount.get(headParts);
    if (known !== undefined) return known;
    const fresh = deflateHead(cached, headParts);
    byCount.set(headParts, fresh);
    // A failed deflate (out of memory) is not cached: the next request tries again.
    const counts = byCount;
    fresh.catch(() => counts.delete(headParts));
    return fresh;
  };

  return {
    async encode(cached, headParts, tail) {
      const head = await headOf(cached, headParts);
      let last = head.lastTail;
      if (last === undefined || !sameParts(last.parts, tail)) {
        last = deflateTail(head, tail);
        head.lastTail = last;
      }
      return [GZIP_HEADER, head.deflated, last.deflated, last.trailer];
    },
  };
}
