#!/usr/bin/env node
/**
 * `chaos-mock`: runs the fake CHAOS from a shell. Prints the base URL on stdout (one line, for
 * scripts) and what it accepts, with the lines' mock CQM URLs, on stderr; stops cleanly on
 * SIGINT/SIGTERM.
 *
 * @module
 */

import { parseArgs } from 'node:util';
import packageJson from '../package.json' with { type: 'json' };
import { DEFAULT_CREDENTIALS } from './credentials.ts';
import { isScenarioName, SCENARIOS, type ScenarioOptions } from './scenarios.ts';
import { startChaosMock } from './server.ts';

const HELP = `Usage: chaos-mock [options]

A fake of Andrews & Arnold's CHAOS v2 API on a local HTTP server. Fake data only.

Options:
  --port <n>            TCP port (default 8080; 0 picks a free one)
  --host <addr>         interface to listen on (default 127.0.0.1)
  --lines <n>           number of generated broadband lines (default 7, up to 100000)
  --scenario <name>     starting scenario (default normal): ${SCENARIOS.join(', ')}
  --delay-ms <n>        delay for the "slow" scenario (default 2000)
  --retry-after <s>     Retry-After seconds for "rate-limit" (default 30)
  --cqm-period <s>      seconds per CQM sample (default 100, 1 to 3600)
  --control-login <l>   accepted control login (default ${DEFAULT_CREDENTIALS.controlLogin})
  --control-password <p>
                        accepted control password (default ${DEFAULT_CREDENTIALS.controlPassword})
  -v, --version         print the version
  -h, --help            print this help

While it runs:
  curl -X POST <url>_mock/scenario -d '{"name":"auth-fail"}'   switch scenario
  curl <url>_mock/stats                                         request counts
  curl <url>_mock/cqm                                           every line's mock CQM URL
`;

/** The banner lists this many CQM URLs; a 100 000-line mock points at /_mock/cqm for the rest. */
const CQM_URLS_SHOWN = 10;

function fail(message: string): never {
  process.stderr.write(`chaos-mock: ${message}\nTry chaos-mock --help.\n`);
  process.exit(2);
}

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) fail(`--${name} must be a whole number, got "${value}"`);
  return Number(value);
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (values.version) {
    process.stdout.write(`${packageJson.version}\n`);
    return;
  }
  const scenario = values.scenario ?? 'normal';
  if (!isScenarioName(scenario)) fail(`unknown scenario "${scenario}"; known: ${SCENARIOS.join(', ')}`);
  const scenarioOptions: ScenarioOptions = {
    ...(values['delay-ms'] === undefined
      ? {}
      : { delayMs: wholeNumber('delay-ms', values['delay-ms'], 2000) }),
    ...(values['retry-after'] === undefined
      ? {}
      : { retryAfterSeconds: wholeNumber('retry-after', values['retry-after'], 30) }),
  };
  const port = wholeNumber('port', values.port, 8080);
  if (port > 65535) fail(`--port must be at most 65535, got ${port}`);
  const credentials = {
    ...DEFAULT_CREDENTIALS,
    ...(values['control-login'] === undefined ? {} : { controlLogin: values['control-login'] }),
    ...(values['control-password'] === undefined ? {} : { controlPassword: values['control-password'] }),
  };
  let mock: Awaited<ReturnType<typeof startChaosMock>>;
  try {
    mock = await startChaosMock({
      port,
      host: values.host ?? '127.0.0.1',
      lines: wholeNumber('lines', values.lines, 7),
      scenario,
      scenarioOptions,
      credentials,
      ...(values['cqm-period'] === undefined
        ? {}
        : { cqm: { periodSeconds: wholeNumber('cqm-period', values['cqm-period'], 100) } }),
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  process.stdout.write(`${mock.url}\n`);
  process.stderr.write(
    `chaos-mock ${packageJson.version}: fake CHAOS v2 with ${mock.lines().length} lines, scenario "${scenario}"\n` +
      `accepts control_login=${credentials.controlLogin} (password: --control-password, see --help)\n` +
      cqmBanner(mock),
  );
  const stop = (): void => {
    void mock.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * The lines' CQM URLs for the banner. A real CQM URL is a password; these carry the mock's fake,
 * derivable secrets, so printing them is safe, and the label says so.
 */
function cqmBanner(mock: Awaited<ReturnType<typeof startChaosMock>>): string {
  const urls = [...mock.cqmUrls()];
  if (urls.length === 0) return '';
  const shown = urls.slice(0, CQM_URLS_SHOWN).map(([id, url]) => `  ${id} ${url}\n`);
  const rest =
    urls.length > CQM_URLS_SHOWN
      ? `  … and ${urls.length - CQM_URLS_SHOWN} more: curl ${mock.url}_mock/cqm\n`
      : '';
  return `mock CQM URLs (fake secrets, not A&A's):\n${shown.join('')}${rest}`;
}

function parse() {
  return parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      lines: { type: 'string' },
      scenario: { type: 'string' },
      'delay-ms': { type: 'string' },
      'retry-after': { type: 'string' },
      'cqm-period': { type: 'string' },
      'control-login': { type: 'string' },
      'control-password': { type: 'string' },
      version: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
}

await main();
