/**
 * The core data types every collector, renderer and adapter speaks: metric definitions, samples
 * and the part of a collector that names its metrics. Plain data, no dependency: the prom-client
 * adapter (`@aaisp/collectors/prom-client`) builds on these, never the other way round.
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
  /** Label name → value: the definition's labels, plus `account` when the context names one. */
  readonly labels: Readonly<Record<string, string>>;
  /** The value, in the metric's base unit. */
  readonly value: number;
}

/**
 * The part of a collector that renderers and adapters need: its name and the metrics it defines.
 * Every `Collector` is one; so is any `{ name, metrics }` of your own.
 */
export interface CollectorMetrics {
  /** The collector's stable name, e.g. `broadband_lines`. */
  readonly name: string;
  /** Every metric the collector may give samples for, in exposition order. */
  readonly metrics: readonly MetricDefinition[];
}
