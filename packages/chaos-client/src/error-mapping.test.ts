import ky, { NetworkError, TimeoutError } from 'ky';
import { describe, expect, it } from 'vitest';
import { type FailureTarget, parseRetryAfter, toChaosError } from './error-mapping.ts';
import { ChaosError } from './errors.ts';

const SECRET = 'Hush-hush-1234';
const URL_WITH_SECRET = `https://cqm.example/cqmdirect.cgi/${SECRET}/home.csv`;
const target: FailureTarget = {
  label: 'CQM cqm.example/cqmdirect.cgi/…/home.csv',
  subsystem: 'cqm',
  command: 'csv',
  scrub: (text) => text.replaceAll(SECRET, '…'),
  noAnswer: 'no answer',
};
const request = (): Request => new Request(URL_WITH_SECRET);

/** The HTTPError ky itself throws for this answer (its message quotes the URL and the reason). */
function httpError(status: number, init: ResponseInit = {}): Promise<unknown> {
  return ky(URL_WITH_SECRET, { retry: 0, fetch: async () => new Response('', { ...init, status }) }).then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** The error's message and its whole cause chain, as text. */
function chain(error: Error): string {
  const parts: string[] = [];
  for (let at: unknown = error; at instanceof Error; at = at.cause) parts.push(`${at.name}: ${at.message}`);
  return parts.join(' <- ');
}

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 20, 12, 0, 0);

  it('reads delta-seconds and an HTTP date, rounding a date up to whole seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Tue, 20 Jan 2026 12:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Tue, 20 Jan 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores what is neither, rather than reading it as "now"', () => {
    for (const value of [null, '', '5.5', '-1', 'soon', 'Tuesday, 20-Jan-26 12:01:30 GMT']) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });
});

describe('toChaosError: one mapping for every request', () => {
  it('maps ky’s errors to their kinds, keeping only scrubbed causes', async () => {
    const timeout = toChaosError(new TimeoutError(request()), target, 50);
    expect([timeout.kind, timeout.message]).toEqual(['timeout', `${target.label}: no answer within 50 ms`]);

    const limited = toChaosError(await httpError(429, { headers: { 'retry-after': '7' } }), target, 50);
    expect([limited.kind, limited.status, limited.retryAfter, limited.message]).toEqual([
      'rate-limit',
      429,
      7,
      `${target.label}: rate limited (HTTP 429); retry after 7 s`,
    ]);

    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const network = toChaosError(
      new NetworkError(request(), { cause: new TypeError('fetch failed', { cause: reset }) }),
      target,
      50,
    );
    expect([network.kind, network.message]).toEqual([
      'network',
      `${target.label}: no answer (UND_ERR_SOCKET)`,
    ]);
    expect(chain(network)).toBe(
      `ChaosError: ${network.message} <- TypeError: fetch failed <- Error: other side closed`,
    );
    for (const error of [timeout, limited, network]) expect(chain(error)).not.toContain(SECRET);
  });

  it('scrubs the reason phrase, and keeps a CHAOS error body’s meaning when the target reads one', async () => {
    const notFound = await httpError(404, { statusText: `No graph ${SECRET}` });
    expect(toChaosError(notFound, target, 50).message).toBe(`${target.label}: HTTP 404 No graph …`);
    const answer = new ChaosError('auth', 'CHAOS broadband/info: Control authorisation failed (HTTP 401)');
    const chaos = { ...target, answerError: () => answer };
    expect(toChaosError(notFound, chaos, 50)).toBe(answer);
    // A 429 is a rate limit whatever its body says.
    expect(toChaosError(await httpError(429), chaos, 50).kind).toBe('rate-limit');
  });

  it('calls anything else a fetch threw no answer; a non-Error leaves no text at all', () => {
    const thrown = toChaosError(new ChaosError('auth', `refused ${SECRET}`), target, 50);
    expect([thrown.kind, thrown.message]).toEqual(['network', `${target.label}: no answer`]);
    expect(chain(thrown)).not.toContain(SECRET);
    const text = toChaosError(`failed for ${URL_WITH_SECRET}`, target, 50);
    expect([text.kind, text.message, text.cause]).toEqual([
      'network',
      `${target.label}: request failed`,
      undefined,
    ]);
  });
});
