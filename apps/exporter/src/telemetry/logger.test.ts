import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

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
