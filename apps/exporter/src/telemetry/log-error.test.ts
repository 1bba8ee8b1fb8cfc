import { ChaosError } from '@aaisp/chaos-client';
import { describe, expect, it } from 'vitest';
import { errorSerializer } from './log-error.ts';

describe('errorSerializer', () => {
  const serialize = errorSerializer(false);

  it('writes an error with a kind as its kind and message, without a stack', () => {
    const error = new ChaosError('auth', 'CHAOS broadband/info: Control authorisation failed', {
      subsystem: 'broadband',
      command: 'info',
      chaosMessage: 'Control authorisation failed',
    });
    expect(serialize(error)).toEqual({
      kind: 'auth',
      message: 'CHAOS broadband/info: Control authorisation failed',
    });
  });

  it('keeps the HTTP status and Retry-After of an error that has them', () => {
    expect(
      serialize(
        new ChaosError('rate-limit', 'CHAOS broadband/info: HTTP 429', { status: 429, retryAfter: 30 }),
      ),
    ).toEqual({
      kind: 'rate-limit',
      message: 'CHAOS broadband/info: HTTP 429',
      status: 429,
      retryAfter: 30,
    });
  });

  it('writes a system error as its code and message, without a stack', () => {
    const error = Object.assign(new Error('listen EADDRINUSE: address already in use 0.0.0.0:9099'), {
      code: 'EADDRINUSE',
      errno: -98,
      syscall: 'listen',
    });
    expect(serialize(error)).toEqual({
      code: 'EADDRINUSE',
      message: 'listen EADDRINUSE: address already in use 0.0.0.0:9099',
    });
  });

  it('writes an error value that is a plain object with a kind the same way', () => {
    expect(serialize({ kind: 'corrupt', message: 'not JSON', path: '/secret/dir' })).toEqual({
      kind: 'corrupt',
      message: 'not JSON',
    });
  });

  it('writes a bug (no kind, no code) with its class and cause, and its stack only when asked', () => {
    const bug = new TypeError('app.reload is not a function', { cause: new RangeError('inner') });
    expect(serialize(bug)).toEqual({
      type: 'TypeError',
      message: 'app.reload is not a function',
      cause: { type: 'RangeError', message: 'inner' },
    });
    const withStack = errorSerializer(true)(bug);
    expect(withStack.stack).toBe(bug.stack);
    expect(withStack.stack).toContain('TypeError: app.reload is not a function');
  });

  it('never writes a stack for an expected failure, even when stacks are asked for', () => {
    expect(
      errorSerializer(true)(new ChaosError('timeout', 'CHAOS broadband/info: no answer within 30000 ms')),
    ).toEqual({
      kind: 'timeout',
      message: 'CHAOS broadband/info: no answer within 30000 ms',
    });
  });

  it('copies no other field of the error, so nothing it carries reaches the log', () => {
    const error = Object.assign(new Error('request failed'), {
      config: { password: 'hunter2' },
      url: 'https://x/secret',
    });
    expect(JSON.stringify(serialize(error))).not.toMatch(/hunter2|secret/);
  });

  it('writes something that is not an error as its text, and survives an error that cannot be read', () => {
    expect(serialize('plain text')).toEqual({ message: 'plain text' });
    expect(serialize(undefined)).toEqual({ message: 'undefined' });
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no');
        },
      },
    );
    expect(serialize(hostile)).toEqual({ message: 'the error could not be read' });
  });
});
