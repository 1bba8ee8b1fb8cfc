import { once } from 'node:events';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nonBlockingSink, safeDestination, type WriteToFd } from './log-destination.ts';
import { createLogger } from './logger.ts';

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('safeDestination', () => {
  /** A stream stdout could be: `accept` says whether it takes a chunk out at once or keeps it queued. */
  function sink(accept: (chunk: string) => Error | 'written' | 'queued') {
    const written: string[] = [];
    const queued: Array<() => void> = [];
    const stream = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, callback) {
        const outcome = accept(String(chunk));
        if (outcome instanceof Error) return callback(outcome);
        const done = () => {
          written.push(String(chunk));
          callback();
        };
        // 'queued': called back only by `drain`, like a pipe that is full until someone reads it.
        if (outcome === 'queued') queued.push(done);
        else done();
      },
    });
    const drain = () => {
      for (const done of queued.splice(0)) done();
    };
    return { stream, written, drain };
  }

  it('writes each line through', () => {
    const { stream, written } = sink(() => 'written');
    const destination = safeDestination(stream);
    createLogger({ level: 'info', format: 'json' }, { destination }).info('hello');
    expect(JSON.parse(written[0] ?? '{}')).toMatchObject({ msg: 'hello' });
    expect(destination.dropped).toBe(0);
  });

  it('writes logfmt lines through the same way, one write a line', () => {
    const { stream, written } = sink(() => 'written');
    const destination = safeDestination(stream);
    const logger = createLogger({ level: 'info', format: 'logfmt' }, { destination });
    logger.info({ account: 'home' }, 'hello');
    logger.warn('bye');
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(/^time=\S+ level=info msg=hello service=aaisp-exporter account=home\n$/);
    expect(written[1]).toMatch(/^time=\S+ level=warn msg=bye service=aaisp-exporter\n$/);
    expect(destination.dropped).toBe(0);
  });

  it('after a write error (the reader gone) drops every line, and nothing throws', async () => {
    const { stream } = sink(() => Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    const destination = safeDestination(stream);
    const logger = createLogger({ level: 'info', format: 'json' }, { destination });
    logger.info('first');
    // Without the destination's listener this event would be an uncaught exception, failing the run.
    await once(stream, 'error');
    expect(() => {
      logger.info('second');
      logger.info('third');
    }).not.toThrow();
    expect(destination.dropped).toBe(2);
  });

  it('drops lines while too much waits for a stream nobody reads, and writes again once it drains', () => {
    let full = true;
    const { stream, written, drain } = sink(() => (full ? 'queued' : 'written'));
    // A JSON line here is about 100 bytes: one fits under 150, two do not.
    const destination = safeDestination(stream, 150);
    const logger = createLogger({ level: 'info', format: 'json' }, { destination });
    for (let line = 0; line < 10; line += 1) logger.info({ line }, 'busy');
    // The first line is being written and a second waits behind it: over 150 bytes, the rest go.
    expect(stream.writableLength).toBeGreaterThanOrEqual(150);
    expect(destination.dropped).toBe(8);
    expect(written).toEqual([]);
    full = false;
    drain();
    expect(stream.writableLength).toBe(0);
    logger.info('read again');
    expect(written.map((line) => JSON.parse(line).msg)).toEqual(['busy', 'busy', 'read again']);
    expect(written.map((line) => JSON.parse(line).line)).toEqual([0, 1, undefined]);
    expect(destination.dropped).toBe(8);
  });

  it('a stream whose write throws (a file on a full disk) costs the line, not an exception', () => {
    const destination = safeDestination({
      writableLength: 0,
      on: () => undefined,
      write: () => {
        throw new Error('ENOSPC: no space left on device, write');
      },
    });
    const logger = createLogger({ level: 'info', format: 'json' }, { destination });
    expect(() => logger.info('lost')).not.toThrow();
    expect(() => logger.info('lost too')).not.toThrow();
    expect(destination.dropped).toBe(2);
  });
});

describe('nonBlockingSink', () => {
  /**
   * A descriptor that takes up to `room` bytes (then `EAGAIN`), or fails with `error`; what it
   * took is in `taken`, one entry a write.
   */
  function descriptor(room = Number.POSITIVE_INFINITY) {
    const state: { room: number; error: Error | undefined; taken: string[] } = {
      room,
      error: undefined,
      taken: [],
    };
    const write: WriteToFd = (_fd, bytes) => {
      if (state.error !== undefined) throw state.error;
      if (state.room === 0)
        throw Object.assign(new Error('EAGAIN: resource temporarily unavailable, write'), { code: 'EAGAIN' });
      const taken = Math.min(state.room, bytes.length);
      state.room -= taken;
      state.taken.push(Buffer.from(bytes.subarray(0, taken)).toString());
      return taken;
    };
    return { state, write };
  }

  it('writes each line at once while the descriptor takes it', () => {
    const { state, write } = descriptor();
    const sink = nonBlockingSink(7, { write });
    expect(sink.write('one\n')).toBe(true);
    expect(sink.write('two\n')).toBe(true);
    expect(state.taken).toEqual(['one\n', 'two\n']);
    expect(sink.writableLength).toBe(0);
  });

  it('keeps what the descriptor did not take, in order, and writes it when there is room again', () => {
    vi.useFakeTimers();
    const { state, write } = descriptor(2);
    const sink = nonBlockingSink(7, { write, retryMs: 100 });
    expect(sink.write('one\n')).toBe(false);
    expect(sink.write('two\n')).toBe(false);
    // Half a line went out; the rest and the next line wait, and no write is tried meanwhile.
    expect(state.taken).toEqual(['on']);
    expect(sink.writableLength).toBe(6);
    vi.advanceTimersByTime(100);
    expect(state.taken).toEqual(['on']);
    state.room = Number.POSITIVE_INFINITY;
    vi.advanceTimersByTime(100);
    expect(state.taken.join('')).toBe('one\ntwo\n');
    expect(sink.writableLength).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('under safeDestination, drops lines while too much waits', () => {
    vi.useFakeTimers();
    const { state, write } = descriptor(0);
    const destination = safeDestination(nonBlockingSink(7, { write }), 100);
    const logger = createLogger({ level: 'info', format: 'json' }, { destination });
    for (let line = 0; line < 10; line += 1) logger.info({ line }, 'busy');
    expect(destination.dropped).toBeGreaterThan(0);
    const kept = 10 - destination.dropped;
    state.room = Number.POSITIVE_INFINITY;
    vi.runOnlyPendingTimers();
    expect(
      state.taken
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).line),
    ).toEqual([...Array(kept).keys()]);
  });

  it('after a failure (the terminal gone) reports an error once, and writes nothing more', () => {
    const { state, write } = descriptor();
    const errors: Error[] = [];
    const sink = nonBlockingSink(7, { write });
    sink.on('error', (error) => errors.push(error));
    state.error = Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
    expect(() => sink.write('lost\n')).not.toThrow();
    expect(errors.map((error) => error.message)).toEqual(['EIO: i/o error, write']);
    state.error = undefined;
    expect(sink.write('after\n')).toBe(false);
    expect(state.taken).toEqual([]);
    expect(sink.writableLength).toBe(0);
  });

  it('its retry keeps no process alive: a terminal that stays paused cannot hold the exit', () => {
    const timers = () => process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length;
    const before = timers();
    const sink = nonBlockingSink(7, { write: descriptor(0).write, retryMs: 60_000 });
    sink.write('waits\n');
    expect(sink.writableLength).toBe(6);
    expect(timers()).toBe(before);
  });
});
