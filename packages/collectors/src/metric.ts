/**
 * Building metric definitions (checked against the naming rules) and samples.
 *
 * @module
 */

import type { MetricDefinition, Sample } from './types.ts';

/**
 * Defines a metric. The name must carry its unit and only counters end in `_total`.
 *
 * @throws {TypeError} for a name that breaks those rules.
 */
export function defineMetric(definition: MetricDefinition): MetricDefinition {
  const { name, type, unit } = definition;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new TypeError(`metric name ${name} is not a Prometheus name`);
  if ((type === 'counter') !== name.endsWith('_total')) {
    throw new TypeError(`metric ${name}: only counters, and all counters, end in _total`);
  }
  const base = type === 'counter' ? name.slice(0, -'_total'.length) : name;
  if (unit !== '' && !base.endsWith(`_${unit}`))
    throw new TypeError(`metric ${name} must end in its unit ${unit}`);
  return Object.freeze({ ...definition, labels: Object.freeze([...definition.labels]) });
}

/** Builds a sample; a shorthand that keeps collectors readable. */
export function sample(
  definition: MetricDefinition,
  value: number,
  labels: Record<string, string> = {},
): Sample {
  return { metric: definition.name, labels, value };
}
