import { describe, expect, it } from 'vitest';
import { createAuthBreakers, MAX_AUTH_PAUSE_MS } from './auth-breaker.ts';

const MINUTE = 60_000;

describe('the auth breakers', () => {
  it('opens per account for 15 minutes, doubling per refusal up to 4 hours', () => {
    const breakers = createAuthBreakers();
    const pauses: number[] = [];
    let now = 0;
    for (let refusal = 0; refusal < 7; refusal++) {
      const opened = breakers.refuse('shop', now);
      if (opened === undefined) throw new Error('the breaker did not open');
      pauses.push(opened.pauseMs / MINUTE);
      now += opened.pauseMs;
    }
    expect(pauses).toEqual([15, 30, 60, 120, 240, 240, 240]);
    expect(MAX_AUTH_PAUSE_MS).toBe(240 * MINUTE);
    expect(breakers.openAt('home', 0), 'another account is not paused').toBeUndefined();
  });

  it('is opened once by jobs that fail together, and a success starts it over', () => {
    const breakers = createAuthBreakers(1000);
    expect(breakers.refuse('shop', 0)).toEqual({ pauseMs: 1000, untilMs: 1000, refusals: 1 });
    expect(breakers.refuse('shop', 10), 'a second job of the same account').toBeUndefined();
    expect(breakers.openAt('shop', 999)).toEqual({ untilMs: 1000, refusals: 1 });
    expect(breakers.openAt('shop', 1000)).toBeUndefined();
    expect(breakers.refuse('shop', 1000)).toEqual({ pauseMs: 2000, untilMs: 3000, refusals: 2 });
    expect(breakers.close('shop'), 'it was paused').toBe(true);
    expect(breakers.close('shop'), 'nothing left to close').toBe(false);
    expect(breakers.openAt('shop', 1500)).toBeUndefined();
    expect(breakers.refuse('shop', 1500)).toEqual({ pauseMs: 1000, untilMs: 2500, refusals: 1 });
  });

  it('keeps an account paused after its pause has ended, until a success closes the breaker', () => {
    const breakers = createAuthBreakers(1000);
    expect(breakers.stateOf('shop')).toBeUndefined();
    breakers.refuse('shop', 0);
    expect(breakers.stateOf('shop')).toEqual({ untilMs: 1000, refusals: 1 });
    // The pause is over and calls may resume, but no run has tried yet: still paused.
    expect(breakers.openAt('shop', 5000)).toBeUndefined();
    expect(breakers.stateOf('shop')).toEqual({ untilMs: 1000, refusals: 1 });
    expect(breakers.stateOf('home'), 'another account').toBeUndefined();
    breakers.close('shop');
    expect(breakers.stateOf('shop')).toBeUndefined();
  });
});
