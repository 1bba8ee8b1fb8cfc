import { describe, expectTypeOf, it } from 'vitest';
import type * as root from './index.ts';
import type { Collector, CollectorMetrics, MetricDefinition, Sample, Snapshot } from './index.ts';

describe('the public surface of @aaisp/collectors', () => {
  it('leaves the prom-client adapter to the @aaisp/collectors/prom-client subpath', () => {
    expectTypeOf<typeof root>().not.toHaveProperty('createPromAdapter');
    expectTypeOf<typeof root.broadbandLines>().toExtend<CollectorMetrics>();
  });

  it('keeps the core types in the root', () => {
    expectTypeOf<CollectorMetrics['metrics']>().toEqualTypeOf<readonly MetricDefinition[]>();
    expectTypeOf<Snapshot['collector']>().toEqualTypeOf<CollectorMetrics>();
    expectTypeOf<Snapshot['samples']>().toEqualTypeOf<readonly Sample[]>();
    expectTypeOf<Collector<string[]>>().toExtend<CollectorMetrics>();
  });
});
