/**
 * Memory as the suite reports it.
 *
 * @module
 */

/** Live RSS after a forced garbage collection (when Node runs with `--expose-gc`). */
export function rssAfterGc(): number {
  globalThis.gc?.();
  return process.memoryUsage().rss;
}

/** RSS, live heap and memory held outside the heap (Buffers), after a forced GC. */
export function memoryAfterGc(): { rssBytes: number; heapUsedBytes: number; externalBytes: number } {
  globalThis.gc?.();
  const memory = process.memoryUsage();
  return { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, externalBytes: memory.external };
}
