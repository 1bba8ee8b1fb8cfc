import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../../test/support/test-server.ts';
import type { TierStatus } from '../../schedule/scheduler.ts';
import type { ShardPlan } from '../../schedule/shard.ts';
import { isReady } from './ready.ts';

const tier = (name: TierStatus['name'], lastSuccessMs: number | undefined): TierStatus => ({
  name,
  intervalSeconds: 60,
  running: false,
  lastSuccessMs,
  lastError: undefined,
  nextRunMs: undefined,
  consecutiveFailures: 0,
});

describe('isReady: the /ready verdict', () => {
  it('waits for the fast tier when there is one, whatever the other tiers did', () => {
    expect(isReady([tier('fast', undefined), tier('slow', 1_000)], undefined)).toBe(false);
    expect(isReady([tier('fast', 1_000), tier('slow', undefined)], undefined)).toBe(true);
  });

  it('without a fast tier, is ready once any tier has succeeded', () => {
    expect(isReady([tier('slow', undefined)], undefined)).toBe(false);
    expect(isReady([tier('slow', undefined), tier('medium', 1_000)], undefined)).toBe(true);
    expect(isReady([], undefined)).toBe(false);
  });

  it('is ready at once on a shard that owns no account: it has nothing to wait for', () => {
    const owning: ShardPlan = { index: 0, count: 2, accounts: ['a'], ownerOf: new Map([['a', 0]]) };
    const empty: ShardPlan = { index: 1, count: 2, accounts: [], ownerOf: new Map([['a', 0]]) };
    expect(isReady([tier('fast', undefined)], empty)).toBe(true);
    expect(isReady([], empty)).toBe(true);
    expect(isReady([tier('fast', undefined)], owning)).toBe(false);
    expect(isReady([tier('fast', 1_000)], owning)).toBe(true);
  });
});

describe('/ready and /-/ready, its Prometheus name', () => {
  it('answer alike: 503 until the fast tier succeeds, then 200, to GET and HEAD', async () => {
    let tiers: TierStatus[] = [tier('fast', undefined)];
    const server = await startTestServer({ tiers: () => tiers });
    try {
      for (const path of ['/ready', '/-/ready']) {
        const waiting = await fetch(`${server.base}${path}`);
        expect(waiting.status, path).toBe(503);
        expect(await waiting.json()).toEqual({ ready: false });
      }
      tiers = [tier('fast', 1_000)];
      for (const path of ['/ready', '/-/ready']) {
        const ready = await fetch(`${server.base}${path}`);
        expect(ready.status, path).toBe(200);
        expect(await ready.json()).toEqual({ ready: true });
        expect((await fetch(`${server.base}${path}`, { method: 'HEAD' })).status, path).toBe(200);
        const refused = await fetch(`${server.base}${path}`, { method: 'DELETE' });
        expect(refused.status, path).toBe(405);
        expect(refused.headers.get('allow')).toBe('GET, HEAD');
      }
    } finally {
      await server.close();
    }
  });
});
