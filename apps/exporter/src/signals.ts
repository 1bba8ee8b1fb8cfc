/**
 * How the serving exporter answers signals. SIGTERM and SIGINT stop it, and the process ends
 * within {@link SHUTDOWN_LIMIT_MS} whatever happens meanwhile; a second one ends it at once.
 * SIGHUP reloads the configuration and never ends the process. When a parent holds an IPC channel
 * to it (the repository's bin wrapper), the channel closing, i.e. the parent gone, stops it too.
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
   * Whether a parent holds an IPC channel to this process, so that its `'disconnect'` means the
   * parent is gone. Default: whether `process.channel` exists.
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
 * - SIGTERM, SIGINT, or the parent gone: logs `stopping`, calls `stop`, then exits 0 (`stopped`),
 *   or 1 when `stop` fails. Whatever `stop` or the log does, the process exits 0 after `limitMs`.
 * - Another SIGTERM or SIGINT while stopping: exits 0 at once (the parent gone is not counted).
 * - SIGHUP: calls `reload`, and is ignored while stopping.
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
        safely(() => logger.error({ ...cause, err: error }, 'error while stopping'));
        finish(1);
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
  if (options.parentChannel ?? process.channel !== undefined) {
    source.on('disconnect', () => beginStop({ reason: 'parent gone' }));
  }
}
