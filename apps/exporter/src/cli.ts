/**
 * The `aaisp-exporter` command line: reads the flags (`cli/flags.ts`) and the configuration, then
 * serves, checks the configuration, records, or prints its version or help (`cli/help.ts`, made
 * from the same definitions the configuration is checked against). Serving, it answers signals as
 * `signals.ts` says: SIGTERM/SIGINT stop it (within 5 s), SIGHUP reloads the configuration.
 * Importing it does nothing: `main.ts` (npm, image, source) and `sea.ts` (the single binary) run it.
 *
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import packageJson from '../package.json' with { type: 'json' };
import { startApp } from './app.ts';
import { readCommandLine, settingOverrides, subjectAsGiven } from './cli/flags.ts';
import { renderHelp } from './cli/help.ts';
import { startDirectory } from './cli/start-directory.ts';
import { versionText } from './cli/version.ts';
import { loadConfig } from './config/config.ts';
import { describeCqmLine } from './config/cqm-urls.ts';
import { dotEnvAdditions } from './config/dot-env.ts';
import { unknownVariableWarnings } from './config/unknown-variables.ts';
import { addressText } from './http/address.ts';
import { record } from './record/record-command.ts';
import { handleSignals } from './signals.ts';
import { createLogger } from './telemetry/logger.ts';

/**
 * Reads `.env` from the current directory (the one the user started in: see `main`), so an
 * existing `.env` keeps working; which of its lines count is {@link dotEnvAdditions}'s rule.
 */
function loadDotEnv(): void {
  const file = join(process.cwd(), '.env');
  if (!existsSync(file)) return;
  Object.assign(process.env, dotEnvAdditions(readFileSync(file, 'utf8'), process.env));
}

/** Exit code for a bad configuration (EX_CONFIG from sysexits.h). */
const EXIT_CONFIG = 78;

/** Exit code for a bad command line, as Go's flag package and Prometheus use. */
const EXIT_USAGE = 2;

/**
 * The arguments after the script. A leading `--` is dropped: `pnpm start -- --log.level=debug`
 * passes it through, and it would turn every flag after it into a command.
 */
function argsOf(argv: readonly string[]): string[] {
  const args = argv.slice(2);
  return args[0] === '--' ? args.slice(1) : args;
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
  const read = readCommandLine(argsOf(process.argv));
  if (!read.ok) {
    process.stderr.write(`aaisp-exporter: ${read.message}\n`);
    process.exit(EXIT_USAGE);
  }
  const { commandLine } = read;
  if (commandLine.help) return void process.stdout.write(renderHelp());
  if (commandLine.version) {
    return void process.stdout.write(
      versionText({
        version: packageJson.version,
        nodeVersion: process.version,
        platform: process.platform,
        arch: process.arch,
      }),
    );
  }

  // Relative paths (in variables, flags and .env alike) mean what the user meant from where they
  // typed the command, also when pnpm started this process in the package's own folder.
  process.chdir(startDirectory(process.env, process.cwd()));
  loadDotEnv();
  const demo = commandLine.demo;
  const env = settingOverrides(process.env, commandLine);
  // Again at every reload (SIGHUP): the same environment and flags, every file they name read anew.
  const load = () => loadConfig({ env, readFile: (path) => readFileSync(path, 'utf8'), demo });
  const result = load();
  if (!result.ok) {
    process.stderr.write('aaisp-exporter: the configuration is not valid:\n');
    for (const problem of result.problems) {
      process.stderr.write(
        `  ${subjectAsGiven(problem.variable, commandLine.overrides)}: ${problem.message}\n`,
      );
    }
    process.exit(EXIT_CONFIG);
  }
  const warnings = unknownVariableWarnings(env);
  const { config } = result;
  if (commandLine.checkConfig) {
    for (const warning of warnings) process.stdout.write(`warning: ${warning.variable} ${warning.message}\n`);
    const accounts = config.accounts.map((account) => account.name).join(', ') || '(none: demo)';
    const address = addressText(config.server.host, config.server.port);
    process.stdout.write(`configuration is valid: accounts ${accounts}; listening on ${address}\n`);
    // The links are secrets: each line's masked form only, enough to see which file was read.
    for (const account of config.accounts) {
      for (const line of account.cqm ?? [])
        process.stdout.write(`  CQM ${account.name} ${describeCqmLine(line)}\n`);
    }
    return;
  }

  if (commandLine.command === 'record') {
    try {
      const outDir = commandLine.out ?? '';
      const recorded = await record(config, { demo, outDir, version: packageJson.version });
      const failed = recorded.filter((entry) => entry.outcome === 'error').length;
      process.stdout.write(
        `recorded ${recorded.length} answers into ${outDir}${failed > 0 ? ` (${failed} were errors, recorded as such)` : ''}\n`,
      );
    } catch (error) {
      process.stderr.write(`aaisp-exporter: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    }
    return;
  }

  const logger = createLogger(config.logging);
  for (const warning of warnings) logger.warn({ variable: warning.variable }, warning.message);
  // Only Node itself writes to stderr now (a warning): with its reader gone, that write's error
  // would be an uncaught exception.
  process.stderr.on('error', () => undefined);
  const starting = startApp(config, { logger, version: packageJson.version, demo, reloadConfig: load });
  // Registered before the app has started: a signal meanwhile waits for the start, then stops it.
  handleSignals({
    stop: async () => (await starting).stop(),
    reload: async () => (await starting).reload('SIGHUP'),
    // By default it also stops when the repository's bin wrapper, killed by SIGKILL, closes the
    // IPC channel it keeps to this process (startedWithParentChannel).
    logger,
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
