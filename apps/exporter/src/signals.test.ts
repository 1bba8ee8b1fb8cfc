import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handleSignals, type SignalOptions, type StopSignal, startedWithParentChannel } from './signals.ts';
import { createLogger } from './telemetry/logger.ts';

const LIMIT_MS = 5000;
const STOP_SIGNALS: readonly StopSignal[] = ['SIGTERM', 'SIGINT'];

/** A stop that settles only when the test says so. */
function heldStop() {
  let release: () => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const stop = vi.fn(
    () =>
      new Promise<void>((resolve, reject) => {
        release = resolve;
        fail = reject;
      }),
  );
  return { stop, release: () => release(), fail: (error: Error) => fail(error) };
}

/**
 * handleSignals on a fresh emitter, with a real logger writing into `lines`. `connected`: the
 * emitter's, as `process.connected` (undefined: no channel ever).
 */
function setUp(options: Partial<SignalOptions> = {}, connected?: boolean) {
  const source = Object.assign(new EventEmitter(), { connected });
  const lines: string[] = [];
  const logger = createLogger(
    { level: 'info', format: 'json' },
    { destination: { write: (line: string) => void lines.push(line) } },
  );
  const exit = vi.fn<(code: number) => void>();
  const reload = vi.fn(async () => 'reloaded');
  const stop = vi.fn(async () => undefined);
  handleSignals({ stop, reload, logger, exit, limitMs: LIMIT_MS, source, parentChannel: false, ...options });
  const messages = () => lines.map((line) => JSON.parse(line).msg);
  const logged = (msg: string) => lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === msg);
  return { source, exit, reload, stop, messages, logged };
}

