import { once } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, safeDestination } from './logger.ts';

function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) } };
}

describe('createLogger', () => {
  it('writes JSON lines with the level, message and fields', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'info', json: true }, { destination })
      .child({ tier: 'fast' })
      .info({ lines: 3 }, 'tier ran');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      level: 30,
      msg: 'tier ran',
      tier: 'fast',
      lines: 3,
    });
  });

  it('redacts passwords and postcodes wherever they sit', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'debug', json: true }, { destination });
    logger.info(
      {
        password: 'p1',
        auth: { controlPassword: 'p2', accountPassword: 'p3' },
        request: { control_password: 'p4', nested: { account_password: 'p5' } },
        line: { postcode: 'ZZ99 1AA' },
        headers: { authorization: 'Basic xyz' },
      },
      'careless',
    );
    const text = lines.join('');
    for (const secret of ['p1', 'p2', 'p3', 'p4', 'p5', 'ZZ99 1AA', 'Basic xyz'])
      expect(text).not.toContain(secret);
    expect(JSON.parse(text).auth.controlPassword).toBe('[redacted]');
  });

  it('honours the configured level', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'warn', json: true }, { destination });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['loud']);
  });
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
    createLogger({ level: 'info', json: true }, { destination }).info('hello');
    expect(JSON.parse(written[0] ?? '{}')).toMatchObject({ msg: 'hello' });
    expect(destination.dropped).toBe(0);
  });

  it('after a write error (the reader gone) drops every line, and nothing throws', async () => {
    const { stream } = sink(() => Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    const destination = safeDestination(stream);
    const logger = createLogger({ level: 'info', json: true }, { destination });
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
    const destination = safeDestination(stream, 100);
    const logger = createLogger({ level: 'info', json: true }, { destination });
    for (let line = 0; line < 10; line += 1) logger.info({ line }, 'busy');
    // The first line is being written and a second waits behind it: over 100 bytes, the rest go.
    expect(stream.writableLength).toBeGreaterThanOrEqual(100);
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
    const logger = createLogger({ level: 'info', json: true }, { destination });
    expect(() => logger.info('lost')).not.toThrow();
    expect(() => logger.info('lost too')).not.toThrow();
    expect(destination.dropped).toBe(2);
  });
});
