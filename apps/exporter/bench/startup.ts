/**
 * Starts the exporter as the image does ({@link ./exporter-process.ts}) against a mock and times
 * its way to `/ready`: from the spawn, and from the moment the mock received the first
 * `broadband/info` call (what the "after the first CHAOS answer" means here: on loopback
 * the answer follows the call within a millisecond or two, and the mock counts the call, not the
 * answer).
 *
 * @module
 */

import type { RunningChaosMock } from '@aaisp/chaos-mock';
import { waitFor } from '../harness/wait.ts';
import { type ExporterProcess, type ImageCommand, spawnExporter } from './exporter-process.ts';
import { epochMs } from './protocol.ts';

/** How often the mock's counters and `/ready` are polled: fine enough for figures in tens of ms. */
const POLL_MS = 5;
/** A first run that takes longer than this is a bug, not a figure. */
const READY_LIMIT_MS = 60_000;

/** What the start measured. */
export interface Started {
  readonly exporter: ExporterProcess;
  /** Spawned → `/ready` answered 200: Node's start, module loading, the first collection. */
  readonly startToReadyMs: number;
  /** The mock counted the first `broadband/info` → `/ready` answered 200. */
  readonly firstCallToReadyMs: number;
}

/** Spawns the image's `command` aimed at `mock`, then waits for `/ready`. */
export async function startAndTime(command: ImageCommand, mock: RunningChaosMock): Promise<Started> {
  const infoCalls = (): number => mock.stats().byCommand['broadband/info'] ?? 0;
  const callsBefore = infoCalls();
  let firstCallAt: number | undefined;
  // A timer of its own, so a slow /ready fetch does not blur when the call arrived.
  const watcher = setInterval(() => {
    if (firstCallAt === undefined && infoCalls() > callsBefore) firstCallAt = epochMs();
  }, POLL_MS);
  try {
    const exporter = await spawnExporter(command, mock);
    let readyAt: number;
    try {
      readyAt = await waitFor(
        `${exporter.url}/ready to answer 200`,
        async () => {
          const response = await fetch(`${exporter.url}/ready`);
          await response.arrayBuffer();
          return response.status === 200 ? epochMs() : undefined;
        },
        { limitMs: exporter.spawnedAt + READY_LIMIT_MS - epochMs(), intervalMs: POLL_MS },
      );
    } catch (error) {
      await exporter.stop();
      throw error;
    }
    // The poll may not have ticked between the call and the ready answer; the call came first.
    const callAt = firstCallAt ?? readyAt;
    return {
      exporter,
      startToReadyMs: readyAt - exporter.spawnedAt,
      firstCallToReadyMs: readyAt - callAt,
    };
  } finally {
    clearInterval(watcher);
  }
}
