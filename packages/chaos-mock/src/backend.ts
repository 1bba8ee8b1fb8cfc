/**
 * The fake CHAOS itself, transport-free: a web `Request` in, an outcome out. The `node:http`
 * server and the msw handlers are thin adapters over it, so both behave identically. It also
 * holds the fake CQM (`cqmdirect.cgi/<secret>/<name>.csv`, docs/chaos-api.md §11.2), which shares
 * the line set, the transport fault scenarios and the clock-free determinism.
 *
 * @module
 */

import { answerCommand, type CommandAnswer, serviceChoicesFor, WRITE_COMMANDS } from './commands.ts';
import { type CqmOptions, type CqmSettings, cqmSamples, resolveCqmOptions } from './cqm.ts';
import { toCqmCsv } from './cqm-csv.ts';
import { assertCqmQuality, type CqmQuality, cqmQualityOf } from './cqm-quality.ts';
import { type CqmStats, createCqmStatsCounter } from './cqm-stats.ts';
import { CQM_COMMAND, cqmName, cqmPath, cqmSecret } from './cqm-url.ts';
import { AUTH_FAILED, checkCredentials, DEFAULT_CREDENTIALS, type MockCredentials } from './credentials.ts';
import { createStateCounter, envelope, serviceGroup } from './envelope.ts';
import { isRecord } from './is-record.ts';
import { choiceTitle, generateLines, type MockLine } from './lines.ts';
import { hasCredentialInQuery, parseTarget, readAttributes } from './request.ts';
import { assertScenario, type ScenarioName, type ScenarioOptions, scenarioApplies } from './scenarios.ts';
import { type ChaosMockStats, createStatsCounter } from './stats.ts';
import { waitOrAbort } from './wait.ts';
import { toChaosXml } from './xml.ts';

/** Options shared by {@link startChaosMock} and {@link createChaosHandlers}. */
export interface ChaosMockOptions {
  /**
   * The account's broadband lines: a count for a deterministic generated set (see
   * `generateLines`), or your own lines. Default 7, the smallest set with every kind of line.
   */
  readonly lines?: number | readonly MockLine[];
  /** The scenario to start in. Default `"normal"`. */
  readonly scenario?: ScenarioName;
  /** Options for the starting scenario. */
  readonly scenarioOptions?: ScenarioOptions;
  /** The credentials the mock accepts. Default {@link DEFAULT_CREDENTIALS}. */
  readonly credentials?: MockCredentials;
  /** The fake CQM: sample period, window and clock. See {@link CqmOptions}. */
  readonly cqm?: CqmOptions;
}

/** How an adapter must realise an answer. */
export type MockOutcome =
  | { readonly type: 'response'; readonly response: Response }
  /** Drop the connection with a TCP reset (or a network error under msw). */
  | { readonly type: 'reset' }
  /** Never answer; reset after `hangMs` if set, else wait until the client or the mock gives up. */
  | { readonly type: 'hang'; readonly hangMs: number | undefined };

/** The controls every mock offers, whatever its transport. */
export interface ChaosMockControls {
  /**
   * Switches scenario while running. Takes effect from the next request and restarts the
   * scenario's own counters (the `http-502-flaky` rhythm, the `lines-change` alternation).
   * @throws {TypeError} for an unknown scenario name.
   * @throws {RangeError} for an out-of-range option.
   */
  setScenario(name: ScenarioName, options?: ScenarioOptions): void;
  /** The current scenario and its options. */
  scenario(): { readonly name: ScenarioName; readonly options: ScenarioOptions };
  /** A snapshot of the CHAOS request counters (CQM requests are counted in {@link cqmStats}). */
  stats(): ChaosMockStats;
  /** Zeroes the request counters, CHAOS and CQM alike. */
  resetStats(): void;
  /**
   * The lines of the most recent line-bearing answer (`info`, `quota`, `services`) since the
   * scenario was set; before one, the lines the scenario serves first. Under `schema-drift` these
   * are the lines before the drift was applied to the wire.
   */
  lines(): readonly MockLine[];
  /**
   * The full CQM URL of a line of the mock's line set: under the server's `url`, or under the msw
   * handlers' `cqmBaseUrl` (default `https://control.aa.net.uk/`). Its secret and name come from
   * the line ID ({@link cqmPath}). The `lines-change` scenario's new line has none.
   * @throws {RangeError} for a line ID the mock does not serve.
   */
  cqmUrl(lineId: string): string;
  /** Every line's CQM URL, by line ID, in line order. */
  cqmUrls(): ReadonlyMap<string, string>;
  /** A snapshot of the CQM request counters. */
  cqmStats(): CqmStats;
  /** A line's current CQM quality: its trait's default ({@link cqmQualityOf}) or what was set. */
  cqmQuality(lineId: string): CqmQuality;
  /**
   * Changes a line's CQM quality from the next request on: the given fields replace the line's
   * default ones (`offline: undefined` removes its offline hour); `undefined` restores the default.
   * Kept across `setScenario` and `resetStats`.
   * @throws {RangeError} for an unknown line or an out-of-range value.
   */
  setCqmQuality(lineId: string, quality: Partial<CqmQuality> | undefined): void;
}

