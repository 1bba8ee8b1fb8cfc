/**
 * How the serving exporter answers signals. SIGTERM and SIGINT stop it, and the process ends with
 * 0 within {@link SHUTDOWN_LIMIT_MS} whatever happens meanwhile (a failed stop included); a second
 * one ends it at once. SIGHUP reloads the configuration and never ends the process. When a parent
 * holds an IPC channel to it (the repository's bin wrapper), the channel closing, i.e. the parent
 * gone, stops it too, even when that happened before the handlers were registered.
 *
 * @module
 */

import type { Logger } from 'pino';

/** How long a stop may take before the process exits anyway (with 0: the stop was asked for). */
export const SHUTDOWN_LIMIT_MS = 5000;

/** The signals that stop the exporter. */
export type StopSignal = 'SIGTERM' | 'SIGINT';

/** Where signals come from; `process` is one. */
export interface SignalSource {
  on(event: StopSignal | 'SIGHUP' | 'disconnect', listener: () => void): unknown;
  /**
   * Whether the IPC channel to the parent is still open, as `process.connected`: `false` once it
   * has closed, `undefined` (or absent) when there never was one.
   */
  readonly connected?: boolean | undefined;
}

/** What {@link startedWithParentChannel} reads; `process` is one. */
export interface ChildProcessFacts {
  readonly send?: unknown;
}

/**
 * Whether this process was started with an IPC channel to its parent (`stdio: [..., 'ipc']`),
 * open or not by now. Node sets `process.send` then, and only then, and keeps it after the
 * channel has closed. The other candidates mislead: Node deletes `NODE_CHANNEL_FD` from
 * `process.env` as it starts, and `process.channel` becomes `null` once the channel has closed.
 *
 * @example
 * ```ts
 * handleSignals({ stop, reload, logger, parentChannel: startedWithParentChannel(process) });
 * ```
 */
export function startedWithParentChannel(facts: ChildProcessFacts): boolean {
  return facts.send !== undefined;
}

/** What {@link handleSignals} needs. */
export interface SignalOptions {
  /** Stops the exporter (timers, requests in flight, the server). */
  readonly stop: () => Promise<void>;
  /** Reloads the configuration; logs its own outcome. */
  readonly reload: () => Promise<unknown>;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Ends the process. Default: `process.exit`. */
  readonly exit?: ((code: number) => void) | undefined;
  /** Default: {@link SHUTDOWN_LIMIT_MS}. */
  readonly limitMs?: number | undefined;
  /** Default: `process`. */
  readonly source?: SignalSource | undefined;
  /**
   * Whether this process was started with an IPC channel to its parent, so that the channel
   * closing means the parent is gone. Default: {@link startedWithParentChannel}`(process)`.
   */
  readonly parentChannel?: boolean | undefined;
}

/** Why a stop began: the log line's fields. */
type StopCause = { readonly signal: StopSignal } | { readonly reason: 'parent gone' };

/**
 * A log call that cannot fail the caller: a logger that throws (a broken destination) must not
 * stop the signal path halfway, e.g. before `exit`.
 */
function safely(log: () => void): void {
  try {
    log();
  } catch {
    // Nothing left to tell it to: the log is what failed.
  }
}

/** Calls `run`, a synchronous throw included in the promise's rejection. */
const settle = <T>(run: () => Promise<T>): Promise<T> => new Promise<T>((resolve) => resolve(run()));

/**
 * Registers the handlers for the life of the process (`on`, not `once`: a signal that found no
 * handler would get Node's default action, which kills the process at once with no exit code).
 *
 * - SIGTERM, SIGINT, or the parent gone: logs `stopping`, calls `stop`, then exits 0 (`stopped`,
 *   or `error while stopping` at level error when `stop` fails). Whatever `stop` or the log does,
 *   the process exits 0 after `limitMs`.
 * - Another SIGTERM or SIGINT while stopping: exits 0 at once (the parent gone is not counted).
 * - SIGHUP: calls `reload`, and is ignored while stopping.
 * - With `parentChannel`, a channel already closed when this is called (`source.connected` is
 *   `false`) stops at once: its `'disconnect'` event has come and gone, and will not come again.
 *
 * @example
 * ```ts
 * handleSignals({ stop: () => app.stop(), reload: () => app.reload('SIGHUP'), logger });
 * ```
 */
export function handleSignals(options: SignalOptions): void {
  const { stop, reload, logger } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const limitMs = options.limitMs ?? SHUTDOWN_LIMIT_MS;
  const source = options.source ?? process;
  let stopping = false;
  let exited = false;
  let limit: ReturnType<typeof setTimeout> | undefined;

  const finish = (code: number): void => {
    if (exited) return;
    exited = true;
    clearTimeout(limit);
    exit(code);
  };

  const beginStop = (cause: StopCause): void => {
    if (stopping) {
      if ('signal' in cause) {
        safely(() => logger.warn(cause, 'asked again while stopping: exiting at once'));
        finish(0);
      }
      return;
    }
    stopping = true;
    // Armed before anything that could throw or take long (the log, `stop`): nothing after it
    // can keep the process alive past the limit.
    limit = setTimeout(() => {
      // Still 0: the stop was asked for and happens; the log says it was not clean.
      safely(() => logger.warn({ ...cause, limitMs }, 'stopping took too long: exiting anyway'));
      finish(0);
    }, limitMs);
    safely(() => logger.info(cause, 'stopping'));
    settle(stop).then(
      () => {
        // What tells a clean stop from the limit: both exit 0.
        safely(() => logger.info(cause, 'stopped'));
        finish(0);
      },
      (error: unknown) => {
        // Still 0: a stop was asked for and the process ends; the error line says it was not clean.
        safely(() => logger.error({ ...cause, err: error }, 'error while stopping'));
        finish(0);
      },
    );
  };

  source.on('SIGTERM', () => beginStop({ signal: 'SIGTERM' }));
  source.on('SIGINT', () => beginStop({ signal: 'SIGINT' }));
  source.on('SIGHUP', () => {
    // The configuration of an exporter on its way out does not matter.
    if (stopping) return;
    settle(reload).catch((error: unknown) => {
      safely(() => logger.error({ signal: 'SIGHUP', err: error }, 'reload failed'));
    });
  });
  if (options.parentChannel ?? startedWithParentChannel(process)) {
    source.on('disconnect', () => beginStop({ reason: 'parent gone' }));
    // The channel can close long before this runs (modules still loading, the configuration read):
    // its 'disconnect' then found nobody listening, and the exporter would run on, holding its port.
    if (source.connected === false) beginStop({ reason: 'parent gone' });
  }
}