/** Lets settled promises run their callbacks (fake timers do not move). */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('handleSignals', () => {
  it.each(STOP_SIGNALS)('%s stops, then exits 0, and keeps its handler', async (signal) => {
    const { source, exit, stop, reload, messages, logged } = setUp();
    source.emit(signal);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(exit).not.toHaveBeenCalled();
    await settle();
    expect(exit.mock.calls).toEqual([[0]]);
    expect(messages()).toEqual(['stopping', 'stopped']);
    expect(logged('stopped')).toMatchObject({ signal });
    expect(reload).not.toHaveBeenCalled();
    // `on`, not `once`: a later signal must never find Node's default action (death by signal).
    expect(source.listenerCount(signal)).toBe(1);
  });

  it('a second signal while stopping exits 0 at once, and only once', async () => {
    const held = heldStop();
    const { source, exit, messages } = setUp({ stop: held.stop });
    source.emit('SIGTERM');
    await settle();
    expect(exit).not.toHaveBeenCalled();
    source.emit('SIGINT');
    expect(exit.mock.calls).toEqual([[0]]);
    expect(messages()).toEqual(['stopping', 'asked again while stopping: exiting at once']);
    held.release();
    await vi.advanceTimersByTimeAsync(LIMIT_MS * 2);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(held.stop).toHaveBeenCalledTimes(1);
  });

  it('exits 0 at the limit when the stop never ends', async () => {
    const held = heldStop();
    const { source, exit, logged } = setUp({ stop: held.stop });
    source.emit('SIGTERM');
    await vi.advanceTimersByTimeAsync(LIMIT_MS - 1);
    expect(exit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(exit.mock.calls).toEqual([[0]]);
    expect(logged('stopping took too long: exiting anyway')).toMatchObject({
      signal: 'SIGTERM',
      limitMs: LIMIT_MS,
    });
    // A stop that ends late does not exit a second time.
    held.release();
    await settle();
    expect(exit).toHaveBeenCalledTimes(1);
  });

  it('exits 0 when the stop fails, whether it rejects or throws, with the error logged', async () => {
    const held = heldStop();
    const rejected = setUp({ stop: held.stop });
    rejected.source.emit('SIGTERM');
    held.fail(new Error('server would not close'));
    await settle();
    // SIGTERM and SIGINT always end the process with 0: the stop was asked for, and it happened.
    expect(rejected.exit.mock.calls).toEqual([[0]]);
    expect(rejected.logged('error while stopping')).toMatchObject({
      level: 'error',
      signal: 'SIGTERM',
      err: { message: 'server would not close' },
    });
    expect(rejected.logged('stopped')).toBeUndefined();

    const thrown = setUp({
      stop: () => {
        throw new Error('thrown, not rejected');
      },
    });
    thrown.source.emit('SIGINT');
    await settle();
    expect(thrown.exit.mock.calls).toEqual([[0]]);
    expect(thrown.logged('error while stopping')).toMatchObject({
      level: 'error',
      signal: 'SIGINT',
      err: { message: 'thrown, not rejected' },
    });
    await vi.advanceTimersByTimeAsync(LIMIT_MS * 2);
    expect(rejected.exit).toHaveBeenCalledTimes(1);
    expect(thrown.exit).toHaveBeenCalledTimes(1);
  });

  it('a logger that throws on every write neither escapes the handler nor keeps the process alive', async () => {
    const logger = createLogger(
      { level: 'info', format: 'json' },
      {
        destination: {
          write: () => {
            throw new Error('EPIPE: broken pipe, write');
          },
        },
      },
    );
    const clean = setUp({ logger });
    expect(() => clean.source.emit('SIGTERM')).not.toThrow();
    await settle();
    expect(clean.exit.mock.calls).toEqual([[0]]);

    const reloading = setUp({
      logger,
      reload: () => {
        throw new Error('no reload');
      },
    });
    expect(() => reloading.source.emit('SIGHUP')).not.toThrow();
    await settle();
    expect(reloading.exit).not.toHaveBeenCalled();

    const stuck = setUp({ logger, stop: heldStop().stop });
    stuck.source.emit('SIGTERM');
    await vi.advanceTimersByTimeAsync(LIMIT_MS);
    expect(stuck.exit.mock.calls).toEqual([[0]]);
  });

  it('SIGHUP reloads, every time, and neither stops nor exits', async () => {
    const { source, exit, stop, reload } = setUp();
    source.emit('SIGHUP');
    source.emit('SIGHUP');
    await vi.advanceTimersByTimeAsync(LIMIT_MS * 2);
    expect(reload).toHaveBeenCalledTimes(2);
    expect(stop).not.toHaveBeenCalled();
    expect(exit).not.toHaveBeenCalled();
    expect(source.listenerCount('SIGHUP')).toBe(1);
  });

  it('a reload that rejects or throws is logged, and the process goes on', async () => {
    const rejecting = setUp({ reload: async () => Promise.reject(new Error('bad file')) });
    rejecting.source.emit('SIGHUP');
    await settle();
    expect(rejecting.logged('reload failed')).toMatchObject({
      signal: 'SIGHUP',
      err: { message: 'bad file' },
    });
    expect(rejecting.exit).not.toHaveBeenCalled();

    // E.g. an App without a reload method: a TypeError, thrown synchronously.
    const throwing = setUp({
      reload: () => {
        throw new TypeError('app.reload is not a function');
      },
    });
    throwing.source.emit('SIGHUP');
    await settle();
    expect(throwing.logged('reload failed')).toMatchObject({
      err: { message: 'app.reload is not a function' },
    });
    expect(throwing.exit).not.toHaveBeenCalled();
  });

  it('SIGHUP while stopping is ignored', async () => {
    const held = heldStop();
    const { source, exit, reload } = setUp({ stop: held.stop });
    source.emit('SIGTERM');
    source.emit('SIGHUP');
    held.release();
    await settle();
    expect(reload).not.toHaveBeenCalled();
    expect(exit.mock.calls).toEqual([[0]]);
  });

  it('with a parent channel, its disconnect stops the process, and counts as no second signal', async () => {
    const held = heldStop();
    const { source, exit, logged } = setUp({ stop: held.stop, parentChannel: true });
    source.emit('disconnect');
    expect(held.stop).toHaveBeenCalledTimes(1);
    expect(logged('stopping')).toMatchObject({ reason: 'parent gone' });
    source.emit('disconnect');
    expect(exit).not.toHaveBeenCalled();
    held.release();
    await settle();
    expect(exit.mock.calls).toEqual([[0]]);

    // A signal after the parent went is a second request like any other.
    const again = setUp({ stop: heldStop().stop, parentChannel: true });
    again.source.emit('disconnect');
    again.source.emit('SIGTERM');
    expect(again.exit.mock.calls).toEqual([[0]]);
  });

  it('with a parent channel that closed before the handlers were registered, stops at once', async () => {
    // Its 'disconnect' came while nobody listened, and will not come again.
    const held = heldStop();
    const { source, exit, logged } = setUp({ stop: held.stop, parentChannel: true }, false);
    expect(held.stop).toHaveBeenCalledTimes(1);
    expect(logged('stopping')).toMatchObject({ level: 'info', reason: 'parent gone' });
    // Should the event come after all, it is the same stop, not a second one.
    source.emit('disconnect');
    expect(held.stop).toHaveBeenCalledTimes(1);
    expect(exit).not.toHaveBeenCalled();
    held.release();
    await settle();
    expect(exit.mock.calls).toEqual([[0]]);
  });

  it('with a parent channel still open, waits for it to close', () => {
    const { source, stop } = setUp({ parentChannel: true }, true);
    expect(stop).not.toHaveBeenCalled();
    source.emit('disconnect');
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('without a parent channel, it does not listen for a disconnect, nor reads the channel state', () => {
    const { source, stop } = setUp({ parentChannel: false }, false);
    expect(source.listenerCount('disconnect')).toBe(0);
    expect(stop).not.toHaveBeenCalled();
  });
});

describe('startedWithParentChannel', () => {
  it('is whether the process has process.send, which Node gives only a child started with IPC', () => {
    expect(startedWithParentChannel({ send: () => true })).toBe(true);
    expect(startedWithParentChannel({})).toBe(false);
  });
});
