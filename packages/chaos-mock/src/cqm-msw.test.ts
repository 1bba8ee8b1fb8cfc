// By package name, so the exports map (`.` and `./msw`) is what is tested.
import { CQM_BASE_URL, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { createChaosHandlers } from '@aaisp/chaos-mock/msw';
import { HttpNetworkFrame } from 'msw/experimental';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cqmRows, fetchCqmText, postForm } from '../test/helpers.ts';

const NOW = Date.parse('2026-07-14T16:00:30Z');

describe('createChaosHandlers: the fake CQM on https://control.aa.net.uk/', () => {
  const chaos = createChaosHandlers({ cqm: { now: () => NOW } });
  const custom = createChaosHandlers({
    lines: 1,
    baseUrl: 'http://mock.test/',
    cqmBaseUrl: 'http://mock.test/',
    cqm: { now: () => NOW, periodSeconds: 10, windowSeconds: 100 },
  });
  const server = setupServer(...chaos.handlers, ...custom.handlers);
  let mock: RunningChaosMock;

  beforeAll(async () => {
    server.listen({
      // msw 3 lets an unhandled request for a `.csv` path through even under 'error' (a "common
      // asset"), so a CQM URL the handlers missed would reach A&A. Only the loopback server mock may
      // pass; anything else fails the request (msw answers a thrown error with a 500).
      onUnhandledFrame({ frame }) {
        if (frame instanceof HttpNetworkFrame && new URL(frame.data.request.url).hostname === '127.0.0.1')
          return;
        throw new Error('unhandled request in a test');
      },
    });
    mock = await startChaosMock({ cqm: { now: () => NOW } });
  });
  afterEach(() => {
    chaos.setScenario('normal');
    chaos.resetStats();
    mock.setScenario('normal');
    mock.resetStats();
  });
  afterAll(async () => {
    server.close();
    await mock.close();
  });

  it('lets no unhandled CQM-like request out', async () => {
    expect((await fetch('https://control.aa.net.uk/other.csv')).status).toBe(500);
  });

  it('answers on control.aa.net.uk by default, with the URL cqmUrl gives', async () => {
    expect(CQM_BASE_URL).toBe('https://control.aa.net.uk/');
    expect(chaos.cqmBaseUrl).toBe(CQM_BASE_URL);
    expect(chaos.cqmUrl('32001')).toBe(
      'https://control.aa.net.uk/cqmdirect.cgi/PTcVGRjZTRbkpd8i/line32001.csv',
    );
    const answer = await fetchCqmText(chaos.cqmUrl('32003'));
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('text/csv; charset=utf-8');
    const rows = cqmRows(answer.body);
    expect(rows).toHaveLength(864);
    expect(rows.filter((row) => row[3] === '100')).toHaveLength(36);
    expect(chaos.cqmStats()).toEqual({ requests: 1, byLine: { '32003': 1 }, notFound: 0 });
    expect(chaos.stats().requests).toBe(0);
  });

  it('answers every line byte for byte like the server mock with the same clock', async () => {
    for (const [id, url] of chaos.cqmUrls()) {
      const viaMsw = await fetchCqmText(url);
      const viaServer = await fetchCqmText(mock.cqmUrl(id));
      expect(viaMsw).toEqual(viaServer);
    }
    expect(chaos.cqmStats()).toEqual(mock.cqmStats());
  });

  it('answers a wrong secret and other methods like the server mock', async () => {
    const wrong = chaos.cqmUrl('32001').replace('PTcVGRjZTRbkpd8i', 'AAAAAAAAAAAAAAAA');
    const viaMsw = await fetchCqmText(wrong);
    expect(viaMsw.status).toBe(404);
    expect(viaMsw).toEqual(
      await fetchCqmText(mock.cqmUrl('32001').replace('PTcVGRjZTRbkpd8i', 'AAAAAAAAAAAAAAAA')),
    );
    const post = await fetch(chaos.cqmUrl('32001'), { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET']);
  });

  it.each([
    'http-500',
    'http-502-flaky',
    'rate-limit',
    'slow',
    'malformed-json',
    'auth-fail',
    'empty',
  ] as const)('plays %s on CQM as the server mock does', async (name) => {
    chaos.setScenario(name, { delayMs: 1 });
    mock.setScenario(name, { delayMs: 1 });
    for (let i = 0; i < 2; i++) {
      const viaMsw = await fetchCqmText(chaos.cqmUrl('32002'));
      const viaServer = await fetchCqmText(mock.cqmUrl('32002'));
      expect(viaMsw).toEqual(viaServer);
    }
  });

  it('turns connection-reset into a network error, and leaves CHAOS alone with commands: ["cqm/csv"]', async () => {
    chaos.setScenario('connection-reset', { commands: ['cqm/csv'] });
    await expect(fetch(chaos.cqmUrl('32001'))).rejects.toThrow(TypeError);
    expect((await postForm(chaos.baseUrl, 'broadband/info/json')).status).toBe(200);
  });

  it('serves CHAOS and CQM under one custom base URL', async () => {
    expect(custom.cqmUrl('32001')).toBe('http://mock.test/cqmdirect.cgi/PTcVGRjZTRbkpd8i/line32001.csv');
    const rows = cqmRows((await fetchCqmText(custom.cqmUrl('32001'))).body);
    expect(rows).toHaveLength(10);
    expect(rows.at(-1)?.slice(0, 3)).toEqual(['2026-07-14 17:00:20', '10', '10']);
    expect((await postForm(custom.baseUrl, 'broadband/services/json')).status).toBe(200);
    expect(custom.stats().requests).toBe(1);
    expect(custom.cqmStats().requests).toBe(1);
  });
});
