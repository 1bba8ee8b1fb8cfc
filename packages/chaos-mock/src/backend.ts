/**
 * The fake CHAOS and the fake CQM of one mock, transport-free: a web `Request` in, an outcome out.
 * The `node:http` server and the msw handlers are thin adapters over it, so both behave
 * identically. This module only composes the parts, each in its own file:
 *
 * - `chaos-backend.ts`: the CHAOS commands (`/<subsystem>/<command>`);
 * - `cqm-backend.ts`: the CQM CSV links (`cqmdirect.cgi/<secret>/<name>.csv`, docs/chaos-api.md §11.2);
 * - `scenario-state.ts`, `faults.ts`, `chaos-scenarios.ts`: which fault scenario plays, and how.
 *
 * @module
 */

import { createChaosBackend } from './chaos-backend.ts';
import { type CqmOptions, resolveCqmOptions } from './cqm.ts';
import { createCqmBackend } from './cqm-backend.ts';
import type { CqmQuality, cqmQualityOf } from './cqm-quality.ts';
import type { CqmStats } from './cqm-stats.ts';
import type { cqmPath } from './cqm-url.ts';
import { DEFAULT_CREDENTIALS, type MockCredentials } from './credentials.ts';
import { createTransportFaults } from './faults.ts';
import { generateLines, type MockLine } from './lines.ts';
import type { MockOutcome } from './outcome.ts';
import { createScenarioState } from './scenario-state.ts';
import type { ScenarioName, ScenarioOptions } from './scenarios.ts';
import type { ChaosMockStats } from './stats.ts';

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

/**
 * Creates a backend. Options are validated here, so a bad option fails before any listen.
 * @throws {TypeError | RangeError} for a bad option.
 */
export function createMockBackend(options: ChaosMockOptions = {}): MockBackend {
  const lines =
    typeof options.lines === 'object' ? [...options.lines] : generateLines(options.lines ?? DEFAULT_LINES);
  const scenario = createScenarioState();
  const faults = createTransportFaults();
  const chaos = createChaosBackend({
    lines,
    credentials: options.credentials ?? DEFAULT_CREDENTIALS,
    scenario,
    faults,
  });
  const cqm = createCqmBackend({ lines, settings: resolveCqmOptions(options.cqm), scenario, faults });

  // Every per-scenario counter restarts here, so a new scenario never inherits an old rhythm.
  const setScenario = (name: ScenarioName, next: ScenarioOptions = {}): void => {
    scenario.set(name, next);
    faults.restart();
    chaos.restartScenario();
  };
  setScenario(options.scenario ?? 'normal', options.scenarioOptions);

  return {
    handle: chaos.handle,
    handleCqm: cqm.handle,
    setScenario,
    scenario: () => {
      const { name, options: current } = scenario.current();
      return { name, options: { ...current } };
    },
    stats: chaos.stats,
    resetStats: () => {
      chaos.resetStats();
      cqm.resetStats();
    },
    lines: chaos.lines,
    cqmStats: cqm.stats,
    cqmQuality: cqm.quality,
    setCqmQuality: cqm.setQuality,
    cqmLineIds: cqm.lineIds,
    cqmPathOf: cqm.pathOf,
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
