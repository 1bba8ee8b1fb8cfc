import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../../test/support/test-server.ts';
import type { TierStatus } from '../../schedule/scheduler.ts';
import { healthDocument } from './health.ts';

const fast: TierStatus = {
  name: 'fast',
  intervalSeconds: 60,
  running: true,
  lastSuccessMs: 0,
  lastError: {
    kind: 'timeout',
    message: 'CHAOS did not answer within 10 s',
    atMs: 60_000,
    account: 'default',
    collector: 'broadband_lines',
    current: true,
  },
  nextRunMs: 120_000,
  consecutiveFailures: 1,
};
const slow: TierStatus = {
  name: 'slow',
  intervalSeconds: 3_600,
  running: false,
  lastSuccessMs: undefined,
  lastError: undefined,
  nextRunMs: undefined,
  consecutiveFailures: 0,
};

describe('healthDocument: the /health document', () => {
  it('says each tier’s last success, last error and next run as ISO times, null when there is none', () => {
    expect(
      healthDocument([fast, slow], {
        version: '1.2.3',
        demo: false,
        shard: undefined,
        accounts: ['default'],
      }),
    ).toEqual({
      status: 'up',
      version: '1.2.3',
      demo: false,
      shard: null,
      accounts: { default: { authPaused: false, refusals: 0, pausedUntil: null, nextAttempt: null } },
      tiers: {
        fast: {
          intervalSeconds: 60,
          running: true,
          lastSuccess: '1970-01-01T00:00:00.000Z',
          lastError: {
            kind: 'timeout',
            message: 'CHAOS did not answer within 10 s',
            at: '1970-01-01T00:01:00.000Z',
            account: 'default',
            collector: 'broadband_lines',
            current: true,
          },
          nextRun: '1970-01-01T00:02:00.000Z',
          consecutiveFailures: 1,
        },
        slow: {
          intervalSeconds: 3_600,
          running: false,
          lastSuccess: null,
          lastError: null,
          nextRun: null,
          consecutiveFailures: 0,
        },
      },
    });
  });

  it('names the shard and its accounts, but not who owns the others', () => {
    const shard = {
      index: 1,
      count: 2,
      accounts: ['shop'],
      ownerOf: new Map([
        ['default', 0],
        ['shop', 1],
      ]),
    };
    const deps = { version: '1.2.3', demo: true, shard, accounts: shard.accounts };
    expect(healthDocument([], deps)).toMatchObject({
      demo: true,
      shard: { index: 1, count: 2, accounts: ['shop'] },
      accounts: { shop: { authPaused: false } },
      tiers: {},
    });
    expect(JSON.stringify(healthDocument([], deps))).not.toContain('default');
  });

  it('shows a paused account with when its pause ends and the earliest next attempt of any tier', () => {
    const pause = { account: 'shop', refusals: 2, untilMs: 1_800_000 };
    const tiers: TierStatus[] = [
      { ...fast, pausedAccounts: [{ ...pause, nextAttemptMs: 1_860_000 }] },
      { ...slow, pausedAccounts: [{ ...pause, nextAttemptMs: 1_820_000 }] },
    ];
    expect(
      healthDocument(tiers, { version: '1', demo: false, shard: undefined, accounts: ['home', 'shop'] }),
    ).toMatchObject({
      accounts: {
        home: { authPaused: false, refusals: 0, pausedUntil: null, nextAttempt: null },
        shop: {
          authPaused: true,
          refusals: 2,
          pausedUntil: '1970-01-01T00:30:00.000Z',
          nextAttempt: '1970-01-01T00:30:20.000Z',
        },
      },
    });
  });

  it('keeps a recovered tier’s last error, marked as past', () => {
    const recovered: TierStatus = {
      ...fast,
      lastSuccessMs: 120_000,
      consecutiveFailures: 0,
      lastError: fast.lastError === undefined ? undefined : { ...fast.lastError, current: false },
    };
    expect(
      healthDocument([recovered], { version: '1', demo: false, shard: undefined, accounts: ['default'] }),
    ).toMatchObject({
      tiers: {
        fast: {
          lastSuccess: '1970-01-01T00:02:00.000Z',
          lastError: { kind: 'timeout', at: '1970-01-01T00:01:00.000Z', current: false },
          consecutiveFailures: 0,
        },
      },
    });
  });
});

describe('/health and /-/healthy, its Prometheus name', () => {
  it('answer the same document, to GET and HEAD, and refuse other methods alike', async () => {
    const server = await startTestServer({
      tiers: () => [fast, slow],
      accounts: ['default'],
      version: '1.2.3',
    });
    try {
      const health = await fetch(`${server.base}/health`);
      const healthy = await fetch(`${server.base}/-/healthy`);
      expect(healthy.status).toBe(200);
      expect(healthy.headers.get('content-type')).toBe(health.headers.get('content-type'));
      const document = await health.json();
      expect(document).toMatchObject({ status: 'up', version: '1.2.3', tiers: { fast: { running: true } } });
      expect(await healthy.json()).toEqual(document);
      expect((await fetch(`${server.base}/-/healthy`, { method: 'HEAD' })).status).toBe(200);
      for (const path of ['/health', '/-/healthy']) {
        const refused = await fetch(`${server.base}${path}`, { method: 'POST' });
        expect(refused.status).toBe(405);
        expect(refused.headers.get('allow')).toBe('GET, HEAD');
      }
    } finally {
      await server.close();
    }
  });

  it('are matched exactly, as every path is', async () => {
    const server = await startTestServer();
    try {
      for (const path of ['/-/healthy/', '/-/health', '//-/healthy', '/-/Healthy']) {
        const missing = await fetch(`${server.base}${path}`);
        expect(missing.status, path).toBe(404);
        expect(await missing.text()).toContain('/-/healthy');
      }
    } finally {
      await server.close();
    }
  });
});
