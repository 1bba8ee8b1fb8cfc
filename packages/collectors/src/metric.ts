/**
 * Metric definitions and samples: the plain data every collector speaks.
 *
 * @module
 */

/** Prometheus metric types the collectors use. */
export type MetricType = 'gauge' | 'counter';

/** One metric family: a public contract (changing a name, type or label is a major version). */
export interface MetricDefinition {
  /** Full name, e.g. `aaisp_broadband_sync_download_bits_per_second`. */
  readonly name: string;
  /** `gauge` or `counter` (`counter` names end in `_total`). */
  readonly type: MetricType;
  /** One line for `# HELP`. */
  readonly help: string;
  /** Base unit the name ends in (`bytes`, `seconds`, `bits_per_second`, `ratio`), or `""`. */
  readonly unit: string;
  /** Label names, in order. `account` is added by the caller when there are several accounts. */
  readonly labels: readonly string[];
}

/** One series value. Labels hold exactly the definition's labels (plus `account` when set). */
export interface Sample {
  /** The {@link MetricDefinition.name} this sample belongs to. */
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The value, in the metric's base unit. */
  readonly value: number;
}

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
