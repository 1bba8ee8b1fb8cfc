import { describe, expect, it } from 'vitest';
import { createSemaphore, mapLimited } from './semaphore.ts';

/** Lets every queued promise job run (several hops: a slot's grant, the task's start). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Tasks the test finishes by hand, recording which started and how many ran at once. */
function controlledTasks<R>(): {
  readonly task: (item: number) => Promise<R>;
  readonly started: number[];
  readonly finish: (item: number, outcome: { value: R } | { error: unknown }) => void;
  readonly peak: () => number;
} {
  const started: number[] = [];
  const pending = new Map<number, PromiseWithResolvers<R>>();
  let running = 0;
  let peak = 0;
  return {
    task: async (item) => {
      started.push(item);
      running++;
      peak = Math.max(peak, running);
      const deferred = Promise.withResolvers<R>();
      pending.set(item, deferred);
      try {
        return await deferred.promise;
      } finally {
        running--;
      }
    },
    started,
    finish: (item, outcome) => {
      const deferred = pending.get(item);
      if (deferred === undefined) throw new Error(`task ${item} has not started`);
      if ('value' in outcome) deferred.resolve(outcome.value);
      else deferred.reject(outcome.error);
    },
    peak: () => peak,
  };
}

describe('mapLimited', () => {
  it('keeps the order of the items whatever order the tasks finish in', async () => {
    const delays = [30, 5, 20, 0, 10];
    const results = await mapLimited(delays, 2, async (delay) => {
      await new Promise((resolve) => setTimeout(resolve, delay));
      return `waited ${delay}`;
    });
    expect(results).toEqual(delays.map((delay) => `waited ${delay}`));
  });

  it('runs at most `limit` tasks at once, starting the next as a slot frees', async () => {
    const tasks = controlledTasks<number>();
    const all = mapLimited([0, 1, 2, 3, 4, 5], 3, tasks.task);
    await settle();
    expect(tasks.started).toEqual([0, 1, 2]);
    tasks.finish(1, { value: 10 });
    await settle();
    expect(tasks.started).toEqual([0, 1, 2, 3]);
    for (const item of [0, 2, 3]) tasks.finish(item, { value: item * 10 });
    await settle();
    for (const item of [4, 5]) tasks.finish(item, { value: item * 10 });
    expect(await all).toEqual([0, 10, 20, 30, 40, 50]);
    expect(tasks.peak()).toBe(3);
  });

  it('starts no task after one has rejected, and rejects with that task’s error', async () => {
    const tasks = controlledTasks<number>();
    const all = mapLimited([0, 1, 2, 3, 4, 5], 2, tasks.task);
    const failure = new Error('task 0 failed');
    await settle();
    expect(tasks.started).toEqual([0, 1]);
    tasks.finish(0, { error: failure });
    await expect(all).rejects.toBe(failure);
    // The running one finishes; its slot is not handed to a waiting task either.
    tasks.finish(1, { value: 1 });
    await settle();
    expect(tasks.started).toEqual([0, 1]);
  });

  it('starts no task after a rejection even when another task frees its slot at the same moment', async () => {
    const tasks = controlledTasks<number>();
    const all = mapLimited([0, 1, 2, 3], 2, tasks.task);
    const failure = new Error('task 1 failed');
    await settle();
    // 0 frees its slot as 1 fails: the slot must not go to 2.
    tasks.finish(0, { value: 0 });
    tasks.finish(1, { error: failure });
    await expect(all).rejects.toBe(failure);
    await settle();
    expect(tasks.started).toEqual([0, 1]);
  });

  it('rejects with the abort reason of an already aborted signal, starting nothing', async () => {
    const tasks = controlledTasks<number>();
    const reason = new Error('shutting down');
    await expect(mapLimited([0, 1, 2], 2, tasks.task, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(tasks.started).toEqual([]);
  });

  it('stops starting tasks when the signal is aborted, and rejects with its reason', async () => {
    const tasks = controlledTasks<number>();
    const controller = new AbortController();
    const all = mapLimited([0, 1, 2, 3], 2, tasks.task, controller.signal);
    await settle();
    const reason = new Error('shutting down');
    controller.abort(reason);
    await expect(all).rejects.toBe(reason);
    tasks.finish(0, { value: 0 });
    tasks.finish(1, { value: 1 });
    await settle();
    expect(tasks.started).toEqual([0, 1]);
  });

  it('answers [] for no items', async () => {
    expect(await mapLimited([], 2, async () => 1)).toEqual([]);
  });
});

describe('createSemaphore', () => {
  it('refuses a limit below 1 or not a whole number', () => {
    expect(() => createSemaphore(0)).toThrow(RangeError);
    expect(() => createSemaphore(1.5)).toThrow(RangeError);
  });

  it('counts the running tasks, and frees a slot when a task rejects', async () => {
    const semaphore = createSemaphore(1);
    const first = semaphore.run(async () => {
      throw new Error('boom');
    });
    expect(semaphore.active).toBe(1);
    await expect(first).rejects.toThrow('boom');
    expect(semaphore.active).toBe(0);
    expect(await semaphore.run(async () => 'next')).toBe('next');
  });

  it('gives an already aborted caller no slot, even a free one, and starts nothing', async () => {
    const semaphore = createSemaphore(2);
    const reason = new Error('stopping');
    let ran = false;
    await expect(
      semaphore.run(async () => {
        ran = true;
      }, AbortSignal.abort(reason)),
    ).rejects.toBe(reason);
    expect(ran).toBe(false);
    expect(semaphore.active).toBe(0);
  });

  it('drops an aborted wait from the queue with the abort reason', async () => {
    const semaphore = createSemaphore(1);
    const gate = Promise.withResolvers<void>();
    const holder = semaphore.run(() => gate.promise);
    const controller = new AbortController();
    let ran = false;
    const waiting = semaphore.run(async () => {
      ran = true;
    }, controller.signal);
    const reason = new Error('gave up');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    gate.resolve();
    await holder;
    await settle();
    expect(ran).toBe(false);
    expect(semaphore.active).toBe(0);
  });
});
