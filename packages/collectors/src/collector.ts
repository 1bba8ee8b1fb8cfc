/**
 * The `Collector` shape: node_exporter's collector with the side effects taken out.
 *
 * @module
 */

import type { MetricDefinition, Sample } from './types.ts';

/** What every collector may be told by its caller. */
export interface CollectContext {
  /**
   * The account's configured name. When set, every sample carries an `account` label; the
   * exporter sets it only when more than one account is configured.
   */
  readonly account?: string | undefined;
}

/**
 * A collector: which CHAOS commands it needs, the metrics it defines, and a pure `collect` that
 * turns one parsed answer into samples. No I/O, no clock, no registry.
 *
 * @typeParam Input - the parsed CHAOS answer (an `@aaisp/chaos-client` model).
 * @typeParam Context - what else `collect` needs from the caller.
 */
export interface Collector<Input, Context extends CollectContext = CollectContext> {
  /** Stable name, used in self-metrics (`aaisp_collector_success{collector}`) and logs. */
  readonly name: string;
  /** `"subsystem/command"` of each CHAOS call the input comes from. */
  readonly commands: readonly string[];
  /** Every metric `collect` may return samples for. */
  readonly metrics: readonly MetricDefinition[];
  /** Maps one answer to samples. Absent data gives absent samples, never zeros. */
  collect(input: Input, context: Context): Sample[];
}

/**
 * Adds the `account` label to samples when the context names an account. Samples that shared a
 * labels object still share one afterwards, which keeps rendering cheap.
 */
export function withAccount(samples: Sample[], context: CollectContext): Sample[] {
  const { account } = context;
  if (account === undefined) return samples;
  const relabelled = new Map<object, Readonly<Record<string, string>>>();
  return samples.map((entry) => {
    let labels = relabelled.get(entry.labels);
    if (labels === undefined) {
      labels = { ...entry.labels, account };
      relabelled.set(entry.labels, labels);
    }
    return { ...entry, labels };
  });
}
