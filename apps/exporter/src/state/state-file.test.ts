import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStateFile, type StateFile, writeStateFile } from './state-file.ts';

let dir = '';
let path = '';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aaisp-state-file-'));
  path = join(dir, 'state.json');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const STATE: StateFile = {
  version: 1,
  savedAt: '2026-11-02T10:00:00.000Z',
  salt: '0123456789abcdef0123456789abcdef',
  accounts: {
    home: {
      authPause: { untilMs: 1_793_613_600_000, refusals: 2, credentials: 'a1b2c3' },
      targets: { cqm: { '32891': { totals: { samples: 3 }, list: [1, 'two', null, true] } } },
    },
    office: { targets: { cqm: { '40001': 7 } } },
    idle: {},
  },
};

/** A valid file's JSON with some of it replaced. */
function fileWith(changes: Record<string, unknown>): string {
  return JSON.stringify({ ...STATE, ...changes });
}

describe('writeStateFile and readStateFile', () => {
  it('give back the state that was written, targets as any JSON', async () => {
    await writeStateFile(path, STATE);
    expect(readStateFile(path)).toEqual({ ok: true, state: STATE });
  });

  it('write a 0600 file and leave no temporary file behind, also over an older 0644 file', async () => {
    await writeFile(path, '{}', { mode: 0o644 });
    await chmod(path, 0o644);
    await writeStateFile(path, STATE);
    await writeStateFile(path, { ...STATE, savedAt: '2026-11-02T10:05:00.000Z' });
    expect(await readdir(dir)).toEqual(['state.json']);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8')).savedAt).toBe('2026-11-02T10:05:00.000Z');
  });

  it('keep one whole file when two writes race', async () => {
    const other: StateFile = { ...STATE, accounts: {} };
    await Promise.all([writeStateFile(path, STATE), writeStateFile(path, other)]);
    const read = readStateFile(path);
    expect(
      read.ok && [STATE, other].some((state) => JSON.stringify(state) === JSON.stringify(read.state)),
    ).toBe(true);
    expect(await readdir(dir)).toEqual(['state.json']);
  });
});

describe('writeStateFile', () => {
  it('rejects with the errno code and removes its temporary file when the rename fails', async () => {
    // A non-empty directory where the file should be: the temp file is written, the rename fails.
    await mkdir(join(path, 'inside'), { recursive: true });
    await expect(writeStateFile(path, STATE)).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    expect((await readdir(dir)).sort()).toEqual(['state.json']);
    expect((await stat(path)).isDirectory()).toBe(true);
  });

  it('rejects with ENOENT when the directory does not exist', async () => {
    await expect(writeStateFile(join(dir, 'absent', 'state.json'), STATE)).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('leaves the previous file whole when a write fails', async () => {
    await writeStateFile(path, STATE);
    await chmod(dir, 0o500);
    try {
      // As root the directory stays writable, and the write succeeds: both outcomes keep a whole file.
      await writeStateFile(path, { ...STATE, accounts: {} }).catch(() => undefined);
    } finally {
      await chmod(dir, 0o700);
    }
    expect(readStateFile(path).ok).toBe(true);
    expect(await readdir(dir)).toEqual(['state.json']);
  });
});

describe('readStateFile', () => {
  it('reports a missing file as missing', () => {
    expect(readStateFile(path)).toEqual({ ok: false, kind: 'missing', message: 'no state file' });
  });

  it('reports a file that cannot be read as unreadable, with the errno code', async () => {
    // chmod 000 does not stop root: a directory in the file's place fails for everyone.
    await mkdir(path);
    expect(readStateFile(path)).toEqual({ ok: false, kind: 'unreadable', message: 'EISDIR' });
  });

  it('reports text that is not JSON as corrupt, without quoting it', async () => {
    await writeFile(path, '{"salt": "hunter2", oops');
    const read = readStateFile(path);
    expect(read).toEqual({ ok: false, kind: 'corrupt', message: 'not JSON' });
  });

  it('reports JSON that is not a state file as corrupt, naming the paths but not the values', async () => {
    await writeFile(
      path,
      fileWith({
        accounts: { home: { authPause: { untilMs: 1, refusals: 0, credentials: 'hunter2' } } },
      }),
    );
    const read = readStateFile(path);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.kind).toBe('corrupt');
    expect(read.message).toContain('accounts.home.authPause.refusals: too_small');
    expect(read.message).toContain('accounts.home.authPause.credentials: invalid_format');
    expect(read.message).not.toContain('hunter2');
  });

  it('counts the issues it does not name', async () => {
    await writeFile(path, JSON.stringify({ version: 1 }));
    expect(readStateFile(path)).toEqual({
      ok: false,
      kind: 'corrupt',
      message: 'not a state file: savedAt: invalid_type; salt: invalid_type; accounts: invalid_type',
    });
    await writeFile(path, JSON.stringify([]));
    expect(readStateFile(path)).toMatchObject({
      kind: 'corrupt',
      message: 'not a state file: (root): invalid_type',
    });
  });

  it('reports a state without a usable version as corrupt', async () => {
    for (const version of ['1', 0, undefined]) {
      await writeFile(path, fileWith({ version }));
      expect(readStateFile(path)).toMatchObject({ ok: false, kind: 'corrupt' });
    }
  });

  it('reports a newer version as future-version, even when the rest is not a version-1 state', async () => {
    await writeFile(path, JSON.stringify({ version: 2, accounts: ['a new shape'] }));
    expect(readStateFile(path)).toEqual({
      ok: false,
      kind: 'future-version',
      message: 'version 2, newer than 1',
    });
  });
});
