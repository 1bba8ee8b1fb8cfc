/**
 * `@aaisp/chaos-mock`: a faithful fake of Andrews & Arnold's CHAOS v2 API, as a real local HTTP
 * server ({@link startChaosMock}) or as msw 3 handlers ({@link createChaosHandlers}).
 *
 * @module
 */

export type { ChaosMockControls, ChaosMockOptions } from './backend.ts';
export type { MockCredentials } from './credentials.ts';
export { AUTH_FAILED, BAD_LOGIN, DEFAULT_CREDENTIALS } from './credentials.ts';
export type { LineTrait, MockLine, WireLine } from './lines.ts';
export { generateLines, MAX_GENERATED_LINES } from './lines.ts';
export type { ChaosHandlersOptions, ChaosMockHandlers } from './msw.ts';
export { CHAOS_BASE_URL, createChaosHandlers } from './msw.ts';
export type { ScenarioName, ScenarioOptions } from './scenarios.ts';
export { isScenarioName, SCENARIOS } from './scenarios.ts';
export type { RunningChaosMock, StartChaosMockOptions } from './server.ts';
export { startChaosMock } from './server.ts';
export type { ChaosMockStats } from './stats.ts';
