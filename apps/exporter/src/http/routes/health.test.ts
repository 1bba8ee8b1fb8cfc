import { describe, expect, it } from 'vitest';
import type { TierStatus } from '../../schedule/scheduler.ts';
import { healthDocument } from './health.ts';

const fast: TierStatus = {
  name: 'fast',
  intervalSeconds: 60,
  running: true,
  lastSuccessMs: 0,
  lastError: { kind: 'timeout', message: 'CHAOS did not answer within 10 s', atMs: 60_000 },
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
    expect(healthDocument([fast, slow], { version: '1.2.3', demo: false, shard: undefined })).toEqual({
      status: 'up',
      version: '1.2.3',
      demo: false,
      shard: null,
      tiers: {
        fast: {
          intervalSeconds: 60,
          running: true,
          lastSuccess: '1970-01-01T00:00:00.000Z',
          lastError: {
            kind: 'timeout',
            message: 'CHAOS did not answer within 10 s',
            at: '1970-01-01T00:01:00.000Z',
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
    expect(healthDocument([], { version: '1.2.3', demo: true, shard })).toMatchObject({
      demo: true,
      shard: { index: 1, count: 2, accounts: ['shop'] },
      tiers: {},
    });
    expect(JSON.stringify(healthDocument([], { version: '1.2.3', demo: true, shard }))).not.toContain(
      'default',
    );
  });
});