/** @internal The backend behind both adapters. */
export interface MockBackend extends Omit<ChaosMockControls, 'cqmUrl' | 'cqmUrls'> {
  /**
   * Answers one CHAOS request.
   * @param pathname - the request path relative to the mock's base URL.
   */
  handle(request: Request, pathname: string): Promise<MockOutcome>;
  /**
   * Answers one CQM request.
   * @param pathname - the request path relative to the CQM base URL: `/cqmdirect.cgi/…`.
   */
  handleCqm(request: Request, pathname: string): Promise<MockOutcome>;
  /** The line IDs the CQM serves, in line order. */
  cqmLineIds(): readonly string[];
  /** {@link cqmPath} of a served line. @throws {RangeError} for any other line ID. */
  cqmPathOf(lineId: string): string;
}

/**
 * Seven lines: the smallest generated set with every line kind, the capture-shaped line without
 * `tx_rate` (32007) included (see `generateLines`).
 */
const DEFAULT_LINES = 7;

const LINE_COMMANDS: ReadonlySet<string> = new Set([
  'broadband/info',
  'broadband/quota',
  'broadband/services',
]);

const HTML_500 =
  '<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>' +
  '<body><h1>Internal Server Error</h1><p>The server encountered an internal error.</p></body></html>\n';
const HTML_502 =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>' +
  '<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p></body></html>\n';

// The real Content-Type of a /json answer is unknown [?] (docs/chaos-api.md §10.10): clients must
// not rely on it.
const JSON_TYPE = 'application/json; charset=utf-8';
const XML_TYPE = 'application/xml; charset=utf-8';
// No source shows the Content-Type of cqmdirect.cgi's CSV [?]; clients must not rely on it.
const CSV_TYPE = 'text/csv; charset=utf-8';

/**
 * A wrong secret or an unknown name. What A&A's cqmdirect.cgi answers then is not shown [?]; our
 * reading [I] is a plain 404 from the web server, the same for both, naming neither the secret nor
 * the path (a capability URL must not tell which half was wrong, nor echo it).
 */
const HTML_404_CQM =
  '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>' +
  '<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n';

/**
 * The scenarios CQM plays: transport faults and `malformed-json` (a cut CSV). The rest are about
 * CHAOS envelopes and credentials, which CQM does not have.
 */
const CQM_SCENARIOS: ReadonlySet<ScenarioName> = new Set<ScenarioName>([
  'http-500',
  'http-502-flaky',
  'rate-limit',
  'timeout',
  'slow',
  'connection-reset',
  'malformed-json',
]);

const CQM_PATH = /^\/cqmdirect\.cgi\/([^/]+)\/([^/]+)\.csv$/;

/** `<secret>/<name>` of a CQM path, the name percent-decoded, or `undefined` for any other path. */
function cqmKeyOf(pathname: string): string | undefined {
  const match = CQM_PATH.exec(pathname);
  if (!match?.[1] || !match[2]) return undefined;
  try {
    return `${match[1]}/${decodeURIComponent(match[2])}`;
  } catch {
    return undefined;
  }
}

/** Cuts a body in half, as `malformed-json` does: a client must notice, not read half the data. */
function cutInHalf(body: string): string {
  return body.slice(0, Math.max(1, Math.floor(body.length / 2)));
}

function text(body: string, status: number, headers: Record<string, string> = {}): MockOutcome {
  return {
    type: 'response',
    response: new Response(body, {
      status,
      headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
    }),
  };
}

function html(body: string, status: number): MockOutcome {
  return {
    type: 'response',
    response: new Response(body, { status, headers: { 'content-type': 'text/html' } }),
  };
}

const DRIFTING: ReadonlySet<string> = new Set(['info', 'quota']);

/**
 * `schema-drift`: corrupts the first three entries of `info`/`quota` the ways a careless upstream
 * change might (a unit in a number, a lost key, a negative count) and leaves the rest alone, so a
 * client can prove it drops only what is bad.
 */
