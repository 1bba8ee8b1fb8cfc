/**
 * What the soak script measures of its own process: memory after a forced collection, the
 * libuv resources that keep the loop alive, and the TCP connections open to the fake CHAOS.
 *
 * @module
 */

import { readFileSync } from 'node:fs';

/** One measurement. */
export interface ResourceSample {
  readonly rssBytes: number;
  /** After `global.gc()` when Node runs with `--expose-gc`, so it is live heap, not garbage. */
  readonly heapUsedBytes: number;
  /** What V8 holds for its heap: RSS can grow with this while `heapUsedBytes` stays flat. */
  readonly heapTotalBytes: number;
  /** Memory outside the V8 heap that JavaScript objects own (Buffers, ArrayBuffers). */
  readonly externalBytes: number;
  /** `process.getActiveResourcesInfo()`: how many, and how many of each type. */
  readonly handles: number;
  readonly handlesByType: Readonly<Record<string, number>>;
  /**
   * Established connections from this process to `port` (the exporter's sockets to the mock),
   * from `/proc/net/tcp*`; `undefined` where that is not readable (not Linux).
   */
  readonly socketsToPort: number | undefined;
}

/** Whether heap figures come after a forced garbage collection. */
export const canForceGc: boolean = typeof globalThis.gc === 'function';

/** TCP state `01` in `/proc/net/tcp`: ESTABLISHED. */
const ESTABLISHED = '01';

/**
 * Counts established connections whose remote port is `port`. Both ends of a loopback
 * connection are listed; the client end (ours) is the one whose *remote* port is the server's.
 */
export function establishedTo(port: number): number | undefined {
  let count = 0;
  let readable = false;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    readable = true;
    for (const line of text.split('\n').slice(1)) {
      const [, , remote, state] = line.trim().split(/\s+/);
      if (state !== ESTABLISHED || remote === undefined) continue;
      const remotePort = Number.parseInt(remote.slice(remote.lastIndexOf(':') + 1), 16);
      if (remotePort === port) count++;
    }
  }
  return readable ? count : undefined;
}

/** Takes a sample; collects garbage first when it can. */
export function sampleResources(mockPort: number): ResourceSample {
  globalThis.gc?.();
  const memory = process.memoryUsage();
  const resources = process.getActiveResourcesInfo();
  const handlesByType: Record<string, number> = {};
  for (const type of resources) handlesByType[type] = (handlesByType[type] ?? 0) + 1;
  return {
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    heapTotalBytes: memory.heapTotal,
    externalBytes: memory.external,
    handles: resources.length,
    handlesByType,
    socketsToPort: establishedTo(mockPort),
  };
}

/** `TCPSocketWrap:6 Timeout:3 …`, most frequent first. */
export function formatByType(byType: Readonly<Record<string, number>>): string {
  return Object.entries(byType)
    .sort(([, a], [, b]) => b - a)
    .map(([type, count]) => `${type}:${count}`)
    .join(' ');
}
