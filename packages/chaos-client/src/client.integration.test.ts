import { inspect } from 'node:util';
import { type RunningChaosMock, type ScenarioName, startChaosMock } from '@aaisp/chaos-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ChaosErrorKind, type ChaosResponseEvent, createChaosClient, isChaosError } from './index.ts';

// A password no fixture or mock answer contains, so any sighting is a leak.
const PASSWORD = 'S3cr3t-p4ssw0rd-do-not-leak';
const WRONG_PASSWORD = 'Wr0ng-s3cret-also-private';

describe('the client through the full HTTP stack, against the real mock server', () => {
  let mock: RunningChaosMock;
  const events: ChaosResponseEvent[] = [];
  const started: unknown[] = [];

  const client = (password = PASSWORD, timeout = 200) =>
    createChaosClient({
      baseUrl: mock.url,
      auth: { controlLogin: 'test@a', controlPassword: password },
      timeout,
      retry: { limit: 1, backoffLimitMs: 5 },
      hooks: { onRequest: (event) => started.push(event), onResponse: (event) => events.push(event) },
    });

  beforeAll(async () => {
    mock = await startChaosMock({
      lines: 10_000,
      credentials: { controlLogin: 'test@a', controlPassword: PASSWORD },
    });
  });
  afterEach(() => {
    mock.setScenario('normal');
    mock.resetStats();
  });
  afterAll(async () => {
    await mock.close();
  });

  it('parses a 10 000-line account from one broadband/info call', async () => {
    const info = await client(PASSWORD, 30_000).broadband.info();
    expect(info.lines).toHaveLength(10_000);
    expect(info.serviceChoices).toHaveLength(10_000);
    expect(new Set(info.lines.map((line) => line.id)).size).toBe(10_000);
    expect(info.lines.every((line) => Number.isSafeInteger(line.syncDownBps ?? 0))).toBe(true);
    expect(info.lines.filter((line) => line.quota === undefined).length).toBeGreaterThan(1000);
    expect(info.lines.filter((line) => line.quota?.monthlyBytes === 0).length).toBeGreaterThan(1000);
    expect(mock.stats()).toMatchObject({ requests: 1, credentialsInUrl: 0, writes: 0 });
  });

  it('reads the repeated autumn hour and the first BST hour right in real answers', async () => {
    const { lines } = await client(PASSWORD, 30_000).broadband.info();
    const at = (wall: string) => lines.find((line) => line.raw.quota_timestamp === wall)?.quota?.updatedAt;
    expect(at('2026-10-25 01:00:00')?.toISOString()).toBe('2026-10-25T00:00:00.000Z');
    expect(at('2026-10-25 02:00:00')?.toISOString()).toBe('2026-10-25T02:00:00.000Z');
    expect(at('2026-03-29 02:00:00')?.toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(at('2026-03-29 00:00:00')?.toISOString()).toBe('2026-03-29T00:00:00.000Z');
  });

  /** Every way a call can fail, and how to make the mock produce it. */
  const failures: readonly [ChaosErrorKind, () => Promise<unknown>][] = [
    ['auth', () => client(WRONG_PASSWORD).broadband.services()],
    ['unknown-command', () => client().request('email', 'info')],
    ['api', () => client().broadband.usage({ service: '404' })],
    ['http', () => client().telephony.services()],
    ['rate-limit', () => scenario('rate-limit', () => client().broadband.services())],
    ['network', () => scenario('connection-reset', () => client().broadband.services())],
    ['timeout', () => scenario('timeout', () => client(PASSWORD, 100).broadband.services())],
    ['schema', () => scenario('malformed-json', () => client().broadband.services())],
    ['schema', () => scenario('schema-drift', () => client().broadband.quota())],
  ];

  async function scenario(name: ScenarioName, call: () => Promise<unknown>): Promise<unknown> {
    mock.setScenario(name, { retryAfterSeconds: 0 });
    return call();
  }

  it.each(failures)(
    'a %s failure never shows the password: message, fields, cause chain, hooks',
    async (kind, call) => {
      events.length = 0;
      started.length = 0;
      const error = await call().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(isChaosError(error) && error.kind).toBe(kind);
      const everything = [
        inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
        JSON.stringify(error),
        String(error),
        inspect(events, { depth: Number.POSITIVE_INFINITY }),
        inspect(started, { depth: Number.POSITIVE_INFINITY }),
      ].join('\n');
      expect(everything).not.toContain(PASSWORD);
      expect(everything).not.toContain(WRONG_PASSWORD);
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((event) => event.outcome === kind)).toBe(true);
      expect(mock.stats().credentialsInUrl).toBe(0);
    },
  );

  it('succeeds on the retry when CHAOS answers 502 once and then answers', async () => {
    mock.setScenario('http-502-flaky');
    const services = await client().broadband.services();
    expect(services).toHaveLength(10_000);
    expect(mock.stats().requests).toBe(2);
  });

  it('never sends a write command from the typed methods', async () => {
    const c = client(PASSWORD, 30_000);
    await c.broadband.info({ service: '32001' });
    await c.broadband.quota({ service: '32001' });
    await c.broadband.services();
    await c.broadband.usage({ service: '32002' });
    await c.login.services();
    await c.login.info({ service: 'test@a' });
    await c.telephony.ratecard();
    await c.telephony.services().catch(() => undefined);
    await c.telephony.info({ service: '01632960002' }).catch(() => undefined);
    expect(mock.stats().writes).toBe(0);
    expect(Object.keys(mock.stats().byCommand).sort()).toEqual([
      'broadband/info',
      'broadband/quota',
      'broadband/services',
      'broadband/usage',
      'login/info',
      'login/services',
      'telephony/info',
      'telephony/ratecard',
      'telephony/services',
    ]);
  });
});
