/**
 * The `aaisp-exporter` command line: reads the configuration, then serves, checks the
 * configuration, records, or prints its version or help. Serving, it answers signals as
 * `signals.ts` says: SIGTERM/SIGINT stop it (within 5 s), SIGHUP reloads the configuration.
 * Importing it does nothing: `main.ts` (npm, image, source) and `sea.ts` (the single binary) run it.
 *
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import packageJson from '../package.json' with { type: 'json' };
import { startApp } from './app.ts';
import { loadConfig, PREFIX } from './config/config.ts';
import { describeCqmLine } from './config/cqm-urls.ts';
import { dotEnvAdditions } from './config/dot-env.ts';
import { record } from './record/record-command.ts';
import { handleSignals, startedWithParentChannel } from './signals.ts';
import { createLogger } from './telemetry/logger.ts';

const HELP = `Usage: aaisp-exporter [options]
       aaisp-exporter record --out DIR [--demo]

A Prometheus exporter for Andrews & Arnold (AAISP) broadband, from the CHAOS v2 API.

Options:
  --demo           serve fake data from a built-in CHAOS mock (no credentials needed)
  --check-config   validate the configuration and exit (0 when valid)
  -v, --version    print the version
  -h, --help       print this help

record --out DIR calls every CHAOS read command once per configured account and writes the
answers to DIR (new or empty) with passwords removed and postcodes and logins replaced, for
a bug report. Read the files before you share them.

Configuration comes from ${PREFIX}… environment variables (see the README), e.g.
  ${PREFIX}AUTH__CONTROL_LOGIN=ab123@a ${PREFIX}AUTH__CONTROL_PASSWORD_FILE=/run/secrets/chaos aaisp-exporter
Endpoints: /metrics /probe?target=NAME /health /ready and a status page at /; POST /-/reload
with ${PREFIX}WEB__ENABLE_LIFECYCLE=true.

Signals: SIGTERM or SIGINT stops it (within 5 s). SIGHUP reloads the configuration: the files it
names (accounts file, *_FILE secrets, CQM links, web-config file) are read again and applied
without a restart. Environment variables cannot change in a running process: a changed variable
needs a restart.
`;

/**
 * Reads `.env` from the directory the user started in (pnpm sets INIT_CWD) so an existing `.env`
 * keeps working; which of its lines count is {@link dotEnvAdditions}'s rule.
 */
function loadDotEnv(): void {
  const file = join(process.env.INIT_CWD ?? process.cwd(), '.env');
  if (!existsSync(file)) return;
  Object.assign(process.env, dotEnvAdditions(readFileSync(file, 'utf8'), process.env));
}

/** Exit code for a bad configuration (EX_CONFIG from sysexits.h). */
const EXIT_CONFIG = 78;

function parse() {
  return parseArgs({
    options: {
      demo: { type: 'boolean' },
      'check-config': { type: 'boolean' },
      version: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
      out: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
}

/** Checks the command line beyond what parseArgs knows: one optional command, and --out only with record. */
function commandOf(parsed: ReturnType<typeof parse>): 'serve' | 'record' {
  const [command, ...rest] = parsed.positionals;
  if (rest.length > 0 || (command !== undefined && command !== 'record')) {
    throw new Error(`unknown command ${[command, ...rest].join(' ')}`);
  }
  if (command === 'record' && parsed.values.out === undefined) throw new Error('record needs --out DIR');
  if (command === undefined && parsed.values.out !== undefined) throw new Error('--out is for record');
  return command ?? 'serve';
}

/**
 * Runs the command line in `process.argv` to its end; it may call `process.exit`.
 *
 * @example
 * ```ts
 * import { main } from './cli.ts';
 * await main();
 * ```
 */
export async function main(): Promise<void> {
  let values: ReturnType<typeof parse>['values'];
  let command: 'serve' | 'record';
  try {
    const parsed = parse();
    values = parsed.values;
    command = commandOf(parsed);
  } catch (error) {
    process.stderr.write(
      `aaisp-exporter: ${error instanceof Error ? error.message : String(error)}\nTry aaisp-exporter --help.\n`,
    );
    process.exit(2);
  }
  if (values.help) return void process.stdout.write(HELP);
  if (values.version) return void process.stdout.write(`${packageJson.version}\n`);

  loadDotEnv();
  const demo = values.demo === true;
  // Again at every reload (SIGHUP): the same environment, every file it names read anew.
  const load = () => loadConfig({ env: process.env, readFile: (path) => readFileSync(path, 'utf8'), demo });
  const result = load();
  if (!result.ok) {
    process.stderr.write('aaisp-exporter: the configuration is not valid:\n');
    for (const problem of result.problems)
      process.stderr.write(`  ${problem.variable}: ${problem.message}\n`);
    process.exit(EXIT_CONFIG);
  }
  const { config } = result;
  if (values['check-config']) {
    const accounts = config.accounts.map((account) => account.name).join(', ') || '(none: demo)';
    process.stdout.write(
      `configuration is valid: accounts ${accounts}; listening on ${config.server.host}:${config.server.port}\n`,
    );
    // The links are secrets: each line's masked form only, enough to see which file was read.
    for (const account of config.accounts) {
      for (const line of account.cqm ?? [])
        process.stdout.write(`  CQM ${account.name} ${describeCqmLine(line)}\n`);
    }
    return;
  }

  if (command === 'record') {
    try {
      const recorded = await record(config, { demo, outDir: values.out ?? '', version: packageJson.version });
      const failed = recorded.filter((entry) => entry.outcome === 'error').length;
      process.stdout.write(
        `recorded ${recorded.length} answers into ${values.out}${failed > 0 ? ` (${failed} were errors, recorded as such)` : ''}\n`,
      );
    } catch (error) {
      process.stderr.write(`aaisp-exporter: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    }
    return;
  }

  const logger = createLogger(config.logging, { isTty: process.stdout.isTTY });
  // Only Node itself writes to stderr now (a warning): with its reader gone, that write's error
  // would be an uncaught exception.
  process.stderr.on('error', () => undefined);
  const starting = startApp(config, { logger, version: packageJson.version, demo, reloadConfig: load });
  // Registered before the app has started: a signal meanwhile waits for the start, then stops it.
  handleSignals({
    stop: async () => (await starting).stop(),
    reload: async () => (await starting).reload('SIGHUP'),
    logger,
    // The repository's bin wrapper keeps an IPC channel to this process: its closing is how a
    // wrapper killed by SIGKILL, which cannot pass that signal on, still stops this process, also
    // when it closed before now (handleSignals then stops at once).
    parentChannel: startedWithParentChannel(process),
  });
  try {
    await starting;
  } catch (error) {
    // E.g. the port is taken: one clear log line, not a stack trace on stderr.
    logger.fatal(
      { err: error, host: config.server.host, port: config.server.port },
      'cannot start the exporter',
    );
    process.exit(1);
  }
}
