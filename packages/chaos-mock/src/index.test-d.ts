import { describe, expectTypeOf, it } from 'vitest';
import {
  type ChaosMockHandlers,
  type ChaosMockStats,
  createChaosHandlers,
  generateLines,
  type MockLine,
  type RunningChaosMock,
  type ScenarioName,
  type ScenarioOptions,
  startChaosMock,
  type WireLine,
} from './index.ts';

describe('the public surface of @aaisp/chaos-mock', () => {
  it('startChaosMock resolves to a running mock with its controls', () => {
    expectTypeOf(startChaosMock).returns.resolves.toEqualTypeOf<RunningChaosMock>();
    expectTypeOf<RunningChaosMock['url']>().toEqualTypeOf<string>();
    expectTypeOf<RunningChaosMock['stats']>().returns.toEqualTypeOf<ChaosMockStats>();
    expectTypeOf<RunningChaosMock['close']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<RunningChaosMock['setScenario']>().parameter(0).toEqualTypeOf<ScenarioName>();
    expectTypeOf<RunningChaosMock['setScenario']>().parameter(1).toEqualTypeOf<ScenarioOptions | undefined>();
  });

  it('only accepts known scenario names', () => {
    expectTypeOf<'auth-fail'>().toExtend<ScenarioName>();
    expectTypeOf<'meltdown'>().not.toExtend<ScenarioName>();
  });

  it('createChaosHandlers gives msw handlers plus the same controls', () => {
    expectTypeOf(createChaosHandlers).returns.toEqualTypeOf<ChaosMockHandlers>();
    expectTypeOf<ChaosMockHandlers['lines']>().returns.toEqualTypeOf<readonly MockLine[]>();
  });

  it('wire lines carry only strings, with an upper-case ID', () => {
    expectTypeOf(generateLines).returns.toEqualTypeOf<MockLine[]>();
    expectTypeOf<WireLine['ID']>().toEqualTypeOf<string>();
    expectTypeOf<WireLine['quota_monthly']>().toEqualTypeOf<string | undefined>();
  });
});
