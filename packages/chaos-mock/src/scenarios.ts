/**
 * The fault scenarios the fake CHAOS can play, and their options.
 *
 * @module
 */

/**
 * Every scenario the mock knows, in the order the README lists them.
 *
 * - `normal`: answers like CHAOS on a good day.
 * - `auth-fail`: HTTP 200 `{"error":"Control authorisation failed"}` to every request.
 * - `http-500`: HTTP 500 with an HTML body to every request.
 * - `http-502-flaky`: HTTP 502 (HTML) to one request in `failEvery` (default every other one, starting with the first), normal otherwise.
 * - `rate-limit`: HTTP 429 with `Retry-After` (`retryAfterSeconds`, default 30).
 * - `timeout`: accepts the request and never answers (until the client gives up or the mock closes).
 * - `slow`: answers normally after `delayMs` (default 2 000 ms).
 * - `malformed-json`: HTTP 200 with the body cut in half (error bodies too).
 * - `schema-drift`: in `info` and `quota` answers the first entry gets a non-digit number (`tx_rate`, or `quota_monthly` where there is no `tx_rate`), the second loses its `ID`, the third gets a negative `quota_remaining`; later entries are good.
 * - `empty`: an account with no broadband lines.
 * - `lines-change`: each line-bearing answer alternates between the line set and the same set with its last line gone and a new line added.
 * - `connection-reset`: the TCP connection is reset without an answer.
 *
 * The fake CQM (`cqmdirect.cgi/…`, command key `"cqm/csv"`) plays the transport faults
 * (`http-500`, `http-502-flaky`, `rate-limit`, `timeout`, `slow`, `connection-reset`) and
 * `malformed-json` (the CSV cut in half) like CHAOS does. `auth-fail`, `schema-drift`, `empty` and
 * `lines-change` are about CHAOS answers and leave CQM alone: CQM has no CHAOS credentials.
 * Line quality (loss, offline hours, latency) is not a scenario but a per-line trait, see
 * `CqmTrait` and `setCqmQuality`.
 */
export const SCENARIOS = [
  'normal',
  'auth-fail',
  'http-500',
  'http-502-flaky',
  'rate-limit',
  'timeout',
  'slow',
  'malformed-json',
  'schema-drift',
  'empty',
  'lines-change',
  'connection-reset',
] as const;

/** A scenario name; see {@link SCENARIOS}. */
export type ScenarioName = (typeof SCENARIOS)[number];

/** Options that tune a scenario. Each applies only to the scenarios named in its doc. */
export interface ScenarioOptions {
  /** `slow`: milliseconds to wait before answering. Default 2 000. */
  readonly delayMs?: number;
  /** `rate-limit`: the `Retry-After` value in seconds. Default 30. */
  readonly retryAfterSeconds?: number;
  /**
   * `rate-limit`: send `Retry-After` as delta-seconds (default) or as an HTTP date, the two forms
   * RFC 9110 allows. Clients must honour both.
   */
  readonly retryAfterFormat?: 'seconds' | 'http-date';
  /** `http-502-flaky`: fail one request in this many. Default 2. */
  readonly failEvery?: number;
  /** `timeout`: give up holding the request after this many ms and reset it. Default: never. */
  readonly hangMs?: number;
  /**
   * Every scenario: play it only for these commands (`"broadband/info"`, …, and `"cqm/csv"` for
   * the fake CQM); every other command answers normally. Default: all commands, CQM included.
   * So `{ commands: ['cqm/csv'] }` breaks only CQM, and CHAOS collection must carry on.
   */
  readonly commands?: readonly string[];
  /**
   * Every scenario: never play it for these commands, even when `commands` lists them. E.g.
   * `{ excludeCommands: ['cqm/csv'] }` breaks CHAOS and leaves CQM working. Default: none.
   */
  readonly excludeCommands?: readonly string[];
}

/**
 * Whether a scenario with these options plays for the command `key` (`"subsystem/command"`, or
 * `"cqm/csv"`): listed in `commands` (or no `commands`), and not in `excludeCommands`.
 */
export function scenarioApplies(options: ScenarioOptions, key: string): boolean {
  if (options.commands !== undefined && !options.commands.includes(key)) return false;
  return !(options.excludeCommands ?? []).includes(key);
}

/** Tells whether a string names a scenario. */
export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(name);
}

function checkCount(name: string, value: number | undefined, minimum: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < minimum)) {
    throw new RangeError(`scenario option ${name} must be a whole number ≥ ${minimum}, got ${value}`);
  }
}

const COMMAND_KEY = /^[a-z][a-z0-9_-]*\/[a-z][a-z0-9_-]*$/;

/**
 * Checks a scenario name and options, so a typo fails where it was made.
 *
 * @throws {TypeError} for an unknown scenario name.
 * @throws {RangeError} for an out-of-range option or a `commands` / `excludeCommands` entry that is not `subsystem/command`.
 */
export function assertScenario(name: string, options: ScenarioOptions = {}): asserts name is ScenarioName {
  if (!isScenarioName(name)) {
    throw new TypeError(`unknown chaos-mock scenario "${name}"; known: ${SCENARIOS.join(', ')}`);
  }
  checkCount('delayMs', options.delayMs, 0);
  checkCount('retryAfterSeconds', options.retryAfterSeconds, 0);
  checkCount('failEvery', options.failEvery, 1);
  checkCount('hangMs', options.hangMs, 0);
  checkCommands('commands', options.commands);
  checkCommands('excludeCommands', options.excludeCommands);
}

function checkCommands(name: string, commands: readonly string[] | undefined): void {
  if (commands === undefined) return;
  // A typo here would silently switch the fault off (or on) and let a test pass without it.
  if (commands.length === 0) throw new RangeError(`scenario option ${name} must not be empty`);
  const bad = commands.find((command) => !COMMAND_KEY.test(command));
  if (bad !== undefined) {
    throw new RangeError(
      `scenario option ${name}: "${bad}" is not "subsystem/command" (e.g. "broadband/info" or "cqm/csv")`,
    );
  }
}
