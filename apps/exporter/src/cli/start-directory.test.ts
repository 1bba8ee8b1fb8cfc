import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDirectory } from './start-directory.ts';

describe('startDirectory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aaisp-start-'));

  it('is where pnpm was run, when it says so', () => {
    expect(startDirectory({ INIT_CWD: dir }, '/elsewhere')).toBe(dir);
  });

  it('is the process’s own directory without INIT_CWD, or when it is no directory', () => {
    expect(startDirectory({}, '/here')).toBe('/here');
    expect(startDirectory({ INIT_CWD: '' }, '/here')).toBe('/here');
    expect(startDirectory({ INIT_CWD: join(dir, 'gone') }, '/here')).toBe('/here');
    writeFileSync(join(dir, 'file'), '');
    expect(startDirectory({ INIT_CWD: join(dir, 'file') }, '/here')).toBe('/here');
  });
});
