import { isatty } from 'node:tty';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stdoutDestination } from './log-destination.ts';
import { createLogger } from './logger.ts';

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

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

  it('gives each logger made without a destination one of its own, shared with no other', () => {
    const first = createLogger({ level: 'silent', json: true });
    const second = createLogger({ level: 'silent', json: true });
    expect(Reflect.get(first, pino.symbols.streamSym)).not.toBe(Reflect.get(second, pino.symbols.streamSym));
    expect(stdoutDestination()).not.toBe(stdoutDestination());
  });

  // In a terminal, stdout is written through a descriptor of its own, not process.stdout.
  it.skipIf(isatty(1))('a stdout that failed under one logger does not silence the next one', () => {
    const write = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation(() => true)
      .mockImplementationOnce(() => {
        throw new Error('EIO: i/o error, write');
      });
    createLogger({ level: 'info', json: true }).info('lost');
    createLogger({ level: 'info', json: true }).info('written');
    expect(write.mock.calls.map(([line]) => JSON.parse(String(line)).msg)).toEqual(['lost', 'written']);
  });

  it('honours the configured level', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'warn', json: true }, { destination });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['loud']);
  });
});