function drift(list: unknown): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((entry: unknown, index) => {
    if (!isRecord(entry)) return entry;
    if (index === 0)
      return 'tx_rate' in entry ? { ...entry, tx_rate: '1 Gb/s' } : { ...entry, quota_monthly: '1 TB' };
    if (index === 1) return Object.fromEntries(Object.entries(entry).filter(([key]) => key !== 'ID'));
    if (index === 2) return { ...entry, quota_remaining: '-1073741824' };
    return entry;
  });
}

/** `lines-change`: the set without its last line, plus one new line with the next free ID. */
function changedLines(base: readonly MockLine[]): MockLine[] {
  const last = base.at(-1);
  if (!last) return generateLines(1);
  // A loop, not Math.max(...ids): spreading 100 000+ arguments overflows the call stack.
  let highest = 0;
  for (const line of base) highest = Math.max(highest, Number(line.info.ID) || 0);
  const nextId = String(highest + 1);
  const { phone: _phone, ...rest } = last;
  const appeared: MockLine = { ...rest, title: choiceTitle(last.info), info: { ...last.info, ID: nextId } };
  return [...base.slice(0, -1), appeared];
}

/** Creates a backend. Options are validated here, so a bad option fails before any listen. */
export function createMockBackend(options: ChaosMockOptions = {}): MockBackend {
  const baseLines =
    typeof options.lines === 'object' ? [...options.lines] : generateLines(options.lines ?? DEFAULT_LINES);
  const credentials = options.credentials ?? DEFAULT_CREDENTIALS;
  const counter = createStatsCounter();
  const cqmCounter = createCqmStatsCounter();
  const cqmSettings: CqmSettings = resolveCqmOptions(options.cqm);
  const qualityOverrides = new Map<string, Partial<CqmQuality>>();
  // Built on first use: a 100 000-line mock should not hash every secret before it listens.
  let cqmIndex: { readonly ids: readonly string[]; readonly byKey: ReadonlyMap<string, string> } | undefined;
  const cqmLines = (): NonNullable<typeof cqmIndex> => {
    if (cqmIndex) return cqmIndex;
    const ids: string[] = [];
    const byKey = new Map<string, string>();
    for (const line of baseLines) {
      const id = line.info.ID;
      const key = `${cqmSecret(id)}/${cqmName(id)}`;
      if (byKey.has(key)) continue;
      byKey.set(key, id);
      ids.push(id);
    }
    cqmIndex = { ids, byKey };
    return cqmIndex;
  };
  const servedLine = (lineId: string): string => {
    if (cqmLines().byKey.get(`${cqmSecret(lineId)}/${cqmName(lineId)}`) !== lineId)
      throw new RangeError(`chaos-mock has no line ${JSON.stringify(lineId)} for CQM`);
    return lineId;
  };
  const qualityOf = (lineId: string): CqmQuality => ({
    ...cqmQualityOf(lineId),
    ...qualityOverrides.get(lineId),
  });
  // `state.seq` counts this mock's enveloped answers; see createStateCounter.
  const states = createStateCounter();
  let scenarioName: ScenarioName = 'normal';
  let scenarioOptions: ScenarioOptions = {};
  let scenarioRequests = 0;
  let lineAnswers = 0;
  let lastLines: readonly MockLine[] | undefined;
  // Bumped by every setScenario, so a request that started under an earlier scenario answers as
  // that scenario did but no longer touches the new scenario's counters or `lines()`.
  let generation = 0;

  const setScenario = (name: ScenarioName, next: ScenarioOptions = {}): void => {
    assertScenario(name, next);
    generation++;
    scenarioName = name;
    scenarioOptions = { ...next };
    scenarioRequests = 0;
    lineAnswers = 0;
    lastLines = undefined;
  };
  setScenario(options.scenario ?? 'normal', options.scenarioOptions);

  const firstLines = (name: ScenarioName): readonly MockLine[] => (name === 'empty' ? [] : baseLines);

  const linesFor = (active: ScenarioName): readonly MockLine[] => {
    if (active !== 'lines-change') return firstLines(active);
    lineAnswers++;
    return lineAnswers % 2 === 0 ? changedLines(baseLines) : baseLines;
  };

  /** Transport-level faults come before authentication: a proxy or an overloaded CHAOS answers them. */
  const fault = async (
    active: ScenarioName,
    settings: ScenarioOptions,
    signal: AbortSignal,
  ): Promise<MockOutcome | undefined> => {
    switch (active) {
      case 'http-500':
        return html(HTML_500, 500);
      case 'http-502-flaky':
        // Counts only the requests this scenario plays for, so `commands` keeps the rhythm exact.
        return scenarioRequests++ % (settings.failEvery ?? 2) === 0 ? html(HTML_502, 502) : undefined;
      case 'rate-limit': {
        const seconds = settings.retryAfterSeconds ?? 30;
        const retryAfter =
          settings.retryAfterFormat === 'http-date'
            ? new Date(Date.now() + seconds * 1000).toUTCString()
            : String(seconds);
        return text('Too Many Requests\n', 429, { 'retry-after': retryAfter });
      }
      case 'timeout':
        return { type: 'hang', hangMs: settings.hangMs };
      case 'connection-reset':
        return { type: 'reset' };
      case 'slow':
        await waitOrAbort(settings.delayMs ?? 2000, signal);
        return undefined;
      default:
        return undefined;
    }
  };

  const handle = async (request: Request, pathname: string): Promise<MockOutcome> => {
    // A leaked credential counts even when the path or method is wrong: it left the client anyway.
    if (hasCredentialInQuery(request.url)) counter.countCredentialInUrl();
    const target = parseTarget(pathname);
    if (!target) return text('Not Found: CHAOS paths are /<subsystem>/<command>[/json|/xml]\n', 404);
    if (request.method !== 'GET' && request.method !== 'POST') {
      return text('Method Not Allowed\n', 405, { allow: 'GET, POST' });
    }
    const key = `${target.subsystem}/${target.command}`;
    counter.count(key, { write: WRITE_COMMANDS.has(target.command) });
    if (target.format === 'soap') return text('chaos-mock does not emulate SOAP; use /json or /xml\n', 501);

    const startedIn = generation;
    const settings = scenarioOptions;
    const active: ScenarioName = scenarioApplies(settings, key) ? scenarioName : 'normal';
    const faulted = await fault(active, settings, request.signal);
    if (faulted) return faulted;

    const read = await readAttributes(request);
    const xml = target.format === 'xml' || (target.format === undefined && 'xmlBody' in read && read.xmlBody);
    const attributes = 'attributes' in read ? read.attributes : new Map<string, string>();
    const service = attributes.get('service')?.trim() ?? '';
    /**
     * The envelope of docs/chaos-api.md §11.1 around every answer, errors included. `lines` fill
     * the "Service" choices; without them (an unauthorised or unreadable request) the choices are
     * only "Select service", so no line or login leaks.
     */
    const wrap = (
      payload: Readonly<Record<string, unknown>>,
      lines: readonly MockLine[] | undefined,
      extra: { readonly error?: string; readonly authError?: string; readonly answer?: CommandAnswer } = {},
    ): Record<string, unknown> => {
      const offered = serviceChoicesFor(target.subsystem, target.command, {
        lines: lines ?? [],
        attributes,
        credentials,
      });
      const choices = offered === undefined || lines !== undefined ? offered : [];
      const selection = extra.answer?.kind === 'server-error' ? undefined : extra.answer?.service;
      const body = envelope(
        {
          subsystem: target.subsystem,
          command: target.command,
          attributes,
          state: states.next(),
          service:
            choices === undefined
              ? undefined
              : serviceGroup(choices, selection?.value ?? service, selection?.error),
          ...(extra.authError === undefined ? {} : { authError: extra.authError }),
        },
        payload,
      );
      return extra.error === undefined ? body : { ...body, error: extra.error };
    };
    const send = (body: Record<string, unknown>): MockOutcome => {
      let serialised = xml ? toChaosXml(body) : JSON.stringify(body);
      if (active === 'malformed-json')
        serialised = serialised.slice(0, Math.max(1, Math.floor(serialised.length / 2)));
      return {
        type: 'response',
        response: new Response(serialised, {
          status: 200,
          headers: { 'content-type': xml ? XML_TYPE : JSON_TYPE },
        }),
      };
    };

    if (!('attributes' in read)) return send(wrap({}, undefined, { error: read.problem }));
    // An auth failure is an ordinary envelope, its error repeated on `control_login` (§11.1), for
    // both known wordings (the capture shows "Control authorisation failed"; "Bad control-login"
    // is treated alike [I]).
    if (active === 'auth-fail')
      return send(wrap({}, undefined, { error: AUTH_FAILED, authError: AUTH_FAILED }));
    const refused = checkCredentials(read.attributes, credentials);
    if (refused) return send(wrap({}, undefined, { error: refused, authError: refused }));

    let lines: readonly MockLine[] = baseLines;
    if (LINE_COMMANDS.has(key) || active === 'empty') {
      const current = startedIn === generation;
      lines = current ? linesFor(active) : firstLines(active);
      if (current && LINE_COMMANDS.has(key)) lastLines = lines;
    }
    const answer: CommandAnswer = answerCommand(target.subsystem, target.command, {
      lines,
      attributes: read.attributes,
      credentials,
    });
    if (answer.kind === 'server-error') return html(HTML_500, 500);
    if (answer.kind === 'error') return send(wrap({}, lines, { error: answer.error, answer }));
    const payload =
      active === 'schema-drift'
        ? Object.fromEntries(
            Object.entries(answer.payload).map(([name, value]) => [
              name,
              DRIFTING.has(name) ? drift(value) : value,
            ]),
          )
        : answer.payload;
    return send(wrap(payload, lines, { answer }));
  };

  const handleCqm = async (request: Request, pathname: string): Promise<MockOutcome> => {
    // Any method but GET, whatever the secret, so a 405 never tells a good secret from a bad one.
    if (request.method !== 'GET') return text('Method Not Allowed\n', 405, { allow: 'GET' });
    const key = cqmKeyOf(pathname);
    const lineId = key === undefined ? undefined : cqmLines().byKey.get(key);
    cqmCounter.count(lineId);
    const settings = scenarioOptions;
    const plays = CQM_SCENARIOS.has(scenarioName) && scenarioApplies(settings, CQM_COMMAND);
    const active: ScenarioName = plays ? scenarioName : 'normal';
    // Before the secret is checked, as for CHAOS: a proxy or an overloaded web server answers these.
    const faulted = await fault(active, settings, request.signal);
    if (faulted) return faulted;
    if (lineId === undefined) return html(HTML_404_CQM, 404);
    // The clock is read once the request is answered (after a `slow` delay), as a real server would.
    const csv = toCqmCsv(cqmSamples(lineId, qualityOf(lineId), cqmSettings, cqmSettings.now()));
    return {
      type: 'response',
      response: new Response(active === 'malformed-json' ? cutInHalf(csv) : csv, {
        status: 200,
        headers: { 'content-type': CSV_TYPE },
      }),
    };
  };

  const setCqmQuality = (lineId: string, quality: Partial<CqmQuality> | undefined): void => {
    servedLine(lineId);
    if (quality === undefined) {
      qualityOverrides.delete(lineId);
      return;
    }
    assertCqmQuality(quality);
    // Field by field, so an explicit `failPercent: undefined` from plain JS cannot blank a number.
    const override: { -readonly [K in keyof CqmQuality]?: CqmQuality[K] } = {};
    if (quality.failPercent !== undefined) override.failPercent = quality.failPercent;
    if (quality.latencyMs !== undefined) override.latencyMs = quality.latencyMs;
    if ('offline' in quality) override.offline = quality.offline;
    qualityOverrides.set(lineId, override);
  };

  return {
    handle,
    handleCqm,
    setScenario,
    scenario: () => ({ name: scenarioName, options: { ...scenarioOptions } }),
    stats: () => counter.snapshot(),
    resetStats: () => {
      counter.reset();
      cqmCounter.reset();
    },
    lines: () => [...(lastLines ?? firstLines(scenarioName))],
    cqmStats: () => cqmCounter.snapshot(),
    cqmQuality: (lineId) => qualityOf(servedLine(lineId)),
    setCqmQuality,
    cqmLineIds: () => cqmLines().ids,
    cqmPathOf: (lineId) => cqmPath(servedLine(lineId)),
  };
}

/**
 * The public controls of a backend, and nothing else, for an adapter to hand out.
 * @param cqmBase - the absolute URL, with a trailing slash, that CQM paths are resolved against.
 * @internal
 */
export function controlsOf(backend: MockBackend, cqmBase: string): ChaosMockControls {
  const cqmUrl = (lineId: string): string => new URL(backend.cqmPathOf(lineId), cqmBase).href;
  return {
    setScenario: backend.setScenario,
    scenario: backend.scenario,
    stats: backend.stats,
    resetStats: backend.resetStats,
    lines: backend.lines,
    cqmUrl,
    cqmUrls: () => new Map(backend.cqmLineIds().map((id) => [id, cqmUrl(id)])),
    cqmStats: backend.cqmStats,
    cqmQuality: backend.cqmQuality,
    setCqmQuality: backend.setCqmQuality,
  };
}
