/**
 * A process's memory as the kernel counts it, read from `/proc/PID/status` (Linux; the bench says
 * so and stops elsewhere). Read from outside, without forcing a GC: what a container's memory
 * limit and `process_resident_memory_bytes` see.
 *
 * @module
 */

import { readFileSync } from 'node:fs';

/** One reading, bytes. */
export interface ProcessMemory {
  /** Resident set: anonymous plus file-backed pages (`VmRSS`). */
  readonly rssBytes: number;
  /** Anonymous pages: heaps, stacks, V8's spaces (`RssAnon`). */
  readonly anonBytes: number;
  /** File-backed pages, mostly the `node` binary's code and data (`RssFile`). */
  readonly fileBytes: number;
  /** The highest RSS so far (`VmHWM`): what a memory limit must allow for. */
  readonly peakBytes: number;
}

function field(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (match?.[1] === undefined) throw new Error(`/proc status has no ${name}`);
  return Number(match[1]) * 1024;
}

/** Reads `pid`'s memory; throws where there is no `/proc` (the suite checks first). */
export function readProcessMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    rssBytes: field(status, 'VmRSS'),
    anonBytes: field(status, 'RssAnon'),
    fileBytes: field(status, 'RssFile'),
    peakBytes: field(status, 'VmHWM'),
  };
}
