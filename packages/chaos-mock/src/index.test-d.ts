import { describe, expectTypeOf, it } from 'vitest';
import type * as root from './index.ts';
import {
  type ChaosMockStats,
  type CqmOptions,
  type CqmQuality,
  type CqmStats,
  type CqmTrait,
  cqmQualityOf,
  cqmSecret,
  cqmTraitOf,
  generateLines,
  type MockLine,
  type RunningChaosMock,
  type ScenarioName,
  type ScenarioOptions,
  type StartChaosMockOptions,
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

  it('leaves the msw handlers to the @aaisp/chaos-mock/msw subpath', () => {
    expectTypeOf<typeof root>().not.toHaveProperty('createChaosHandlers');
    expectTypeOf<typeof root.CHAOS_BASE_URL>().toEqualTypeOf<'https://chaos2.aa.net.uk/'>();
  });

  it('wire lines carry only strings, with an upper-case ID', () => {
    expectTypeOf(generateLines).returns.toEqualTypeOf<MockLine[]>();
    expectTypeOf<WireLine['ID']>().toEqualTypeOf<string>();
    expectTypeOf<WireLine['quota_monthly']>().toEqualTypeOf<string | undefined>();
  });

  it('offers the fake CQM: options, per-line URLs, counters and quality', () => {
    expectTypeOf<NonNullable<StartChaosMockOptions['cqm']>>().toEqualTypeOf<CqmOptions>();
    expectTypeOf<CqmOptions['periodSeconds']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<CqmOptions['now']>().toEqualTypeOf<(() => number) | undefined>();
    expectTypeOf<RunningChaosMock['cqmUrl']>().toEqualTypeOf<(lineId: string) => string>();
    expectTypeOf<RunningChaosMock['cqmUrls']>().returns.toEqualTypeOf<ReadonlyMap<string, string>>();
    expectTypeOf<RunningChaosMock['cqmStats']>().returns.toEqualTypeOf<CqmStats>();
    expectTypeOf<RunningChaosMock['setCqmQuality']>()
      .parameter(1)
      .toEqualTypeOf<Partial<CqmQuality> | undefined>();
    expectTypeOf(cqmTraitOf).returns.toEqualTypeOf<CqmTrait>();
    expectTypeOf(cqmQualityOf).returns.toEqualTypeOf<CqmQuality>();
    expectTypeOf(cqmSecret).returns.toEqualTypeOf<string>();
    expectTypeOf<typeof root.CQM_BASE_URL>().toEqualTypeOf<'https://control.aa.net.uk/'>();
    expectTypeOf<typeof root.CQM_COMMAND>().toEqualTypeOf<'cqm/csv'>();
    expectTypeOf<'offline-gap'>().toExtend<CqmTrait>();
  });
});
