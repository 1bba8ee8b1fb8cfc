import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DROPPED_DEFAULT_METRICS, SELF_METRIC_DEFINITIONS } from './self-metric-definitions.ts';
import { createSelfMetrics } from './self-metrics.ts';

describe('self-metric definitions', () => {
  it('follow the naming rules: Prometheus names, only counters end in _total, the unit ends the name', () => {
    for (const { name, type, unit, buckets } of SELF_METRIC_DEFINITIONS) {
      expect(name).toMatch(/^aaisp_[a-z0-9_]+$/);
      expect(name.endsWith('_total'), name).toBe(type === 'counter');
      const base = type === 'counter' ? name.slice(0, -'_total'.length) : name;
      if (unit !== '') expect(base.endsWith(`_${unit}`), name).toBe(true);
      expect(buckets !== undefined, name).toBe(type === 'histogram');
    }
    // ASCII HELP, like the collectors': one non-ASCII character makes the whole exposition a
    // two-byte string in V8.
    for (const { name, help } of SELF_METRIC_DEFINITIONS) expect(help, name).toMatch(/^[\x20-\x7e]+$/);
    expect(new Set(SELF_METRIC_DEFINITIONS.map((metric) => metric.name)).size).toBe(
      SELF_METRIC_DEFINITIONS.length,
    );
  });

  it('are what the registry serves: every name, type, help and label, in order', async () => {
    for (const multiAccount of [false, true]) {
      const registry = new Registry();
      createSelfMetrics(registry, { version: '1', nodeVersion: 'v24' }, multiAccount);
      const served = (await registry.getMetricsAsJSON()).filter((metric) => metric.name.startsWith('aaisp_'));
      expect(
        served.map((metric) => ({ name: metric.name, type: String(metric.type), help: metric.help })),
      ).toEqual(SELF_METRIC_DEFINITIONS.map(({ name, type, help }) => ({ name, type, help })));
      for (const definition of SELF_METRIC_DEFINITIONS) {
        const metric = registry.getSingleMetric(definition.name);
        // prom-client keeps the label names it was built with on the instance.
        const labelNames = (metric as unknown as { labelNames: readonly string[] }).labelNames;
        expect(labelNames, definition.name).toEqual([
          ...definition.labels,
          ...(multiAccount && definition.perAccount ? ['account'] : []),
        ]);
      }
      for (const name of DROPPED_DEFAULT_METRICS) expect(registry.getSingleMetric(name)).toBeUndefined();
    }
  });
});
