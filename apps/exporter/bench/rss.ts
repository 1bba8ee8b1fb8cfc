/**
 * Memory as the suite reports it.
 *
 * @module
 */

/** RSS, live heap and memory held outside the heap (Buffers), after a forced GC. */
export function memoryAfterGc(): { rssBytes: number; heapUsedBytes: number; externalBytes: number } {
  globalThis.gc?.();
  const memory = process.memoryUsage();
  return { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, externalBytes: memory.external };
}
