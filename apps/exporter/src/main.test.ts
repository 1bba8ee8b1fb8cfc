import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliChild, finished, killAll } from '../../../cli-test.shared.ts';
import { waitFor } from '../harness/wait.ts';
import packageJson from '../package.json' with { type: 'json' };
import { renderHelp } from './cli/help.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
type Child = CliChild;
const children: Child[] = [];

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
/** What pnpm sets for a script of this package, run from `dir` (`pnpm --filter … start`). */
const startedByPnpmIn = (dir: string) => ({ INIT_CWD: dir, npm_package_json: join(APP_DIR, 'package.json') });

function run(args: string[], env: Record<string, string> = {}): Child {
  // Only what the test sets: no AAISP_EXPORTER_ variable leaks in from the machine. In the
  // package's folder, as pnpm starts its scripts.
  const child = spawn(process.execPath, ['--conditions=@aaisp/source', MAIN, ...args], {
    cwd: APP_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  children.push(child);
  return child;
}

afterEach(() => killAll(children));

describe('the aaisp-exporter CLI', () => {
  it('the aaisp-exporter bin runs the same CLI and passes its exit code on', async () => {
    const bin = fileURLToPath(new URL('../bin/aaisp-exporter.js', import.meta.url));
    const child = spawn(process.execPath, [bin, '--check-config'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '' },
    });
    children.push(child);
    const result = await finished(child);
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('credentials are required');
  });

  it('prints its version, Node version and platform, and a help generated from the settings', async () => {
    const version = await finished(run(['--version']));
    expect(version).toMatchObject({
      code: 0,
      stdout: `aaisp-exporter, version ${packageJson.version} (@aaisp/exporter)\n  node version: ${process.version}\n  platform: ${process.platform}/${process.arch}\n`,
    });
    const help = await finished(run(['--help']));
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(renderHelp());
    expect(help.stdout).toContain('  --web.listen-address=[HOST]:PORT\n');
    expect(help.stdout).toContain(
      '  AAISP_EXPORTER_INTERVALS__FAST\n      fast tier interval\n      default: 60\n      allowed: 10–3600 s\n',
    );
  });

  it('refuses an unknown flag in one line naming the nearest known one, exit 2', async () => {
    const typo = await finished(run(['--web.listen-adress=:9100']));
    expect(typo).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'aaisp-exporter: unknown flag --web.listen-adress; did you mean --web.listen-address?\n',
    });
    const variable = await finished(run(['--intervals.fast=30']));
    expect(variable.code).toBe(2);
    expect(variable.stderr).toBe(
      'aaisp-exporter: unknown flag --intervals.fast; did you mean the variable AAISP_EXPORTER_INTERVALS__FAST? (it has no flag; see aaisp-exporter --help)\n',
    );
  });

  it('lets a flag win over its variable, and names the flag in a problem with its value', async () => {
    const env = {
      AAISP_EXPORTER_AUTH__CONTROL_LOGIN: 'ab123@a',
      AAISP_EXPORTER_AUTH__CONTROL_PASSWORD: 'pw',
      AAISP_EXPORTER_SERVER__HOST: '10.0.0.1',
      AAISP_EXPORTER_SERVER__PORT: '9100',
    };
    const flagged = await finished(run(['--check-config', '--web.listen-address=127.0.0.1:9200'], env));
    expect(flagged).toMatchObject({
      code: 0,
      stdout: 'configuration is valid: accounts default; listening on 127.0.0.1:9200\n',
    });
    const bad = await finished(run(['--check-config', '--log.level=loud'], env));
    expect(bad.code).toBe(78);
    expect(bad.stderr).toContain(
      '\n  --log.level: must be one of fatal, error, warn, info, debug, trace, silent\n',
    );
  });

  it('resolves relative paths from the directory it was started in, as pnpm reports it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aaisp-start-dir-'));
    writeFileSync(join(dir, 'password'), 'pw\n');
    const result = await finished(
      run(['--check-config'], {
        ...startedByPnpmIn(dir),
        AAISP_EXPORTER_AUTH__CONTROL_LOGIN: 'ab123@a',
        AAISP_EXPORTER_AUTH__CONTROL_PASSWORD_FILE: 'password',
      }),
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });

  it('warns of a variable with the prefix that nothing reads, naming the likely one', async () => {
    const result = await finished(run(['--check-config', '--demo'], { AAISP_EXPORTER_INTERVAL__FAST: '30' }));
    expect(result).toMatchObject({
      code: 0,
      stdout:
        'warning: AAISP_EXPORTER_INTERVAL__FAST is not a variable the exporter reads, so it is ignored; did you mean AAISP_EXPORTER_INTERVALS__FAST?\nconfiguration is valid: accounts (none: demo); listening on 0.0.0.0:9099\n',
    });
  });

  it('--check-config exits 0 for a valid configuration', async () => {
    const result = await finished(
      run(['--check-config'], {
        AAISP_EXPORTER_AUTH__CONTROL_LOGIN: 'ab123@a',
        AAISP_EXPORTER_AUTH__CONTROL_PASSWORD: 'pw',
      }),
    );
    expect(result).toMatchObject({
      code: 0,
      stdout: 'configuration is valid: accounts default; listening on 0.0.0.0:9099\n',
    });
  });

  it('--check-config lists each CQM link masked, never the link itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aaisp-cqm-'));
    const secret = 'Ab12Cd34Ef56Gh78';
    writeFileSync(join(dir, 'cqm'), `32001 https://control.aa.net.uk/cqmdirect.cgi/${secret}/home.csv\n`);
    const result = await finished(
      run(['--check-config'], {
        AAISP_EXPORTER_AUTH__CONTROL_LOGIN: 'ab123@a',
        AAISP_EXPORTER_AUTH__CONTROL_PASSWORD: 'pw',
        AAISP_EXPORTER_CQM__URLS_FILE: join(dir, 'cqm'),
      }),
    );
    expect(result).toMatchObject({
      code: 0,
      stdout:
        'configuration is valid: accounts default; listening on 0.0.0.0:9099\n  CQM default line 32001: control.aa.net.uk/cqmdirect.cgi/…/home.csv\n',
    });
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
  });

  it('reads .env from the directory it was started in, without overriding the environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aaisp-env-'));
    writeFileSync(
      join(dir, '.env'),
      'AAISP_EXPORTER_AUTH__CONTROL_LOGIN=ab123@a\nAAISP_EXPORTER_AUTH__CONTROL_PASSWORD=from-file\nAAISP_EXPORTER_SERVER__PORT=9100\n',
    );
    const result = await finished(
      run(['--check-config'], { ...startedByPnpmIn(dir), AAISP_EXPORTER_SERVER__PORT: '9200' }),
    );
    expect(result).toMatchObject({
      code: 0,
      stdout: 'configuration is valid: accounts default; listening on 0.0.0.0:9200\n',
    });
  });

  it('exits non-zero before listening on a bad configuration, one line per problem, no secret', async () => {
    const result = await finished(
      run([], {
        AAISP_EXPORTER_AUTH__CONTROL_LOGIN: 'ab123@a',
        AAISP_EXPORTER_AUTH__CONTROL_PASSWORD: 'Sup3r-Secret',
        AAISP_EXPORTER_SERVER__PORT: '99999',
        AAISP_EXPORTER_INTERVALS__FAST: '1',
      }),
    );
    expect(result.code).toBe(78);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('  AAISP_EXPORTER_'))).toEqual([
      '  AAISP_EXPORTER_SERVER__PORT: must be a whole number from 0 to 65535',
      '  AAISP_EXPORTER_INTERVALS__FAST: must be a whole number of seconds from 10 to 3600',
    ]);
    expect(result.stderr + result.stdout).not.toContain('Sup3r-Secret');
  });

  it('--demo serves real metrics from the built-in mock, logs logfmt, then exits 0 on SIGTERM', async () => {
    // No LOGGING__ setting: the default format, logfmt, as the npm package, image and binary log.
    const child = run(['--demo'], {
      AAISP_EXPORTER_SERVER__PORT: '0',
      AAISP_EXPORTER_SERVER__HOST: '127.0.0.1',
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    const exited = once(child, 'exit');
    const poll = <T>(read: () => Promise<T | undefined>): Promise<T> =>
      waitFor('the demo exporter', read, { limitMs: 10_000 }).catch((error: unknown) => {
        throw new Error(`gave up waiting; output so far:\n${output}`, { cause: error });
      });
    const url = await poll(async () => / msg="exporter listening" .* url=(http:\S+)/.exec(output)?.[1]);
    expect(output).toMatch(
      /^time=\d{4}-\d\d-\d\dT[\d:.]+Z level=info msg="exporter listening" service=aaisp-exporter /m,
    );
    expect(output).toContain('demo mode: serving fake data from a built-in CHAOS mock');
    const metrics = await poll(async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return text.includes('aaisp_broadband_lines 7') ? text : undefined;
    });
    expect(metrics).toContain('aaisp_broadband_sync_download_bits_per_second{line_id="32002"} 79987000');
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    child.kill('SIGTERM');
    // main.ts exits on its own after 5 s at the latest; a clean stop exits 0 and says so.
    const [code] = await exited;
    expect(code).toBe(0);
    expect(output).toMatch(/ level=info msg=stopped service=aaisp-exporter signal=SIGTERM\n/);
    expect(output).not.toContain('stopping took too long');
  });

  it('record --demo --out DIR writes one redacted file per read command, and refuses bad usage', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'aaisp-main-record-')), 'report');
    const recorded = await finished(run(['record', '--demo', '--out', out]));
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toMatch(
      /^recorded 16 answers into .*report \(1 were errors, recorded as such\)\n$/,
    );
    // Nine CHAOS answers and the seven demo lines' CQM CSVs.
    expect(readdirSync(join(out, 'demo')).sort()).toContain('broadband-info.json');
    expect(readdirSync(join(out, 'demo')).filter((name) => name.startsWith('cqm-'))).toHaveLength(7);
    const info = readFileSync(join(out, 'demo', 'broadband-info.json'), 'utf8');
    expect(info).not.toContain('mock-control-password');
    expect(info).not.toContain('ZZ99');
    expect(info).not.toContain('test@a');

    const again = await finished(run(['record', '--demo', '--out', out]));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not empty');
    const noOut = await finished(run(['record', '--demo']));
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('record needs --out DIR');
    const unknown = await finished(run(['recrod']));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command recrod');
  });
});
