import { ChaosError } from '@aaisp/chaos-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bindingNamed } from '../../harness/bindings.ts';
import { type CollectorBinding, nameOf } from '../collectors/index.ts';
import { createLogger } from '../telemetry/logger.ts';
import {
  type AuthPauseEvent,
  createScheduler,
  pausedAccountsOf,
  RUN_ERROR_KINDS,
  type RunEvent,
  type SchedulerOptions,
} from './scheduler.ts';
import type { TierPlan } from './tiers.ts';

const FAST: TierPlan = {
  name: 'fast',
  intervalSeconds: 60,
  maxAgeSeconds: 180,
  collectors: [bindingNamed('broadband_lines')],
};
const MEDIUM: TierPlan = {
  name: 'medium',
  intervalSeconds: 300,
  maxAgeSeconds: 900,
  collectors: [bindingNamed('broadband_services')],
};

/** A scheduler with a log capture and a record of every collect call (at fake time). */
function setup(overrides: Partial<SchedulerOptions> & Pick<SchedulerOptions, 'collect'>) {
  const logs: { level: string; msg: string }[] = [];
  const logger = createLogger(
    { level: 'info', format: 'json' },
    { destination: { write: (line: string) => void logs.push(JSON.parse(line)) } },
  );
  const events: RunEvent[] = [];
  const scheduler = createScheduler({
    accounts: ['default'],
    tiers: [FAST],
    concurrencyLimit: 5,
    logger,
    onRun: (event) => events.push(event),
    ...overrides,
  });
  return { scheduler, logs, events };
}

