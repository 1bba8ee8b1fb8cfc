import ky, { TimeoutError } from 'ky';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChaosError, type ChaosErrorKind } from './errors.ts';
import { chaosRetryPlan, cqmRetryPlan, retryVerdict } from './retry-policy.ts';

const SETTINGS = { limit: 2, backoffLimitMs: 30_000, maxRetryAfterMs: 60_000 };

describe('retry plans: ky’s own retry options, per kind of request', () => {
  it('a CHAOS read retries its POST on 408, 429 and 502–504, honouring Retry-After on each, and on timeouts', () => {
    expect(chaosRetryPlan(false, SETTINGS)).toEqual({
      options: {
        limit: 2,
        methods: ['post'],
        statusCodes: [408, 429, 502, 503, 504],
        afterStatusCodes: [408, 429, 502, 503, 504],
        maxRetryAfter: 60_000,
        retryOnTimeout: true,
        delay: expect.any(Function),
        jitter: true,
        backoffLimit: 30_000,
      },
      maxRetryAfterMs: 60_000,
    });
  });

  it('a CHAOS write is sent once', () => {
    expect(chaosRetryPlan(true, SETTINGS).options.limit).toBe(0);
  });

  it('a CQM GET retries 408, 429 and every 5xx, and no other 4xx', () => {
    const { options } = cqmRetryPlan(SETTINGS);
    expect(options.methods).toEqual(['get']);
    expect(options.statusCodes).toHaveLength(102);
    expect(options.statusCodes).toEqual(expect.arrayContaining([408, 429, 500, 501, 503, 599]));
    expect(options.statusCodes?.filter((status) => status < 500)).toEqual([408, 429]);
    expect(options.afterStatusCodes).toEqual(options.statusCodes);
  });

  it('backs off 1 s, 2 s, 4 s, … capped before the jitter, so full jitter spreads under the cap', () => {
    const delay = chaosRetryPlan(false, SETTINGS).options.delay;
    expect([1, 2, 3, 5, 6, 20].map((attempt) => delay?.(attempt))).toEqual([
      1000, 2000, 4000, 16_000, 30_000, 30_000,
    ]);
    expect(cqmRetryPlan({ ...SETTINGS, backoffLimitMs: 5 }).options.delay?.(1)).toBe(5);
  });

  it('passes ky a whole limit: a fractional one has always meant its floor', () => {
    expect(cqmRetryPlan({ ...SETTINGS, limit: 1.5 }).options.limit).toBe(1);
  });
});

describe('retryVerdict: the rules ky has no option for', () => {
  const plan = chaosRetryPlan(false, SETTINGS);
  const CHAOS_URL = 'https://chaos2.aa.net.uk/broadband/info/json';
  const timeout = new TimeoutError(new Request(CHAOS_URL));
  let http: unknown;

  beforeAll(async () => {
    // The HTTPError ky itself throws for a 503.
    http = await ky(CHAOS_URL, { retry: 0, fetch: async () => new Response('', { status: 503 }) }).then(
      () => undefined,
      (error: unknown) => error,
    );
  });

  it('never retries an answer: auth, api, unknown-command or schema, whatever its status', () => {
    const answers: ChaosErrorKind[] = ['auth', 'api', 'unknown-command', 'schema'];
    for (const kind of answers) {
      expect(retryVerdict(new ChaosError(kind, 'x', { status: 502 }), http, plan)).toBe(false);
    }
  });

  it('fails at once on a Retry-After longer than maxRetryAfterMs, rather than waiting less', () => {
    expect(retryVerdict(new ChaosError('rate-limit', 'x', { retryAfter: 61 }), http, plan)).toBe(false);
    expect(retryVerdict(new ChaosError('rate-limit', 'x', { retryAfter: 60 }), http, plan)).toBeUndefined();
  });

  it('retries whatever else a fetch threw, and leaves ky’s own errors to ky’s options', () => {
    expect(retryVerdict(new ChaosError('network', 'x'), new Error('proxy said no'), plan)).toBe(true);
    expect(retryVerdict(new ChaosError('timeout', 'x'), timeout, plan)).toBeUndefined();
    expect(retryVerdict(new ChaosError('http', 'x', { status: 503 }), http, plan)).toBeUndefined();
  });
});
