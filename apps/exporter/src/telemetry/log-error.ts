/**
 * How an error logged under `err` is written: one short line for an expected failure, a stack only
 * for a bug, and only when someone asked for detail.
 *
 * @module
 */

/** An error as the log shows it, under `err`. */
export interface LoggedError {
  /** Our errors' `kind` (`auth`, `network`, `timeout`, …: `ChaosError` and the exporter's own). */
  readonly kind?: string;
  /** A system error's `code` (`EADDRINUSE`, `EACCES`, …). */
  readonly code?: string;
  /** The class of an error with neither (`TypeError`, …): a bug, said as such. */
  readonly type?: string;
  readonly message: string;
  /** An HTTP error's status. */
  readonly status?: number;
  /** How long CHAOS asked us to wait, in seconds (a `rate-limit` error). */
  readonly retryAfter?: number;
  /** What a bug's error was caused by, written the same way. */
  readonly cause?: LoggedError;
  /** A bug's stack, only when stacks are asked for. */
  readonly stack?: string;
}

/** A non-empty string field of `value` (its own or inherited, as an Error's `name` is), if it has one. */
function text(value: object, key: string): string | undefined {
  const field: unknown = Reflect.get(value, key);
  return typeof field === 'string' && field !== '' ? field : undefined;
}

/** A finite number field of `value`, if it has one. */
function count(value: object, key: string): number | undefined {
  const field: unknown = Reflect.get(value, key);
  return typeof field === 'number' && Number.isFinite(field) ? field : undefined;
}

/** Causes are followed this deep: a chain longer than that is a bug's own business. */
const MAX_CAUSES = 3;

function logged(error: unknown, stacks: boolean, depth: number): LoggedError {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const kind = text(error, 'kind');
  const code = text(error, 'code');
  const message = text(error, 'message') ?? '';
  const status = count(error, 'status');
  const retryAfter = count(error, 'retryAfter');
  const details = {
    ...(status === undefined ? {} : { status }),
    ...(retryAfter === undefined ? {} : { retryAfter }),
  };
  // An expected failure: its kind or code says what happened, and a stack would say nothing more.
  if (kind !== undefined || code !== undefined)
    return {
      ...(kind === undefined ? {} : { kind }),
      ...(code === undefined ? {} : { code }),
      message,
      ...details,
    };
  const type = text(error, 'name') ?? 'Error';
  const stack = stacks ? text(error, 'stack') : undefined;
  const cause: unknown = Reflect.get(error, 'cause');
  const causeLogged =
    cause === undefined || depth >= MAX_CAUSES ? undefined : logged(cause, stacks, depth + 1);
  return {
    type,
    message,
    ...details,
    ...(causeLogged === undefined ? {} : { cause: causeLogged }),
    ...(stack === undefined ? {} : { stack }),
  };
}

/**
 * The `err` serializer. An error with a `kind` (our errors are values with one: `ChaosError`'s
 * `auth`, `network`, `timeout`, …) or a system `code` (`EADDRINUSE`, …) is an expected operational
 * failure: it is written as its kind or code, its message, and its HTTP `status` or `retryAfter`
 * when it has them, and never with a stack. An error with neither is a bug: written with its class
 * (`type`) and message, and its cause chain; its stack too when `stacks` is true (the logger's
 * level is `debug` or `trace`). Only these fields are copied, never the rest of the error object.
 *
 * @example
 * ```ts
 * const logger = pino({ serializers: { err: errorSerializer(false) } });
 * logger.error({ err: new ChaosError('auth', 'CHAOS broadband/info: Control authorisation failed') }, 'refused');
 * // … "err":{"kind":"auth","message":"CHAOS broadband/info: Control authorisation failed"} …
 * ```
 */
export function errorSerializer(stacks: boolean): (error: unknown) => LoggedError {
  return (error) => {
    try {
      return logged(error, stacks, 0);
    } catch {
      // A getter that throws (a hostile proxy): the log line must still be written.
      return { message: 'the error could not be read' };
    }
  };
}
