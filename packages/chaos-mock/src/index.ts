/**
 * `@aaisp/chaos-mock`: a faithful fake of Andrews & Arnold's CHAOS v2 API as a real local HTTP
 * server ({@link startChaosMock}), with its line sets, scenarios and credentials. This entry does
 * not load msw: the same fake as msw 3 handlers (`createChaosHandlers`) lives in the
 * `@aaisp/chaos-mock/msw` subpath, which needs msw, an optional peer dependency.
 *
 * @module
 */

export type { ChaosMockControls, ChaosMockOptions } from './backend.ts';
export { CHAOS_BASE_URL } from './base-url.ts';
export type { MockCredentials } from './credentials.ts';
export { AUTH_FAILED, BAD_LOGIN, DEFAULT_CREDENTIALS } from './credentials.ts';
export type { LineTrait, MockLine, WireLine } from './lines.ts';
export { generateLines, MAX_GENERATED_LINES } from './lines.ts';
export type { ScenarioName, ScenarioOptions } from './scenarios.ts';
export { isScenarioName, SCENARIOS } from './scenarios.ts';
export type { RunningChaosMock, StartChaosMockOptions } from './server.ts';
export { startChaosMock } from './server.ts';
export type { ChaosMockStats } from './stats.ts';
