/**
 * Starts the exporter in the child process against a mock and times its way to `/ready`: from
 * the call to `startApp`, and from the moment the mock received the first `broadband/info` call
 * (what the "after the first CHAOS answer" means here: on loopback the answer follows the
 * call within a millisecond or two, and the mock counts the call, not the answer).
 *
 * @module
 */

import { setTimeout as delay } from 'node:timers/promises';
import type { RunningChaosMock } from '@aaisp/chaos-mock';
import { epochMs } from './protocol.ts';
import type { Remote } from './remote.ts';

/** How often the mock's counters and `/ready` are polled: fine enough for figures in tens of ms. */
const POLL_MS = 5;
/** A first run that takes longer than this is a bug, not a figure. */
const READY_LIMIT_MS = 60_000;

/** What the start measured. */
export interface Started {
  /** The exporter's base URL. */
  readonly url: string;
  /** The child's RSS right after `startApp` resolved, before the first collection (after a GC). */
  readonly rssAtStartBytes: number;
  /** `startApp` called → `/ready` answered 200. */
  readonly startToReadyMs: number;
  /** The mock counted the first `broadband/info` → `/ready` answered 200. */
  readonly firstCallToReadyMs: number;
}

/** Asks the child for an exporter aimed at `mock`, then waits for `/ready`. */
export async function startAndTime(remote: Remote, mock: RunningChaosMock): Promise<Started> {
  const infoCalls = (): number => mock.stats().byCommand['broadband/info'] ?? 0;
  const callsBefore = infoCalls();
  let firstCallAt: number | undefined;
  // A timer of its own, so a slow /ready fetch does not blur when the call arrived.
  const watcher = setInterval(() => {
    if (firstCallAt === undefined && infoCalls() > callsBefore) firstCallAt = epochMs();
  }, POLL_MS);
  try {
    const reply = await remote.ask({ kind: 'exporter', baseUrl: mock.url });
    if (reply.kind !== 'exporter') throw new Error(`bench child answered ${reply.kind} to exporter`);
    const deadline = reply.startedAt + READY_LIMIT_MS;
    while (epochMs() < deadline) {
      const response = await fetch(`${reply.url}/ready`);
      await response.arrayBuffer();
      if (response.status === 200) {
        const readyAt = epochMs();
        // The poll may not have ticked between the call and the ready answer; the call came first.
        const callAt = firstCallAt ?? readyAt;
        return {
          url: reply.url,
          rssAtStartBytes: reply.rssBytes,
          startToReadyMs: readyAt - reply.startedAt,
          firstCallToReadyMs: readyAt - callAt,
        };
      }
      await delay(POLL_MS);
    }
    throw new Error(`${reply.url}/ready did not answer 200 within ${READY_LIMIT_MS / 1000} s`);
  } finally {
    clearInterval(watcher);
  }
}
