/**
 * The fake CHAOS commands (`/<subsystem>/<command>[/json]`), transport-free: a web `Request` in,
 * an outcome out. It reads the request, plays the scenario, checks the credentials and wraps the
 * command's answer in CHAOS's envelope as JSON.
 *
 * @module
 */

import { createLineSchedule, driftPayload } from './chaos-scenarios.ts';
import { answerCommand, type CommandAnswer, serviceChoicesFor, WRITE_COMMANDS } from './commands.ts';
import { AUTH_FAILED, checkCredentials, type MockCredentials } from './credentials.ts';
import { createStateCounter, envelope, serviceGroup } from './envelope.ts';
import { cutInHalf, HTML_500, type TransportFaults } from './faults.ts';
import type { MockLine } from './lines.ts';
import { bodyOutcome, htmlOutcome, type MockOutcome, textOutcome } from './outcome.ts';
import { hasCredentialInQuery, hasXmlBody, parseTarget, readAttributes } from './request.ts';
import { type ScenarioState, scenarioFor } from './scenario-state.ts';
import { type ChaosMockStats, createStatsCounter } from './stats.ts';

// The real Content-Type of a /json answer is unknown [?] (docs/chaos-api.md §10.10): clients must
// not rely on it.
const JSON_TYPE = 'application/json; charset=utf-8';

/** What the CHAOS half of a mock needs from the mock. */
export interface ChaosBackendParts {
  /** The account's lines, as the mock was given or generated them. */
  readonly lines: readonly MockLine[];
  /** The credentials the mock accepts. */
  readonly credentials: MockCredentials;
  /** The mock's scenario switch, shared with CQM. */
  readonly scenario: ScenarioState;
  /** The mock's transport faults, shared with CQM. */
  readonly faults: TransportFaults;
}

/** The CHAOS half of a mock. */
export interface ChaosBackend {
  /**
   * Answers one CHAOS request.
   * @param pathname - the request path relative to the mock's base URL.
   */
  handle(request: Request, pathname: string): Promise<MockOutcome>;
  /** A snapshot of the CHAOS request counters. */
  stats(): ChaosMockStats;
  /** Zeroes the CHAOS request counters. */
  resetStats(): void;
  /** The lines of the last line-bearing answer since the scenario was set; see `ChaosMockControls.lines`. */
  lines(): readonly MockLine[];
  /** Restarts the `lines-change` alternation and forgets the last lines; called by every `setScenario`. */
  restartScenario(): void;
}

/** Creates the CHAOS half of a mock. */
export function createChaosBackend({
  lines: baseLines,
  credentials,
  scenario,
  faults,
}: ChaosBackendParts): ChaosBackend {
  const counter = createStatsCounter();
  // `state.seq` counts this mock's enveloped answers; see createStateCounter.
  const states = createStateCounter();
  const schedule = createLineSchedule(baseLines);

  const handle = async (request: Request, pathname: string): Promise<MockOutcome> => {
    // A leaked credential counts even when the path or method is wrong: it left the client anyway.
    if (hasCredentialInQuery(request.url)) counter.countCredentialInUrl();
    const target = parseTarget(pathname);
    if (!target) return textOutcome('Not Found: CHAOS paths are /<subsystem>/<command>[/json]\n', 404);
    if (request.method !== 'GET' && request.method !== 'POST') {
      return textOutcome('Method Not Allowed\n', 405, { allow: 'GET, POST' });
    }
    const key = `${target.subsystem}/${target.command}`;
    counter.count(key, { write: WRITE_COMMANDS.has(target.command) });
    // Real CHAOS paths and bodies, so a plain 501 rather than a 404 or an envelope the real service
    // would never send: a client built on the XML forms learns at once that the mock is JSON-only.
    if (target.format === 'xml' || target.format === 'soap' || hasXmlBody(request)) {
      return textOutcome('chaos-mock emulates only JSON: no XML or SOAP; use no suffix or /json\n', 501);
    }

    // The scenario as the request found it, whatever a setScenario does while it waits.
    const playing = scenario.current();
    const active = scenarioFor(playing, key);
    // Before authentication: a proxy or an overloaded CHAOS answers these.
    const faulted = await faults.answer(active, playing.options, request.signal);
    if (faulted) return faulted;

    const read = await readAttributes(request);
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
      const json = JSON.stringify(body);
      return bodyOutcome(active === 'malformed-json' ? cutInHalf(json) : json, JSON_TYPE);
    };

    if (!('attributes' in read)) return send(wrap({}, undefined, { error: read.problem }));
    // An auth failure is an ordinary envelope, its error repeated on `control_login` (§11.1), for
    // both known wordings (the capture shows "Control authorisation failed"; "Bad control-login"
    // is treated alike [I]).
    if (active === 'auth-fail')
      return send(wrap({}, undefined, { error: AUTH_FAILED, authError: AUTH_FAILED }));
    const refused = checkCredentials(read.attributes, credentials);
    if (refused) return send(wrap({}, undefined, { error: refused, authError: refused }));

    const lines = schedule.linesFor(key, active, scenario.isCurrent(playing));
    const answer: CommandAnswer = answerCommand(target.subsystem, target.command, {
      lines,
      attributes: read.attributes,
      credentials,
    });
    if (answer.kind === 'server-error') return htmlOutcome(HTML_500, 500);
    if (answer.kind === 'error') return send(wrap({}, lines, { error: answer.error, answer }));
    const payload = active === 'schema-drift' ? driftPayload(answer.payload) : answer.payload;
    return send(wrap(payload, lines, { answer }));
  };

  return {
    handle,
    stats: () => counter.snapshot(),
    resetStats: () => counter.reset(),
    lines: () => [...schedule.lastServed(scenario.current().name)],
    restartScenario: () => schedule.restart(),
  };
}
