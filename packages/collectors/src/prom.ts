/**
 * The prom-client 15 adapter: applies a collector's snapshot of samples to a `Registry` the caller
 * owns, and renders a registry as Prometheus text or OpenMetrics.
 *
 * @module
 */

import { Counter, Gauge, type OpenMetricsContentType, Registry } from 'prom-client';
import type { MetricDefinition, Sample } from './metric.ts';

/** The part of a collector the adapter needs: its name and metric definitions. */
export interface CollectorMetrics {
  readonly name: string;
  readonly metrics: readonly MetricDefinition[];
}

/** Applies snapshots to one registry. */
export interface PromAdapter {
  /**
   * Replaces everything `collector` last applied with `samples`: series absent from `samples`
   * (a vanished line) disappear. Synchronous, so no scrape sees half a snapshot.
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
 * Creates an adapter writing to `registry`. prom-client is a peer dependency: pass a registry
 * from your own copy, never the global default one.
 *
 * @example
 * ```ts
 * const registry = new Registry();
 * const adapter = createPromAdapter(registry);
 * adapter.apply(broadbandLines, broadbandLines.collect(await client.broadband.info(), {}));
 * const { contentType, body } = await exposition(registry, 'text');
 * ```
 */
export function createPromAdapter(registry: Registry): PromAdapter {
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

/** The two exposition formats Prometheus scrapes. */
export type ExpositionFormat = 'text' | 'openmetrics';

/** A rendered exposition and the `Content-Type` to serve it with. */
export interface Exposition {
  readonly contentType: string;
  readonly body: string;
}

/**
 * Renders every metric of `registry` as Prometheus text (0.0.4) or OpenMetrics (1.0.0), without
 * changing the registry's own content type.
 */
export async function exposition(registry: Registry, format: ExpositionFormat): Promise<Exposition> {
  const view = format === 'openmetrics' ? openMetricsRegistry() : new Registry();
  for (const { name } of registry.getMetricsAsArray()) {
    const metric = registry.getSingleMetric(name);
    if (metric) view.registerMetric(metric);
  }
  return { contentType: view.contentType, body: await view.metrics() };
}

/** prom-client 15's types omit the constructor's content type, so it is set afterwards. */
function openMetricsRegistry(): Registry<OpenMetricsContentType> {
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return registry;
}
