/**
 * `@aaisp/collectors/prom-client`: the prom-client 15 adapter, which applies a collector's snapshot
 * of samples to a `Registry` the caller owns. The only entry of the package that imports
 * prom-client, an optional peer dependency: install `prom-client` to use it. The collectors, the
 * core types and the renderer come from the root entry, `@aaisp/collectors`, which works without
 * prom-client.
 *
 * @example
 * ```ts
 * import { broadbandLines } from '@aaisp/collectors';
 * import { createPromAdapter } from '@aaisp/collectors/prom-client';
 * ```
 *
 * @module
 */

import { Counter, Gauge, type Registry, type RegistryContentType } from 'prom-client';
import type { CollectorMetrics, MetricDefinition, Sample } from './types.ts';

/** Applies snapshots to one registry. */
export interface PromAdapter {
  /**
   * Replaces everything `collector` last applied with `samples`: series absent from `samples`
   * (a vanished line) disappear. Synchronous, so no scrape sees half a snapshot. With several
   * accounts, apply each collector once with every account's samples together: applying one
   * account's snapshot replaces the others'.
   *
   * @throws {TypeError} for a sample of a metric the collector does not define, or a label it
   * does not declare; nothing is changed then.
   */
  apply(collector: CollectorMetrics, samples: readonly Sample[]): void;
  /** Removes every series `collector` applied (e.g. its data grew too old to serve). */
  clear(collector: CollectorMetrics): void;
}

/** The label every metric also accepts, set when several accounts are configured. */
const ACCOUNT_LABEL = 'account';

type PromMetric = Gauge<string> | Counter<string>;

/**
 * Creates an adapter writing to `registry`. prom-client is an optional peer dependency, needed by
 * this entry only: pass a registry from your own copy, never the global default one.
 *
 * @example
 * ```ts
 * const registry = new Registry();
 * const adapter = createPromAdapter(registry);
 * adapter.apply(broadbandLines, broadbandLines.collect(await client.broadband.info(), {}));
 * // Serve `await registry.metrics()` with `registry.contentType`. For OpenMetrics, create the
 * // registry as `new Registry<OpenMetricsContentType>()` and call
 * // `registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE)` (prom-client 15's types omit the
 * // constructor argument), or render the same samples with `renderExposition`.
 * ```
 */
export function createPromAdapter(registry: Registry<RegistryContentType>): PromAdapter {
  const metrics = new Map<string, PromMetric>();

  const metricFor = (definition: MetricDefinition): PromMetric => {
    const existing = metrics.get(definition.name);
    if (existing) return existing;
    if (registry.getSingleMetric(definition.name)) {
      throw new TypeError(`metric ${definition.name} is already registered in this registry by someone else`);
    }
    const configuration = {
      name: definition.name,
      help: definition.help,
      labelNames: [...definition.labels, ACCOUNT_LABEL],
      registers: [registry],
    };
    const created = definition.type === 'counter' ? new Counter(configuration) : new Gauge(configuration);
    metrics.set(definition.name, created);
    return created;
  };

  const check = (collector: CollectorMetrics, samples: readonly Sample[]): Map<string, MetricDefinition> => {
    const definitions = new Map(collector.metrics.map((definition) => [definition.name, definition]));
    for (const entry of samples) {
      const definition = definitions.get(entry.metric);
      if (!definition)
        throw new TypeError(`collector ${collector.name} does not define metric ${entry.metric}`);
      for (const label of Object.keys(entry.labels)) {
        if (label !== ACCOUNT_LABEL && !definition.labels.includes(label)) {
          throw new TypeError(`metric ${entry.metric} has no label ${label}`);
        }
      }
      if (definition.type === 'counter' && !(entry.value >= 0)) {
        throw new TypeError(`counter ${entry.metric} cannot be ${entry.value}`);
      }
    }
    return definitions;
  };

  const clear = (collector: CollectorMetrics): void => {
    for (const definition of collector.metrics) metricFor(definition).reset();
  };

  return {
    apply(collector, samples) {
      const definitions = check(collector, samples);
      // A name clash must fail before anything is created or reset.
      for (const definition of collector.metrics) {
        if (!metrics.has(definition.name) && registry.getSingleMetric(definition.name)) {
          throw new TypeError(
            `metric ${definition.name} is already registered in this registry by someone else`,
          );
        }
      }
      clear(collector);
      for (const entry of samples) {
        const definition = definitions.get(entry.metric);
        if (!definition) continue;
        const metric = metricFor(definition);
        if (metric instanceof Counter) metric.inc(entry.labels, entry.value);
        else metric.set(entry.labels, entry.value);
      }
    },
    clear,
  };
}
