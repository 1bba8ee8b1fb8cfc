import { inspect } from 'node:util';
import { cqmSecret, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CqmResponseEvent, fetchCqm, maskCqmUrl } from './cqm.ts';
import { type ChaosError, isChaosError } from './errors.ts';

/** Everything an error could leak through: its text, its JSON, its inspection, its cause chain. */
function everything(error: unknown): string {
  const parts: string[] = [String(error), inspect(error, { depth: 10 })];
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    parts.push(cause.message, cause.stack ?? '', JSON.stringify(cause));
  }
  return parts.join('\n');
}

async function failure(promise: Promise<unknown>): Promise<ChaosError> {
  try {
    await promise;
  } catch (error) {
    if (isChaosError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('fetchCqm against @aaisp/chaos-mock', () => {
  let mock: RunningChaosMock;
  // A fixed clock: 2026-01-20 12:00 UTC (GMT), so rows and times are known.
  const NOW = Date.UTC(2026, 0, 20, 12, 0, 0);
  const line = '32001';
  const secret = cqmSecret(line);

  beforeAll(async () => {
    mock = await startChaosMock({ lines: 3, cqm: { now: () => NOW } });
  });
  afterAll(async () => {
    await mock.close();
  });
  beforeEach(() => {
    mock.setScenario('normal');
  });

  it('gets 24 h of 100 s samples ending with the last complete one, oldest first', async () => {
    const { samples, skipped } = await fetchCqm(mock.cqmUrl(line), { retry: { limit: 0 } });
    expect(skipped).toEqual([]);
    expect(samples).toHaveLength(864);
    expect(samples.at(-1)?.start.toISOString()).toBe('2026-01-20T11:58:20.000Z');
    expect(samples[0]?.start.toISOString()).toBe('2026-01-19T12:00:00.000Z');
    const newest = samples.at(-1);
    expect(newest?.periodSeconds).toBe(100);
    expect(newest?.pollsSent).toBe(100);
    expect(newest?.failedRatio).toBe(0);
    expect(newest?.latencySeconds.avg).toBeGreaterThan(0.005);
    expect(newest?.latencySeconds.avg).toBeLessThan(0.025);
  });

  it('reads the lossy line’s loss', async () => {
    const { samples } = await fetchCqm(mock.cqmUrl('32002'));
    expect(new Set(samples.map((sample) => sample.failedRatio))).toEqual(new Set([0.2]));
  });

  it('a wrong secret is an http error with its status, never auth, and names only the masked link', async () => {
    const url = mock.cqmUrl(line).replace(secret, 'WRONGwrongWRONG0');
    const error = await failure(fetchCqm(url, { retry: { limit: 0 } }));
    expect([error.kind, error.status]).toEqual(['http', 404]);
    expect(error.message).toContain('cqmdirect.cgi/…/line32001.csv');
    expect(everything(error)).not.toContain('WRONGwrongWRONG0');
  });

  it('retries a 502 and succeeds, reporting each attempt to the hooks with the masked link only', async () => {
    mock.setScenario('http-502-flaky', { commands: ['cqm/csv'] });
    const events: CqmResponseEvent[] = [];
    const { samples } = await fetchCqm(mock.cqmUrl(line), {
      retry: { limit: 2, backoffLimitMs: 1 },
      hooks: { onResponse: (event) => events.push(event) },
    });
    expect(samples).toHaveLength(864);
    expect(events.map((event) => [event.attempt, event.outcome, event.status])).toEqual([
      [1, 'http', 502],
      [2, 'ok', 200],
    ]);
    expect(JSON.stringify(events)).not.toContain(secret);
    expect(events[0]?.url).toBe(maskCqmUrl(mock.cqmUrl(line)));
  });

  it('honours Retry-After on 429, and fails at once when it asks for longer than allowed', async () => {
    mock.setScenario('rate-limit', { commands: ['cqm/csv'], retryAfterSeconds: 120 });
    const error = await failure(fetchCqm(mock.cqmUrl(line)));
    expect([error.kind, error.status, error.retryAfter]).toEqual(['rate-limit', 429, 120]);
  });

  it('a hung answer is a timeout, a reset a network error, neither with the secret', async () => {
    mock.setScenario('timeout', { commands: ['cqm/csv'] });
    const timeout = await failure(fetchCqm(mock.cqmUrl(line), { timeout: 200, retry: { limit: 0 } }));
    expect(timeout.kind).toBe('timeout');
    mock.setScenario('connection-reset', { commands: ['cqm/csv'] });
    const reset = await failure(fetchCqm(mock.cqmUrl(line), { retry: { limit: 0 } }));
    expect(reset.kind).toBe('network');
    for (const error of [timeout, reset]) expect(everything(error)).not.toContain(secret);
  });

  it('a body that is not a CQM CSV is a schema error; a caller’s abort rejects with its reason', async () => {
    const html = await failure(
      fetchCqm(mock.cqmUrl(line), {
        fetch: async () => new Response('<html>login</html>'),
        retry: { limit: 0 },
      }),
    );
    expect(html.kind).toBe('schema');
    const controller = new AbortController();
    mock.setScenario('timeout', { commands: ['cqm/csv'] });
    const pending = fetchCqm(mock.cqmUrl(line), { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });

  it('refuses a non-http link without quoting it', async () => {
    await expect(fetchCqm(`ftp://example/${secret}/x.csv`)).rejects.toThrow(TypeError);
    await fetchCqm(`ftp://example/${secret}/x.csv`).catch((error: unknown) => {
      expect(everything(error)).not.toContain(secret);
    });
  });
});

describe('maskCqmUrl', () => {
  it('keeps the host, cqmdirect.cgi and the file name; masks the rest; drops query and user info', () => {
    expect(maskCqmUrl('https://control.aa.net.uk/cqmdirect.cgi/Ab12Cd34Ef56Gh78/home.csv')).toBe(
      'control.aa.net.uk/cqmdirect.cgi/…/home.csv',
    );
    expect(maskCqmUrl('https://me:pw@fb.example/cqm/0123456789abcdef/2026-01-20/home.csv?x=1#y')).toBe(
      'fb.example/…/…/…/home.csv',
    );
    expect(maskCqmUrl('not a url')).toBe('(not a URL)');
  });
});
