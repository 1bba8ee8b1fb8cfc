/**
 * The fake CQM links (`cqmdirect.cgi/<secret>/<name>.csv`, docs/chaos-api.md §11.2),
 * transport-free: which line each link serves, each line's quality, the CQM counters and the CSV
 * answer, with the transport faults CQM shares with CHAOS.
 *
 * @module
 */

import { type CqmSettings, cqmSamples } from './cqm.ts';
import { toCqmCsv } from './cqm-csv.ts';
import { assertCqmQuality, type CqmQuality, cqmQualityOf } from './cqm-quality.ts';
import { type CqmStats, createCqmStatsCounter } from './cqm-stats.ts';
import { createLondonClock } from './cqm-time.ts';
import { CQM_COMMAND, cqmName, cqmPath, cqmSecret } from './cqm-url.ts';
import { cutInHalf, type TransportFaults } from './faults.ts';
import type { MockLine } from './lines.ts';
import { bodyOutcome, htmlOutcome, type MockOutcome, textOutcome } from './outcome.ts';
import { type ScenarioState, scenarioFor } from './scenario-state.ts';
import type { ScenarioName } from './scenarios.ts';

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

/** What the CQM half of a mock needs from the mock. */
export interface CqmBackendParts {
  /** The account's lines; each distinct line ID gets a CQM link. */
  readonly lines: readonly MockLine[];
  /** The CQM options with their defaults applied. */
  readonly settings: CqmSettings;
  /** The mock's scenario switch, shared with CHAOS. */
  readonly scenario: ScenarioState;
  /** The mock's transport faults, shared with CHAOS. */
  readonly faults: TransportFaults;
}

/** The CQM half of a mock. */
export interface CqmBackend {
  /**
   * Answers one CQM request.
   * @param pathname - the request path relative to the CQM base URL: `/cqmdirect.cgi/…`.
   */
  handle(request: Request, pathname: string): Promise<MockOutcome>;
  /** A snapshot of the CQM request counters. */
  stats(): CqmStats;
  /** Zeroes the CQM request counters. */
  resetStats(): void;
  /** The line IDs the CQM serves, in line order. */
  lineIds(): readonly string[];
  /** `cqmPath` of a served line. @throws {RangeError} for any other line ID. */
  pathOf(lineId: string): string;
  /** A served line's current quality. @throws {RangeError} for any other line ID. */
  quality(lineId: string): CqmQuality;
  /** See `ChaosMockControls.setCqmQuality`. @throws {RangeError} for an unknown line or a bad value. */
  setQuality(lineId: string, quality: Partial<CqmQuality> | undefined): void;
}

/** Creates the CQM half of a mock. */
export function createCqmBackend({ lines, settings, scenario, faults }: CqmBackendParts): CqmBackend {
  const counter = createCqmStatsCounter();
  const clock = createLondonClock();
  const qualityOverrides = new Map<string, Partial<CqmQuality>>();
  // Built on first use: a 100 000-line mock should not hash every secret before it listens.
  let index: { readonly ids: readonly string[]; readonly byKey: ReadonlyMap<string, string> } | undefined;
  const served = (): NonNullable<typeof index> => {
    if (index) return index;
    const ids: string[] = [];
    const byKey = new Map<string, string>();
    for (const line of lines) {
      const id = line.info.ID;
      const key = `${cqmSecret(id)}/${cqmName(id)}`;
      if (byKey.has(key)) continue;
      byKey.set(key, id);
      ids.push(id);
    }
    index = { ids, byKey };
    return index;
  };
  const servedLine = (lineId: string): string => {
    if (served().byKey.get(`${cqmSecret(lineId)}/${cqmName(lineId)}`) !== lineId)
      throw new RangeError(`chaos-mock has no line ${JSON.stringify(lineId)} for CQM`);
    return lineId;
  };
  const qualityOf = (lineId: string): CqmQuality => ({
    ...cqmQualityOf(lineId),
    ...qualityOverrides.get(lineId),
  });

  const handle = async (request: Request, pathname: string): Promise<MockOutcome> => {
    // Any method but GET, whatever the secret, so a 405 never tells a good secret from a bad one.
    if (request.method !== 'GET') return textOutcome('Method Not Allowed\n', 405, { allow: 'GET' });
    const key = cqmKeyOf(pathname);
    const lineId = key === undefined ? undefined : served().byKey.get(key);
    counter.count(lineId);
    const playing = scenario.current();
    const active = CQM_SCENARIOS.has(playing.name) ? scenarioFor(playing, CQM_COMMAND) : 'normal';
    // Before the secret is checked, as for CHAOS: a proxy or an overloaded web server answers these.
    const faulted = await faults.answer(active, playing.options, request.signal);
    if (faulted) return faulted;
    if (lineId === undefined) return htmlOutcome(HTML_404_CQM, 404);
    // The clock is read once the request is answered (after a `slow` delay), as a real server would.
    const csv = toCqmCsv(cqmSamples(lineId, qualityOf(lineId), settings, settings.now()), clock);
    return bodyOutcome(active === 'malformed-json' ? cutInHalf(csv) : csv, CSV_TYPE);
  };

  const setQuality = (lineId: string, quality: Partial<CqmQuality> | undefined): void => {
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
    stats: () => counter.snapshot(),
    resetStats: () => counter.reset(),
    lineIds: () => served().ids,
    pathOf: (lineId) => cqmPath(servedLine(lineId)),
    quality: (lineId) => qualityOf(servedLine(lineId)),
    setQuality,
  };
}
