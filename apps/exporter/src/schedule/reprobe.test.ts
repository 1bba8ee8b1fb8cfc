import { ChaosError } from '@aaisp/chaos-client';
import { describe, expect, it } from 'vitest';
import { createUnavailable, DEFAULT_REPROBE_MS, meansUnavailable } from './reprobe.ts';

describe('the re-probe policy', () => {
  const http500 = new ChaosError('http', 'CHAOS telephony/ratecard: HTTP 500', { status: 500 });

  it('reads "Unknown command" always, and HTTP 500 only from an optional collector, as not offered', () => {
    const unknown = new ChaosError('unknown-command', 'CHAOS domain/info: Unknown command');
    expect(meansUnavailable(unknown, false)).toBe(true);
    expect(meansUnavailable(http500, true)).toBe(true);
    expect(meansUnavailable(http500, false), 'a broadband 500 is a passing fault').toBe(false);
    expect(meansUnavailable(new ChaosError('http', 'HTTP 502', { status: 502 }), true)).toBe(false);
    expect(meansUnavailable(new Error('boom'), true)).toBe(false);
  });

  it('leaves a job alone for 6 hours by default, and says when it came back', () => {
    const unavailable = createUnavailable();
    unavailable.rest('default\u0000telephony_ratecard', 0);
    expect(unavailable.isResting('default\u0000telephony_ratecard', DEFAULT_REPROBE_MS - 1)).toBe(true);
    expect(unavailable.isResting('default\u0000telephony_ratecard', DEFAULT_REPROBE_MS)).toBe(false);
    expect(unavailable.isResting('default\u0000login_services', 0)).toBe(false);
    expect(unavailable.clear('default\u0000telephony_ratecard')).toBe(true);
    expect(unavailable.clear('default\u0000telephony_ratecard')).toBe(false);
  });
});
