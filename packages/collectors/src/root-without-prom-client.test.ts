import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * The module specifiers `file` imports or re-exports, type-only ones included: static imports and
 * exports (which start a line in our formatting), side-effect imports and dynamic imports.
 */
function specifiersOf(file: URL): string[] {
  const source = readFileSync(file, 'utf8');
  const patterns = [
    /^(?:import|export)\s[^;]*?\sfrom\s+'([^']+)';/gm,
    /^import\s+'([^']+)';/gm,
    /\bimport\('([^']+)'\)/g,
  ];
  return patterns.flatMap((pattern) =>
    [...source.matchAll(pattern)].flatMap((match) => (match[1] === undefined ? [] : [match[1]])),
  );
}

describe('the root entry without prom-client', () => {
  it('loads and maps with prom-client unresolvable; only the ./prom-client subpath needs it', async () => {
    // A child Node, so that this process' own prom-client (the tests of the adapter) plays no part.
    const { NODE_OPTIONS: _ignored, ...env } = process.env;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@aaisp/source', 'test/root-without-prom-client.ts'],
      { cwd: packageDir, env },
    );
    const result: unknown = JSON.parse(stdout);
    expect(result).toMatchObject({
      refusedByRoot: [],
      adapter: { loaded: null, code: 'ERR_MODULE_NOT_FOUND' },
      refused: [expect.stringMatching(/^prom-client from .*\/src\/prom-client\.ts$/)],
    });
    for (const series of [
      'aaisp_broadband_sync_download_bits_per_second{line_id="32001"} 80000000',
      'aaisp_broadband_quota_used_bytes{line_id="32001"} 75000000000',
      'aaisp_broadband_quota_used_ratio{line_id="32001"} 0.75',
      'aaisp_broadband_sync_changes_total{line_id="32001"} 0',
      'aaisp_broadband_lines 1',
    ]) {
      expect(result).toHaveProperty('exposition', expect.stringContaining(`\n${series}\n`));
    }
  });

  it('reaches no module that imports prom-client, not even for types', () => {
    const seen = new Set<string>();
    const pending = [new URL('./index.ts', import.meta.url)];
    const bare = new Set<string>();
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
      if (seen.has(file.href)) continue;
      seen.add(file.href);
      for (const specifier of specifiersOf(file)) {
        if (specifier.startsWith('.')) pending.push(new URL(specifier, file));
        else bare.add(specifier);
      }
    }
    expect(seen.size).toBeGreaterThan(10);
    expect([...seen].some((href) => href.endsWith('/prom-client.ts'))).toBe(false);
    expect([...bare].sort()).toEqual(['@aaisp/chaos-client']);
  });
});
