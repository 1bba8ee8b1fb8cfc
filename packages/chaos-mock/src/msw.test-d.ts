import type { HttpHandler } from 'msw';
import { describe, expectTypeOf, it } from 'vitest';
import type { ChaosMockControls, ChaosMockOptions, MockLine } from './index.ts';
import { type ChaosHandlersOptions, type ChaosMockHandlers, createChaosHandlers } from './msw.ts';

describe('the public surface of @aaisp/chaos-mock/msw', () => {
  it('createChaosHandlers gives msw handlers plus the same controls', () => {
    expectTypeOf(createChaosHandlers).returns.toEqualTypeOf<ChaosMockHandlers>();
    expectTypeOf<ChaosMockHandlers['handlers']>().toEqualTypeOf<readonly HttpHandler[]>();
    expectTypeOf<ChaosMockHandlers>().toExtend<ChaosMockControls>();
    expectTypeOf<ChaosMockHandlers['lines']>().returns.toEqualTypeOf<readonly MockLine[]>();
  });

  it('takes the shared options plus baseUrl, and no port', () => {
    expectTypeOf(createChaosHandlers).parameter(0).toEqualTypeOf<ChaosHandlersOptions | undefined>();
    expectTypeOf<ChaosHandlersOptions>().toExtend<ChaosMockOptions>();
    expectTypeOf<ChaosHandlersOptions['baseUrl']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ChaosHandlersOptions>().not.toHaveProperty('port');
  });
});
