import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDirectory } from './start-directory.ts';

describe('startDirectory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aaisp-start-'));

  const script = { npm_package_json: '/app/package.json' };

  it('is where pnpm was run, when this package’s script started the process', () => {
    expect(startDirectory({ INIT_CWD: dir, ...script }, '/app')).toBe(dir);
  });

  it('is the process’s own directory when INIT_CWD was inherited from another script', () => {
    expect(startDirectory({ INIT_CWD: dir }, '/srv/exporter')).toBe('/srv/exporter');
    expect(startDirectory({ INIT_CWD: dir, ...script }, '/srv/exporter')).toBe('/srv/exporter');
  });

  it('is the process’s own directory without INIT_CWD, or when it is no directory', () => {
    const here = { npm_package_json: '/here/package.json' };
    expect(startDirectory({}, '/here')).toBe('/here');
    expect(startDirectory({ INIT_CWD: '', ...here }, '/here')).toBe('/here');
    expect(startDirectory({ INIT_CWD: join(dir, 'gone'), ...here }, '/here')).toBe('/here');
    writeFileSync(join(dir, 'file'), '');
    expect(startDirectory({ INIT_CWD: join(dir, 'file'), ...here }, '/here')).toBe('/here');
  });
});
