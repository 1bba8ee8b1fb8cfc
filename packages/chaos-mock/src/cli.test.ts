import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliChild, finished, killAll } from '../../../cli-test.shared.ts';
import packageJson from '../package.json' with { type: 'json' };
import { infoOf, postJson } from '../test/helpers.ts';

// Node 24 runs the TypeScript source directly (type stripping), so the bin is tested without a build.
const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

type Child = CliChild;
const children: Child[] = [];

function run(args: string[]): Child {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return child;
}

async function firstLine(child: Child): Promise<string> {
  const lines = createInterface({ input: child.stdout });
  const [line] = await once(lines, 'line');
  lines.close();
  return String(line);
}

afterEach(() => killAll(children));

describe('the chaos-mock CLI', () => {
  it('prints only the URL on stdout, serves the requested lines and stops cleanly on SIGTERM', async () => {
    const child = run(['--port', '0', '--lines', '3', '--scenario', 'normal']);
    const url = await firstLine(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const info = infoOf(await postJson(url, 'broadband/info/json'));
    expect(info.map((line) => line.ID)).toEqual(['32001', '32002', '32003']);
    const done = finished(child);
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  });

  it('starts in the scenario it is given', async () => {
    const child = run(['--port', '0', '--scenario', 'rate-limit', '--retry-after', '9']);
    const url = await firstLine(child);
    const response = await fetch(new URL('broadband/info/json', url), { method: 'POST' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('9');
  });

  it('accepts the credentials it is given', async () => {
    const child = run(['--port', '0', '--control-login', 'me@a', '--control-password', 'pw']);
    const url = await firstLine(child);
    const body = await postJson(url, 'broadband/services/json', {
      control_login: 'me@a',
      control_password: 'pw',
    });
    // The default line set: 32001–32006 and the capture-shaped 32007.
    expect(body.services).toHaveLength(7);
  });

  it('refuses an unknown scenario, a bad number and an unknown flag with exit code 2', async () => {
    for (const args of [
      ['--scenario', 'meltdown'],
      ['--lines', 'many'],
      ['--bogus'],
      ['--lines', '100001'],
    ]) {
      const result = await finished(run(args));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^chaos-mock: /);
      expect(result.stdout).toBe('');
    }
  });

  it('prints its version and its help', async () => {
    const version = await finished(run(['--version']));
    expect(version.stdout).toBe(`${packageJson.version}\n`);
    const help = await finished(run(['--help']));
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: chaos-mock [options]');
    expect(help.stdout).toContain('connection-reset');
  });
});
