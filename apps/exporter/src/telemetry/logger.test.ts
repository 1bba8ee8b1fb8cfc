import { isatty } from 'node:tty';
import { createChaosClient, isChaosError } from '@aaisp/chaos-client';
import { startChaosMock } from '@aaisp/chaos-mock';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExporterConfig } from '../config/config.ts';
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

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const FORMATS: ReadonlyArray<ExporterConfig['logging']['format']> = ['logfmt', 'json'];

describe('createLogger', () => {
  it('writes logfmt: time, level as a word and msg first, then the fields', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'info', format: 'logfmt' }, { destination })
      .child({ tier: 'fast' })
      .info({ lines: 3, web: { tls: false }, accounts: ['home', 'work'] }, 'tier ran');
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    const time = /^time=(\S+) /.exec(line)?.[1] ?? '';
    expect(time).toMatch(ISO_TIME);
    expect(line).toBe(
      `time=${time} level=info msg="tier ran" service=aaisp-exporter tier=fast lines=3 web.tls=false accounts=home,work\n`,
    );
  });

  it('writes JSON lines with the level as a word and an ISO-8601 time', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'info', format: 'json' }, { destination })
      .child({ tier: 'fast' })
      .info({ lines: 3 }, 'tier ran');
    const entry = JSON.parse(lines[0] ?? '{}');
    expect(entry).toMatchObject({ level: 'info', msg: 'tier ran', tier: 'fast', lines: 3 });
    expect(entry.time).toMatch(ISO_TIME);
  });

  it.each(FORMATS)('redacts passwords and postcodes wherever they sit (%s)', (format) => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'debug', format }, { destination });
    logger.info(
      {
        password: 'p1',
        postcode: 'ZZ99 9ZZ',
        auth: { controlPassword: 'p2', accountPassword: 'p3' },
        request: { control_password: 'p4', nested: { account_password: 'p5' } },
        line: { postcode: 'ZZ99 1AA' },
        headers: { authorization: 'Basic xyz' },
      },
      'careless',
    );
    const text = lines.join('');
    for (const secret of ['p1', 'p2', 'p3', 'p4', 'p5', 'ZZ99 9ZZ', 'ZZ99 1AA', 'Basic xyz'])
      expect(text).not.toContain(secret);
    if (format === 'json') expect(JSON.parse(text).auth.controlPassword).toBe('[redacted]');
    else expect(text).toContain(' auth.controlPassword=[redacted] ');
  });

  it.each(FORMATS)(
    'writes an expected failure on one line: its kind and message, no stack (%s)',
    (format) => {
      const { lines, destination } = capture();
      const logger = createLogger({ level: 'trace', format }, { destination });
      logger.fatal(
        {
          err: Object.assign(new Error('listen EADDRINUSE: address already in use 0.0.0.0:9099'), {
            code: 'EADDRINUSE',
          }),
        },
        'cannot start the exporter',
      );
      expect(lines).toHaveLength(1);
      const line = lines[0] ?? '';
      expect(line.trimEnd()).not.toContain('\n');
      expect(line).not.toContain('stack');
      expect(line).not.toContain('    at ');
      if (format === 'logfmt')
        expect(line).toContain(
          ' err.code=EADDRINUSE err.message="listen EADDRINUSE: address already in use 0.0.0.0:9099"',
        );
      else
        expect(JSON.parse(line).err).toEqual({
          code: 'EADDRINUSE',
          message: 'listen EADDRINUSE: address already in use 0.0.0.0:9099',
        });
    },
  );

  it.each(FORMATS)("writes a bug's stack at debug, still on one line, and not at info (%s)", (format) => {
    const bug = new TypeError('app.reload is not a function');
    const at = (level: ExporterConfig['logging']['level']) => {
      const { lines, destination } = capture();
      createLogger({ level, format }, { destination }).error({ err: bug }, 'reload failed');
      expect(lines).toHaveLength(1);
      return lines[0] ?? '';
    };
    const info = at('info');
    const debug = at('debug');
    expect(info).toContain('TypeError');
    expect(info).not.toContain('    at ');
    expect(debug).toContain('    at ');
    expect(debug.trimEnd()).not.toContain('\n');
    if (format === 'json') expect(JSON.parse(debug).err.stack).toBe(bug.stack);
  });

  it('logs a real CHAOS auth refusal from the SDK as one short line', async () => {
    const mock = await startChaosMock();
    try {
      const client = createChaosClient({
        auth: { controlLogin: 'test@a', controlPassword: 'not-the-password' },
        baseUrl: mock.url,
        retry: 0,
      });
      const error = await client.broadband.info().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(isChaosError(error) && error.kind).toBe('auth');
      const { lines, destination } = capture();
      createLogger({ level: 'info', format: 'logfmt' }, { destination })
        .child({ component: 'scheduler', account: 'default' })
        .error({ err: error, pauseMinutes: 15 }, 'CHAOS refused the credentials');
      const line = lines[0] ?? '';
      expect(line).toMatch(
        / level=error msg="CHAOS refused the credentials" service=aaisp-exporter component=scheduler account=default err.kind=auth err.message="CHAOS broadband\/info: Control authorisation failed" pauseMinutes=15\n$/,
      );
      expect(line).not.toContain('not-the-password');
      // The JSON line with pino's own serializer was over 1 500 characters, most of it the stack.
      expect(line.length).toBeLessThan(250);
    } finally {
      await mock.close();
    }
  });

  it('gives each logger made without a destination one of its own, shared with no other', () => {
    const first = createLogger({ level: 'silent', format: 'json' });
    const second = createLogger({ level: 'silent', format: 'json' });
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
    createLogger({ level: 'info', format: 'logfmt' }).info('lost');
    createLogger({ level: 'info', format: 'logfmt' }).info('written');
    expect(write.mock.calls.map(([line]) => /msg=(\w+)/.exec(String(line))?.[1])).toEqual([
      'lost',
      'written',
    ]);
  });

  it.each(FORMATS)('honours the configured level (%s)', (format) => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'warn', format }, { destination });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('loud');
    expect(lines[0]).toMatch(format === 'json' ? /"level":"warn"/ : / level=warn /);
  });
});
