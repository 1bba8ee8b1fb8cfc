import type { Registry, RegistryContentType } from 'prom-client';
import { describe, expectTypeOf, it } from 'vitest';
import type { CollectorMetrics, Sample } from './index.ts';
import { createPromAdapter, type PromAdapter } from './prom-client.ts';

describe('the public surface of @aaisp/collectors/prom-client', () => {
  it('createPromAdapter takes a registry of yours and applies the root’s collectors and samples', () => {
    expectTypeOf(createPromAdapter).parameters.toEqualTypeOf<[Registry<RegistryContentType>]>();
    expectTypeOf(createPromAdapter).returns.toEqualTypeOf<PromAdapter>();
    expectTypeOf<PromAdapter['apply']>().parameters.toEqualTypeOf<[CollectorMetrics, readonly Sample[]]>();
    expectTypeOf<PromAdapter['clear']>().parameters.toEqualTypeOf<[CollectorMetrics]>();
  });
});
