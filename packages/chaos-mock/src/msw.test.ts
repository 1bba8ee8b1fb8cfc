// Both entries by their package names, so the exports map (`.` and `./msw`) is what is tested.
import {
  AUTH_FAILED,
  CHAOS_BASE_URL,
  type RunningChaosMock,
  SCENARIOS,
  type ScenarioName,
  startChaosMock,
} from '@aaisp/chaos-mock';
import { createChaosHandlers } from '@aaisp/chaos-mock/msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_LOGIN, postForm, postJson } from '../test/helpers.ts';
import infoAllLines from './fixtures/broadband-info-all-lines.json' with { type: 'json' };

describe('createChaosHandlers: the same fake CHAOS as msw 3 handlers', () => {
  const chaos = createChaosHandlers({ lines: 4 });
  const custom = createChaosHandlers({ lines: 2, baseUrl: 'http://chaos.test/api/v2' });
  const server = setupServer(...chaos.handlers, ...custom.handlers);

  beforeAll(() => {
    server.listen({ onUnhandledFrame: 'error' });
  });
  afterEach(() => {
    chaos.setScenario('normal');
    chaos.resetStats();
  });
  afterAll(() => {
    server.close();
  });

  it('answers on the real CHAOS v2 base URL by default, exactly like the reference fixture', async () => {
    expect(chaos.baseUrl).toBe(CHAOS_BASE_URL);
    expect(await postJson(CHAOS_BASE_URL, 'broadband/info/json')).toEqual(infoAllLines);
    expect(chaos.stats()).toMatchObject({ requests: 1, byCommand: { 'broadband/info': 1 } });
  });

  it('answers under a custom base URL with a path prefix, and keeps its own state', async () => {
    expect(custom.baseUrl).toBe('http://chaos.test/api/v2/');
    const body = await postJson(custom.baseUrl, 'broadband/services/json');
    expect(body.services).toEqual(['32001', '32002']);
    expect(custom.stats().requests).toBe(1);
    expect(chaos.stats().requests).toBe(0);
  });

  it('refuses bad credentials with the same HTTP 200 bodies', async () => {
    const body = await postJson(CHAOS_BASE_URL, 'broadband/info/json', {
      ...GOOD_LOGIN,
      control_password: 'x',
    });
    expect(body.error).toBe(AUTH_FAILED);
  });

  it('plays HTTP scenarios: 429 with Retry-After, 500 HTML', async () => {
    chaos.setScenario('rate-limit', { retryAfterSeconds: 3 });
    const limited = await postForm(CHAOS_BASE_URL, 'broadband/info/json');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    chaos.setScenario('http-500');
    const failed = await postForm(CHAOS_BASE_URL, 'broadband/info/json');
    expect(failed.status).toBe(500);
    expect(await failed.text()).toMatch(/^<!DOCTYPE html>/);
  });

  it('turns connection-reset into a network error', async () => {
    chaos.setScenario('connection-reset');
    await expect(postForm(CHAOS_BASE_URL, 'broadband/info/json')).rejects.toThrow(TypeError);
  });

  it('holds a timeout until the client aborts', async () => {
    chaos.setScenario('timeout');
    const attempt = postForm(CHAOS_BASE_URL, 'broadband/info/json', GOOD_LOGIN, {
      signal: AbortSignal.timeout(100),
    });
    await expect(attempt).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('counts write commands and credentials in the query string', async () => {
    await fetch(
      new URL(
        `broadband/kill/json?${new URLSearchParams({ ...GOOD_LOGIN, service: '32001' })}`,
        CHAOS_BASE_URL,
      ),
    );
    expect(chaos.stats()).toMatchObject({ writes: 1, credentialsInUrl: 1 });
  });
});

describe('createChaosHandlers and startChaosMock answer alike', () => {
  const chaos = createChaosHandlers({ lines: 6 });
  const server = setupServer(...chaos.handlers);
  let mock: RunningChaosMock;

  beforeAll(async () => {
    server.listen({ onUnhandledFrame: 'bypass' });
    mock = await startChaosMock({ lines: 6 });
  });
  afterAll(async () => {
    server.close();
    await mock.close();
  });

  /** Status, content type and body of three calls, or the error name when the call fails. */
  async function transcript(base: string): Promise<string[]> {
    const lines: string[] = [];
    for (const path of ['broadband/info/json', 'broadband/quota', 'telephony/ratecard/json']) {
      try {
        const response = await postForm(base, path);
        const retryAfter = response.headers.get('retry-after');
        lines.push(
          `${response.status} ${response.headers.get('content-type')} ${retryAfter ?? ''} ${await response.text()}`,
        );
      } catch (error) {
        lines.push(error instanceof Error ? error.name : 'unknown');
      }
    }
    return lines;
  }

  it.each(SCENARIOS.filter((name) => name !== 'timeout'))('under %s', async (name: ScenarioName) => {
    const options = { delayMs: 1 };
    chaos.setScenario(name, options);
    mock.setScenario(name, options);
    const viaMsw = await transcript(CHAOS_BASE_URL);
    const viaServer = await transcript(mock.url);
    expect(viaMsw).toEqual(viaServer);
    expect(chaos.stats()).toEqual(mock.stats());
    expect(chaos.lines()).toEqual(mock.lines());
  });
});