const seconds = (ms: number): number => ms / 1000;

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the tier scheduler', () => {
  it('staggers the first runs of the tiers, then runs each on its interval', async () => {
    const calls: [string, number][] = [];
    const { scheduler } = setup({
      tiers: [FAST, MEDIUM],
      collect: async (_account, collector) => {
        calls.push([nameOf(collector), seconds(Date.now())]);
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(301_000);
    expect(calls).toEqual([
      ['broadband_lines', 0],
      ['broadband_services', 2],
      ['broadband_lines', 60],
      ['broadband_lines', 120],
      ['broadband_lines', 180],
      ['broadband_lines', 240],
      ['broadband_lines', 300],
    ]);
    await scheduler.stop();
  });

  it('never overlaps runs of a tier, even when a run outlasts the interval', async () => {
    let inFlight = 0;
    let most = 0;
    const starts: number[] = [];
    const { scheduler } = setup({
      collect: async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        starts.push(seconds(Date.now()));
        await new Promise((resolve) => setTimeout(resolve, 90_000));
        inFlight--;
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(300_000);
    expect(most).toBe(1);
    expect(starts.map(Math.round)).toEqual([0, 90, 180, 270]);
    // This collect ignores the abort signal, so stop() waits for it to finish.
    const stopping = scheduler.stop();
    await vi.advanceTimersByTimeAsync(90_000);
    await stopping;
  });

  it('backs a failing job off up to 8 intervals, and recovers on the first good run', async () => {
    const starts: number[] = [];
    let failing = true;
    const { scheduler } = setup({
      collect: async () => {
        starts.push(seconds(Date.now()));
        if (failing) throw new ChaosError('network', 'CHAOS broadband/info: no answer from CHAOS');
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1_500_000);
    expect(starts).toEqual([0, 60, 180, 420, 900, 1380]);
    expect(scheduler.status()[0]).toMatchObject({
      consecutiveFailures: 6,
      lastSuccessMs: undefined,
      lastError: { kind: 'network', message: 'CHAOS broadband/info: no answer from CHAOS' },
    });
    failing = false;
    await vi.advanceTimersByTimeAsync(480_000);
    // The backed-off run at 1 860 s succeeds; from then on the job is back on its 60 s interval.
    expect(starts.slice(6)).toEqual([1860, 1920, 1980]);
    expect(scheduler.status()[0]).toMatchObject({ consecutiveFailures: 0, lastSuccessMs: 1_980_000 });
    await scheduler.stop();
  });

  it('opens a breaker on an auth failure: no calls for 15 minutes, logged once, doubling', async () => {
    const starts: number[] = [];
    const { scheduler, logs } = setup({
      collect: async () => {
        starts.push(seconds(Date.now()));
        throw new ChaosError('auth', 'CHAOS broadband/info: Control authorisation failed');
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    // Refused at 0: no call until the 15-minute pause ends; refused again, the pause doubles to 30 min.
    expect(starts).toEqual([0, 900, 2700]);
    const errors = logs.filter((line) => line.level === 'error');
    expect(errors).toHaveLength(3);
    expect(errors[0]?.msg).toMatch(/CHAOS refused the credentials/);
    await scheduler.stop();
  });

  it('reports the breaker opening and closing, and shows the paused account with its next attempt until a run succeeds', async () => {
    const pauses: AuthPauseEvent[] = [];
    let refused = true;
    const { scheduler } = setup({
      accounts: ['good', 'shop'],
      tiers: [FAST, MEDIUM],
      onAuthPause: (event) => pauses.push(event),
      collect: async (account) => {
        if (account === 'shop' && refused)
          throw new ChaosError('auth', 'CHAOS broadband/info: Control authorisation failed');
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1000);
    // Refused by the fast run at 0 (medium's first run, at 2 s, has not happened yet).
    expect(pauses).toEqual([{ account: 'shop', pause: { untilMs: 900_000, refusals: 1 } }]);
    const [fast, medium] = scheduler.status();
    // Each tier's first run at or after the pause's end: fast every 60 s from 0, medium every 300 s from 2 s.
    expect(fast?.pausedAccounts).toEqual([
      { account: 'shop', refusals: 1, untilMs: 900_000, nextAttemptMs: 900_000 },
    ]);
    expect(medium?.pausedAccounts).toEqual([
      { account: 'shop', refusals: 1, untilMs: 900_000, nextAttemptMs: 902_000 },
    ]);
    expect(pausedAccountsOf(scheduler.status())).toEqual([
      { account: 'shop', refusals: 1, untilMs: 900_000, nextAttemptMs: 900_000 },
    ]);
    expect(fast?.lastError).toMatchObject({
      kind: 'auth',
      account: 'shop',
      collector: 'broadband_lines',
      current: true,
    });
    // Refused again when the pause ends: re-opened for 30 minutes, reported once more.
    await vi.advanceTimersByTimeAsync(900_000);
    expect(pauses).toHaveLength(2);
    expect(pauses[1]).toEqual({ account: 'shop', pause: { untilMs: 2_700_000, refusals: 2 } });
    // Fixed: the first run after the pause succeeds and closes the breaker.
    refused = false;
    await vi.advanceTimersByTimeAsync(1_800_000);
    expect(pauses[2]).toEqual({ account: 'shop', pause: undefined });
    expect(pauses).toHaveLength(3);
    const [after] = scheduler.status();
    expect(after?.pausedAccounts).toEqual([]);
    // The tier's last error stays, marked as past.
    expect(after?.lastError).toMatchObject({ kind: 'auth', account: 'shop', current: false });
    expect(after?.consecutiveFailures).toBe(0);
    await scheduler.stop();
  });

  it('predicts the next attempt after the pause from the job’s back-off too, and none once stopped', async () => {
    const { scheduler } = setup({
      authBackoffMs: 30_000,
      collect: async () => {
        throw new ChaosError('auth', 'CHAOS broadband/info: Control authorisation failed');
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1000);
    // The pause ends at 30 s, but the failed job backs off to the run at 60 s.
    expect(scheduler.status()[0]?.pausedAccounts).toEqual([
      { account: 'default', refusals: 1, untilMs: 30_000, nextAttemptMs: 60_000 },
    ]);
    await scheduler.stop();
    expect(scheduler.status()[0]?.pausedAccounts).toEqual([
      { account: 'default', refusals: 1, untilMs: 30_000, nextAttemptMs: undefined },
    ]);
  });

  it('lists every way a run can fail: the SDK error kinds, then internal', () => {
    expect(RUN_ERROR_KINDS).toEqual([
      'auth',
      'unknown-command',
      'api',
      'http',
      'rate-limit',
      'network',
      'timeout',
      'schema',
      'internal',
    ]);
  });

  it('leaves alone, for hours, a command CHAOS does not offer, but keeps running the others', async () => {
    const calls: string[] = [];
    const { scheduler, logs } = setup({
      tiers: [
        {
          ...MEDIUM,
          intervalSeconds: 300,
          collectors: [bindingNamed('broadband_services'), bindingNamed('telephony_ratecard')],
        },
      ],
      collect: async (_account, collector) => {
        calls.push(nameOf(collector));
        if (nameOf(collector) === 'telephony_ratecard')
          throw new ChaosError('http', 'CHAOS telephony/ratecard: HTTP 500', { status: 500 });
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(3 * 60 * 60_000);
    expect(calls.filter((name) => name === 'telephony_ratecard')).toHaveLength(1);
    expect(calls.filter((name) => name === 'broadband_services').length).toBeGreaterThan(10);
    expect(logs.filter((line) => /does not offer this command/.test(line.msg))).toHaveLength(1);
    await scheduler.stop();
  });

  it('backs off only the failing account: the others keep their interval and the tier is ready', async () => {
    const calls: [string, number][] = [];
    const { scheduler } = setup({
      accounts: ['good', 'bad'],
      collect: async (account) => {
        calls.push([account, seconds(Date.now())]);
        if (account === 'bad')
          throw new ChaosError('timeout', 'CHAOS broadband/info: no answer within 30000 ms');
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(300_000);
    expect(calls.filter(([account]) => account === 'good').map(([, at]) => at)).toEqual([
      0, 60, 120, 180, 240, 300,
    ]);
    expect(calls.filter(([account]) => account === 'bad').map(([, at]) => at)).toEqual([0, 60, 180]);
    expect(scheduler.status()[0]).toMatchObject({ lastSuccessMs: 300_000, consecutiveFailures: 3 });
    await scheduler.stop();
  });

  it('retries a slow failing call on the very next run', async () => {
    const starts: number[] = [];
    const { scheduler } = setup({
      collect: async () => {
        starts.push(seconds(Date.now()));
        await new Promise((resolve) => setTimeout(resolve, 25_000));
        if (starts.length === 1)
          throw new ChaosError('timeout', 'CHAOS broadband/info: no answer within 25000 ms');
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(130_000);
    expect(starts).toEqual([0, 60, 120]);
    const stopping = scheduler.stop();
    await vi.advanceTimersByTimeAsync(25_000);
    await stopping;
  });

  it('waits out a Retry-After longer than the back-off', async () => {
    const starts: number[] = [];
    const { scheduler } = setup({
      collect: async () => {
        starts.push(seconds(Date.now()));
        if (starts.length === 1)
          throw new ChaosError('rate-limit', 'CHAOS broadband/info: rate limited (HTTP 429)', {
            retryAfter: 600,
          });
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(700_000);
    expect(starts).toEqual([0, 600, 660]);
    await scheduler.stop();
  });

  it('treats a 500 from broadband as a passing fault, and only optional commands as unavailable', async () => {
    const calls: number[] = [];
    const { scheduler } = setup({
      collect: async () => {
        calls.push(seconds(Date.now()));
        if (calls.length === 1)
          throw new ChaosError('http', 'CHAOS broadband/info: HTTP 500', { status: 500 });
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(130_000);
    expect(calls).toEqual([0, 60, 120]);
    await scheduler.stop();
  });

  it('keeps at most concurrencyLimit calls in flight across accounts', async () => {
    let inFlight = 0;
    let most = 0;
    const { scheduler } = setup({
      accounts: ['a', 'b', 'c', 'd'],
      concurrencyLimit: 2,
      collect: async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        inFlight--;
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(most).toBe(2);
    await scheduler.stop();
  });

  it('reports each run with its outcome and duration', async () => {
    const { scheduler, events } = setup({
      collect: async () => {
        await new Promise((resolve) => setTimeout(resolve, 250));
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(events).toEqual([
      { tier: 'fast', account: 'default', collector: 'broadband_lines', durationMs: 250, outcome: 'ok' },
    ]);
    expect(scheduler.status()[0]).toMatchObject({ lastSuccessMs: 250, nextRunMs: 60_000, running: false });
    await scheduler.stop();
  });

  it('stop() aborts the request in flight, clears the timers and makes no more calls', async () => {
    let calls = 0;
    let aborted = false;
    const { scheduler } = setup({
      collect: (_account, _collector, signal) =>
        new Promise<void>((_resolve, reject) => {
          calls++;
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(signal.reason);
          });
        }),
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10);
    await scheduler.stop();
    expect(aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(calls).toBe(1);
    expect(scheduler.status()[0]?.nextRunMs).toBeUndefined();
  });
});

describe('reconfigure (a reload)', () => {
  const SLOW: TierPlan = {
    name: 'slow',
    intervalSeconds: 900,
    maxAgeSeconds: 2700,
    collectors: [bindingNamed('login_services')],
  };

  it('keeps the timetable and runs only the fresh accounts at once', async () => {
    const calls: string[] = [];
    const collect = async (account: string, collector: CollectorBinding) => {
      calls.push(`${seconds(Date.now())} ${account} ${nameOf(collector)}`);
    };
    const { scheduler } = setup({ accounts: ['home', 'office'], tiers: [FAST], collect });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(20_000);
    const nextBefore = scheduler.status()[0]?.nextRunMs;
    await scheduler.reconfigure({
      accounts: ['home', 'shop'],
      tiers: [FAST],
      collect,
      fresh: ['shop'],
      forget: ['office'],
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.status()[0]?.nextRunMs).toBe(nextBefore);
    await vi.advanceTimersByTimeAsync(41_000);
    expect(calls).toEqual([
      '0 home broadband_lines',
      '0 office broadband_lines',
      '20 shop broadband_lines',
      '60 home broadband_lines',
      '60 shop broadband_lines',
    ]);
    await scheduler.stop();
  });

  it('aborts a run in flight, waits for it, and runs again at once only its aborted jobs; a new tier runs at once', async () => {
    const calls: string[] = [];
    let aborted = 0;
    const hanging = (account: string, collector: CollectorBinding, signal: AbortSignal) =>
      new Promise<void>((_resolve, reject) => {
        calls.push(`${seconds(Date.now())} ${account} ${nameOf(collector)} old`);
        signal.addEventListener('abort', () => {
          aborted++;
          reject(signal.reason);
        });
      });
    const quick = async (account: string, collector: CollectorBinding) => {
      calls.push(`${seconds(Date.now())} ${account} ${nameOf(collector)} new`);
    };
    const { scheduler, events } = setup({ tiers: [FAST], collect: hanging });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5_000);
    await scheduler.reconfigure({
      accounts: ['default'],
      tiers: [FAST, SLOW],
      collect: quick,
      fresh: [],
      forget: [],
    });
    expect(aborted).toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([
      '0 default broadband_lines old',
      '5 default broadband_lines new',
      '5 default login_services new',
    ]);
    // The aborted run is neither a failure nor a success.
    expect(events.map((event) => event.outcome)).toEqual(['ok', 'ok']);
    // The cut-short fast run keeps its turn: one interval after it started.
    expect(scheduler.status().map((tier) => tier.nextRunMs)).toEqual([60_000, 905_000]);
    await scheduler.stop();
  });

  it('holds the timers while it waits for an aborted run: a tick due meanwhile runs after, not never', async () => {
    const calls: string[] = [];
    const collect = (_account: string, collector: CollectorBinding, signal: AbortSignal) => {
      calls.push(`${seconds(Date.now())} ${nameOf(collector)}`);
      if (nameOf(collector) !== 'broadband_services') return Promise.resolve();
      // The medium run hangs, and takes a second to give up once aborted.
      return new Promise<void>((_resolve, reject) => {
        signal.addEventListener('abort', () => setTimeout(() => reject(signal.reason), 1000));
      });
    };
    const { scheduler } = setup({ tiers: [FAST, MEDIUM], collect });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(59_500);
    const reloaded = scheduler.reconfigure({
      accounts: ['default'],
      tiers: [FAST, MEDIUM],
      collect,
      fresh: [],
      forget: [],
    });
    // The fast tick due at 60 s falls inside the wait.
    await vi.advanceTimersByTimeAsync(1000);
    await reloaded;
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toEqual([
      '0 broadband_lines',
      '2 broadband_services',
      // The medium job the reload aborted, at once; the fast tick, as soon as the reload is
      // applied (a timer of 0 ms fires after 1 ms), with the new signal.
      '60.5 broadband_services',
      '60.501 broadband_lines',
    ]);
    expect(scheduler.status().map((tier) => tier.nextRunMs)).toEqual([120_501, 302_000]);
    // The medium job hangs again: the stop aborts it, and it takes its second to give up.
    const stopped = scheduler.stop();
    await vi.advanceTimersByTimeAsync(1000);
    await stopped;
  });

  it('forgets a forgotten account’s breaker (reported closed) and back-off, so new credentials are tried at once', async () => {
    let password = 'wrong';
    const pauses: AuthPauseEvent[] = [];
    const calls: number[] = [];
    const collect = async () => {
      calls.push(seconds(Date.now()));
      if (password === 'wrong')
        throw new ChaosError('auth', 'CHAOS broadband/info: Control authorisation failed');
    };
    const { scheduler } = setup({ collect, onAuthPause: (event) => pauses.push(event) });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toEqual([0]);
    expect(scheduler.status()[0]?.pausedAccounts).toHaveLength(1);
    password = 'right';
    await scheduler.reconfigure({
      accounts: ['default'],
      tiers: [FAST],
      collect,
      fresh: ['default'],
      forget: ['default'],
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([0, 120]);
    expect(pauses.map((event) => event.pause === undefined)).toEqual([false, true]);
    expect(scheduler.status()[0]?.pausedAccounts).toEqual([]);
    expect(scheduler.status()[0]?.consecutiveFailures).toBe(0);
    await scheduler.stop();
  });

  it('restores the breakers a previous process left: no call until the pause ends', async () => {
    const calls: number[] = [];
    const { scheduler } = setup({
      collect: async () => {
        calls.push(seconds(Date.now()));
      },
      restoredPauses: new Map([['default', { untilMs: 150_000, refusals: 2 }]]),
    });
    expect(scheduler.status()[0]?.pausedAccounts).toMatchObject([
      { account: 'default', refusals: 2, untilMs: 150_000 },
    ]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(200_000);
    expect(calls).toEqual([180]);
    await scheduler.stop();
  });
});
