import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStateFile, type StateFile, writeStateFile } from './state-file.ts';
import { createStateKeeper, type StateKeeper } from './state-keeper.ts';

let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aaisp-state-keeper-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A pino logger whose JSON lines land in `lines`. */
function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const text: string[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write: (line: string) => {
        text.push(line);
        lines.push(JSON.parse(line));
      },
    },
  );
  return { logger, lines, text, warnings: () => lines.filter((line) => line.level === 40) };
}

/** A write seam that records each state and writes it for real. */
function recordingWrite() {
  const states: StateFile[] = [];
  const write: typeof writeStateFile = async (path, state) => {
    states.push(state);
    await writeStateFile(path, state);
  };
  return { states, write };
}

const PAUSE = { untilMs: 1_793_613_600_000, refusals: 1, credentials: 'a1b2c3' };
const AUTH = { controlLogin: 'ab123@a', controlPassword: 'secret' };

/** Lets pending microtasks and I/O callbacks run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createStateKeeper without a directory', () => {
  it('keeps the state in memory and never writes', async () => {
    const { logger, lines } = captureLogger();
    const { states, write } = recordingWrite();
    const state = createStateKeeper({ logger, write });
    expect(state.persistent).toBe(false);
    state.setAuthPause('home', PAUSE);
    state.setTarget('cqm', 'home', '32891', { samples: 3 });
    await state.flush();
    expect(state.authPause('home')).toEqual(PAUSE);
    expect(state.target('cqm', 'home', '32891')).toEqual({ samples: 3 });
    expect(states).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('uses a random salt per process', () => {
    const { logger } = captureLogger();
    const a = createStateKeeper({ logger });
    const b = createStateKeeper({ logger });
    expect(a.fingerprint(AUTH)).toBe(a.fingerprint(AUTH));
    expect(a.fingerprint(AUTH)).toMatch(/^[0-9a-f]{6}$/);
    // Two 128-bit salts collide never; two 24-bit fingerprints once in 16.7 million runs.
    expect(a.fingerprint(AUTH)).not.toBe(b.fingerprint(AUTH));
  });
});

describe('createStateKeeper at start', () => {
  it('creates a missing directory (0700) and says a missing file is normal on a first start', async () => {
    const { logger, warnings } = captureLogger();
    const stateDir = join(dir, 'a', 'b');
    const state = createStateKeeper({ dir: stateDir, logger });
    expect(state.persistent).toBe(true);
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
    expect(warnings()).toEqual([
      expect.objectContaining({
        path: join(stateDir, 'state.json'),
        kind: 'missing',
        reason: 'no state file',
        msg: expect.stringContaining('normal on a first start'),
      }),
    ]);
    expect(state.authPause('home')).toBeUndefined();
    expect(existsSync(join(stateDir, 'state.json'))).toBe(false);
  });

  it.each([
    ['corrupt', '{"version": 1, "salt": "hunter2"', 'not JSON'],
    ['future-version', JSON.stringify({ version: 2, salt: 'hunter2' }), 'version 2, newer than 1'],
  ])('starts empty on a %s file, with one warning that quotes nothing', async (kind, content, reason) => {
    await writeFile(join(dir, 'state.json'), content);
    const { logger, warnings, text } = captureLogger();
    const state = createStateKeeper({ dir, logger });
    expect(warnings()).toEqual([
      expect.objectContaining({ kind, reason, msg: expect.stringContaining('starting without saved state') }),
    ]);
    expect(text.join('')).not.toContain('hunter2');
    expect(state.authPause('home')).toBeUndefined();
    // The next change replaces the bad file with a good one.
    state.setAuthPause('home', PAUSE);
    await state.flush();
    expect(readStateFile(join(dir, 'state.json'))).toMatchObject({ ok: true });
  });

  it('starts empty on an unreadable file, and logs each failed write', async () => {
    await mkdir(join(dir, 'state.json'));
    const { logger, warnings } = captureLogger();
    const state = createStateKeeper({ dir, logger });
    expect(warnings()).toEqual([expect.objectContaining({ kind: 'unreadable', reason: 'EISDIR' })]);
    state.setAuthPause('home', PAUSE);
    await state.flush();
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]).toMatchObject({ path: join(dir, 'state.json'), code: expect.stringMatching(/^E/) });
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('warns and stays in memory when the directory cannot be created', async () => {
    await writeFile(join(dir, 'file'), '');
    const { logger, warnings } = captureLogger();
    const state = createStateKeeper({ dir: join(dir, 'file', 'state'), logger });
    expect(warnings()).toEqual([expect.objectContaining({ code: 'ENOTDIR' })]);
    state.setTarget('cqm', 'home', '1', 1);
    await state.flush();
    expect(state.target('cqm', 'home', '1')).toBe(1);
    expect(warnings()).toHaveLength(2);
  });

  it('reads back what an earlier keeper wrote, its salt included', async () => {
    const first = createStateKeeper({ dir, logger: captureLogger().logger });
    first.setAuthPause('home', { ...PAUSE, credentials: first.fingerprint(AUTH) });
    first.setTarget('cqm', 'home', '32891', { totals: { samples: 3 }, newest: null });
    first.setTarget('cqm', 'office', '40001', [1, 'two']);
    await first.flush();

    const { logger, warnings, lines } = captureLogger();
    const second = createStateKeeper({ dir, logger });
    expect(warnings()).toEqual([]);
    expect(lines).toEqual([expect.objectContaining({ msg: 'saved state loaded', accounts: 2 })]);
    expect(second.fingerprint(AUTH)).toBe(first.fingerprint(AUTH));
    expect(second.authPause('home')).toEqual({ ...PAUSE, credentials: first.fingerprint(AUTH) });
    expect(second.target('cqm', 'home', '32891')).toEqual({ totals: { samples: 3 }, newest: null });
    expect(second.target('cqm', 'office', '40001')).toEqual([1, 'two']);
    expect(second.target('cqm', 'office', 'other')).toBeUndefined();
    expect(second.target('other', 'office', '40001')).toBeUndefined();
  });
});

describe('StateKeeper writes', () => {
  it('write the file atomically: 0600, only state.json in the directory, every change in it', async () => {
    const state = createStateKeeper({
      dir,
      logger: captureLogger().logger,
      now: () => Date.UTC(2026, 10, 2),
    });
    for (let round = 0; round < 5; round += 1) {
      state.setTarget('cqm', 'home', '32891', { round });
      await state.flush();
    }
    state.setAuthPause('home', PAUSE);
    await state.flush();
    expect(await readdir(dir)).toEqual(['state.json']);
    expect((await stat(join(dir, 'state.json'))).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));
    expect(saved).toEqual({
      version: 1,
      savedAt: '2026-11-02T00:00:00.000Z',
      salt: expect.stringMatching(/^[0-9a-f]{32}$/),
      accounts: { home: { authPause: PAUSE, targets: { cqm: { '32891': { round: 4 } } } } },
    });
  });

  it('coalesce the changes of one tick into one write', async () => {
    const { states, write } = recordingWrite();
    const state = createStateKeeper({ dir, logger: captureLogger().logger, write });
    for (let line = 0; line < 10; line += 1) state.setTarget('cqm', 'home', `${line}`, line);
    state.setAuthPause('home', PAUSE);
    await state.flush();
    expect(states).toHaveLength(1);
    expect(Object.keys(states[0]?.accounts.home?.targets?.cqm ?? {})).toHaveLength(10);
    expect(states[0]?.accounts.home?.authPause).toEqual(PAUSE);
  });

  it('never overlap: changes during a write make exactly one more write, after it', async () => {
    const gate = Promise.withResolvers<void>();
    const states: StateFile[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const write: typeof writeStateFile = async (path, saved) => {
      states.push(saved);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await gate.promise;
      await writeStateFile(path, saved);
      inFlight -= 1;
    };
    const state = createStateKeeper({ dir, logger: captureLogger().logger, write });
    state.setTarget('cqm', 'home', '1', 'first');
    await settle();
    expect(states).toHaveLength(1);
    state.setTarget('cqm', 'home', '2', 'second');
    await settle();
    state.setTarget('cqm', 'home', '3', 'third');
    state.setAuthPause('home', PAUSE);
    const flushed = state.flush();
    await settle();
    expect(states).toHaveLength(1);
    gate.resolve();
    await flushed;
    expect(states).toHaveLength(2);
    expect(maxInFlight).toBe(1);
    expect(states[1]?.accounts.home?.targets?.cqm).toEqual({ '1': 'first', '2': 'second', '3': 'third' });
    expect(readStateFile(join(dir, 'state.json'))).toMatchObject({ ok: true, state: states[1] });
  });

  it('are not made for a change that changes nothing', async () => {
    const { states, write } = recordingWrite();
    const state = createStateKeeper({ dir, logger: captureLogger().logger, write });
    state.setAuthPause('home', PAUSE);
    state.setTarget('cqm', 'home', '1', { a: [1, 2] });
    await state.flush();
    state.setAuthPause('home', { ...PAUSE });
    state.setTarget('cqm', 'home', '1', { a: [1, 2] });
    state.setAuthPause('office', undefined);
    state.retain(() => true);
    await state.flush();
    expect(states).toHaveLength(1);
  });

  it('log a failed write once, without contents, and write again on the next change', async () => {
    const states: StateFile[] = [];
    let failures = 1;
    const write: typeof writeStateFile = async (path, saved) => {
      states.push(saved);
      if (failures > 0) {
        failures -= 1;
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      await writeStateFile(path, saved);
    };
    const { logger, warnings, text } = captureLogger();
    const state = createStateKeeper({ dir, logger, write });
    const startLines = text.length;
    state.setTarget('cqm', 'home', '1', 'counter-secret-looking-value');
    await expect(state.flush()).resolves.toBeUndefined();
    expect(states).toHaveLength(1);
    expect(warnings().slice(1)).toEqual([
      expect.objectContaining({ path: join(dir, 'state.json'), code: 'ENOSPC' }),
    ]);
    expect(text.slice(startLines).join('')).not.toContain('counter-secret-looking-value');

    state.setTarget('cqm', 'home', '2', 'next');
    await state.flush();
    expect(states).toHaveLength(2);
    expect(warnings()).toHaveLength(2);
    expect(readStateFile(join(dir, 'state.json'))).toMatchObject({
      ok: true,
      state: {
        accounts: { home: { targets: { cqm: { '1': 'counter-secret-looking-value', '2': 'next' } } } },
      },
    });
  });

  it('removes the file a failed write left behind, so a restart never goes back to older counters', async () => {
    let failing = false;
    const write: typeof writeStateFile = async (path, saved) => {
      if (failing)
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      await writeStateFile(path, saved);
    };
    const { logger, warnings } = captureLogger();
    const state = createStateKeeper({ dir, logger, write });
    state.setTarget('cqm', 'home', '1', { samples: 10 });
    await state.flush();
    expect(readStateFile(join(dir, 'state.json')).ok).toBe(true);
    failing = true;
    state.setTarget('cqm', 'home', '1', { samples: 11 });
    await state.flush();
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
    expect(warnings().at(-1)).toMatchObject({ code: 'ENOSPC', staleFileRemoved: true });
    // A later write that works puts the whole state back.
    failing = false;
    state.setTarget('cqm', 'home', '1', { samples: 12 });
    await state.flush();
    expect(readStateFile(join(dir, 'state.json'))).toMatchObject({
      ok: true,
      state: { accounts: { home: { targets: { cqm: { '1': { samples: 12 } } } } } },
    });
  });

  it('sweeps the temporary files a write cut short by the process end left', async () => {
    await writeFile(join(dir, '.state.json.0123456789ab.tmp'), '{"version":1');
    await writeFile(join(dir, 'unrelated.tmp'), 'keep');
    const { logger } = captureLogger();
    createStateKeeper({ dir, logger });
    expect((await readdir(dir)).sort()).toEqual(['unrelated.tmp']);
  });

  it('log a write seam that throws synchronously, and never reject', async () => {
    const { logger, warnings } = captureLogger();
    const write: typeof writeStateFile = () => {
      throw new TypeError('boom');
    };
    const state = createStateKeeper({ dir, logger, write });
    state.setAuthPause('home', PAUSE);
    await expect(state.flush()).resolves.toBeUndefined();
    expect(warnings().at(-1)).toMatchObject({ code: 'unknown' });
  });
});

describe('StateKeeper values', () => {
  function filled(): StateKeeper {
    const state = createStateKeeper({ logger: captureLogger().logger });
    state.setAuthPause('home', PAUSE);
    state.setAuthPause('gone', PAUSE);
    state.setTarget('cqm', 'home', 'kept', 1);
    state.setTarget('cqm', 'home', 'dropped', 2);
    state.setTarget('cqm', 'gone', 'line', 3);
    state.setTarget('cqm', 'targetsOnly', 'line', 4);
    return state;
  }

  it('retain drops whole accounts and single targets', () => {
    const state = filled();
    const asked: (string | undefined)[][] = [];
    state.retain((account, source, target) => {
      asked.push([account, source, target]);
      if (account === 'gone') return false;
      return target !== 'dropped';
    });
    expect(asked).toContainEqual(['targetsOnly', undefined, undefined]);
    expect(asked).toContainEqual(['home', 'cqm', 'kept']);
    expect(asked).not.toContainEqual(['gone', 'cqm', 'line']);
    expect(state.authPause('home')).toEqual(PAUSE);
    expect(state.authPause('gone')).toBeUndefined();
    expect(state.target('cqm', 'home', 'kept')).toBe(1);
    expect(state.target('cqm', 'home', 'dropped')).toBeUndefined();
    expect(state.target('cqm', 'gone', 'line')).toBeUndefined();
    expect(state.target('cqm', 'targetsOnly', 'line')).toBe(4);
  });

  it('retain writes what is left, without empty accounts or sources', async () => {
    const { states, write } = recordingWrite();
    const state = createStateKeeper({ dir, logger: captureLogger().logger, write });
    state.setAuthPause('home', PAUSE);
    state.setTarget('cqm', 'home', 'a', 1);
    state.setTarget('cqm', 'office', 'b', 2);
    await state.flush();
    state.retain((account, _source, target) => account === 'home' && target !== 'a');
    await state.flush();
    expect(states.at(-1)?.accounts).toEqual({ home: { authPause: PAUSE } });
  });

  it('setAuthPause(undefined) forgets the pause', () => {
    const state = filled();
    state.setAuthPause('home', undefined);
    expect(state.authPause('home')).toBeUndefined();
  });

  it('target gives a copy, and setTarget keeps one', () => {
    const state = createStateKeeper({ logger: captureLogger().logger });
    const value = { totals: { samples: 1 } };
    state.setTarget('cqm', 'home', '1', value);
    value.totals.samples = 99;
    const read = state.target('cqm', 'home', '1');
    expect(read).toEqual({ totals: { samples: 1 } });
    expect(read).not.toBe(state.target('cqm', 'home', '1'));
  });

  it('setAuthPause refuses a pause that the file could not hold', () => {
    const state = createStateKeeper({ logger: captureLogger().logger });
    expect(() => state.setAuthPause('home', { ...PAUSE, refusals: 0 })).toThrow(RangeError);
    expect(() => state.setAuthPause('home', { ...PAUSE, untilMs: Number.NaN })).toThrow(RangeError);
    expect(() => state.setAuthPause('home', { ...PAUSE, credentials: 'secret' })).toThrow(RangeError);
    expect(state.authPause('home')).toBeUndefined();
  });

  it('fingerprint tells a changed password from the same one', () => {
    const state = createStateKeeper({ logger: captureLogger().logger });
    expect(state.fingerprint({ ...AUTH })).toBe(state.fingerprint(AUTH));
    expect(state.fingerprint({ ...AUTH, controlPassword: 'changed' })).not.toBe(state.fingerprint(AUTH));
  });
});
