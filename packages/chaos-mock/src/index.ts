/**
 * `@aaisp/chaos-mock`: a faithful fake of Andrews & Arnold's CHAOS v2 API as a real local HTTP
 * server ({@link startChaosMock}), with its line sets, scenarios and credentials, and a fake of
 * A&A's CQM line-quality CSV (`cqmdirect.cgi/<secret>/<name>.csv`) beside it. This entry does
 * not load msw: the same fake as msw 3 handlers (`createChaosHandlers`) lives in the
 * `@aaisp/chaos-mock/msw` subpath, which needs msw, an optional peer dependency.
 *
 * @module
 */

export type { ChaosMockControls, ChaosMockOptions } from './backend.ts';
export { CHAOS_BASE_URL } from './base-url.ts';
export type { CqmOptions } from './cqm.ts';
export { CQM_CSV_HEADER } from './cqm-csv.ts';
export type { CqmOffline, CqmQuality, CqmTrait } from './cqm-quality.ts';
export {
  CQM_HIGH_LATENCY_MS,
  CQM_LOSSY_FAIL_PERCENT,
  CQM_OFFLINE_HOUR_UTC,
  cqmQualityOf,
  cqmTraitOf,
} from './cqm-quality.ts';
export type { CqmStats } from './cqm-stats.ts';
export { CQM_BASE_URL, CQM_COMMAND, cqmName, cqmPath, cqmSecret } from './cqm-url.ts';
export type { MockCredentials } from './credentials.ts';
export { AUTH_FAILED, BAD_LOGIN, DEFAULT_CREDENTIALS } from './credentials.ts';
export type { LineTrait, MockLine, WireLine } from './lines.ts';
export { generateLines, MAX_GENERATED_LINES } from './lines.ts';
export type { ScenarioName, ScenarioOptions } from './scenarios.ts';
export { isScenarioName, SCENARIOS } from './scenarios.ts';
export type { RunningChaosMock, StartChaosMockOptions } from './server.ts';
export { startChaosMock } from './server.ts';
export type { ChaosMockStats } from './stats.ts';
