import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliChild, finished, killAll } from '../../../cli-test.shared.ts';
import { cqmRows, fetchCqmText } from '../test/helpers.ts';
import { cqmPath } from './cqm-url.ts';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const children: CliChild[] = [];

function run(args: string[]): CliChild {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return child;
}

/** Collects stderr until `done` matches it. */
function stderrUntil(child: CliChild, done: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    child.stderr.on('data', (chunk) => {
      text += String(chunk);
      if (done.test(text)) resolve(text);
    });
  });
}

afterEach(() => killAll(children));

describe('the chaos-mock CLI and the fake CQM', () => {
  it('lists each line’s mock CQM URL on stderr, labelled as fake, and keeps stdout to the base URL', async () => {
    const child = run(['--port', '0', '--lines', '3', '--cqm-period', '10']);
    const banner = await stderrUntil(child, /line32003\.csv\n/);
    const done = finished(child);
    const url = / 32001 (http:\/\/127\.0\.0\.1:\d+\/)cqmdirect\.cgi\//.exec(banner)?.[1] ?? '(none)';
    expect(banner).toContain("mock CQM URLs (fake secrets, not A&A's):\n");
    for (const id of ['32001', '32002', '32003']) {
      expect(banner).toContain(`  ${id} ${url}${cqmPath(id)}\n`);
    }
    const rows = cqmRows((await fetchCqmText(`${url}${cqmPath('32002')}`)).body);
    expect(rows).toHaveLength(8640);
    expect(rows[0]?.slice(1, 4)).toEqual(['10', '10', '20']);
    child.kill('SIGTERM');
    const result = await done;
    expect(result.stdout).toBe(`${url}\n`);
  });

  it('shows ten URLs of a big set and points at /_mock/cqm for the rest', async () => {
    const child = run(['--port', '0', '--lines', '25']);
    const banner = await stderrUntil(child, /_mock\/cqm\n/);
    expect(banner.match(/cqmdirect\.cgi\//g)).toHaveLength(10);
    expect(banner).toMatch(/ {2}… and 15 more: curl http:\/\/127\.0\.0\.1:\d+\/_mock\/cqm\n/);
  });

  it('refuses a bad --cqm-period with exit code 2', async () => {
    for (const value of ['0', 'ten', '3601']) {
      const result = await finished(run(['--port', '0', '--cqm-period', value]));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^chaos-mock: /);
    }
  });
});
