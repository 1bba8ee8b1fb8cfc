/**
 * msw is an optional peer: the root entry (and the CLI) must load and serve without it, and only
 * the `@aaisp/chaos-mock/msw` subpath may need it. Each case runs in a child Node process whose
 * `--import` hook (test/without-msw.ts) makes resolving msw fail, importing the package by its
 * name from source (`--conditions=@aaisp/source`), as a consumer's tests would.
 */

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const HOOK = fileURLToPath(new URL('./without-msw.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

/** Runs `args` on this Node with msw hidden, in the package directory (so its name self-resolves). */
function withoutMsw(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ['--conditions=@aaisp/source', '--import', HOOK, '--disable-warning=ExperimentalWarning', ...args],
    { cwd: PACKAGE_DIR, encoding: 'utf8', timeout: 15_000 },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Evaluates an ES module in a child process with msw hidden. */
function evaluate(source: string): ReturnType<typeof withoutMsw> {
  return withoutMsw(['--input-type=module', '--eval', source]);
}

describe('without msw installed', () => {
  it('the hook really hides msw', () => {
    const result = evaluate(`await import('msw');`);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ERR_MODULE_NOT_FOUND');
    expect(result.stderr).toContain('hidden by test/without-msw.ts');
  });

  it('the root entry loads, starts a mock that answers, and closes it', () => {
    const result = evaluate(`
      import { DEFAULT_CREDENTIALS, startChaosMock } from '@aaisp/chaos-mock';
      const mock = await startChaosMock({ lines: 2 });
      const response = await fetch(new URL('broadband/services/json', mock.url), {
        method: 'POST',
        body: new URLSearchParams({
          control_login: DEFAULT_CREDENTIALS.controlLogin,
          control_password: DEFAULT_CREDENTIALS.controlPassword,
        }),
      });
      console.log(JSON.stringify((await response.json()).services));
      await mock.close();
    `);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('["32001","32002"]\n');
  });

  it('the root entry exports everything but the msw handlers', () => {
    const result = evaluate(`
      const root = await import('@aaisp/chaos-mock');
      console.log(Object.keys(root).sort().join(' '));
    `);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split(' ')).toEqual([
      'AUTH_FAILED',
      'BAD_LOGIN',
      'CHAOS_BASE_URL',
      'CQM_BASE_URL',
      'CQM_COMMAND',
      'CQM_CSV_HEADER',
      'CQM_HIGH_LATENCY_MS',
      'CQM_LOSSY_FAIL_PERCENT',
      'CQM_OFFLINE_HOUR_UTC',
      'DEFAULT_CREDENTIALS',
      'MAX_GENERATED_LINES',
      'SCENARIOS',
      'cqmName',
      'cqmPath',
      'cqmQualityOf',
      'cqmSecret',
      'cqmTraitOf',
      'generateLines',
      'isScenarioName',
      'startChaosMock',
    ]);
  });

  it('the CLI runs', () => {
    const result = withoutMsw([CLI, '--help']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: chaos-mock [options]');
  });

  it('only the @aaisp/chaos-mock/msw subpath fails, naming msw', () => {
    const result = evaluate(`await import('@aaisp/chaos-mock/msw');`);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("Cannot find package 'msw'");
  });
});
