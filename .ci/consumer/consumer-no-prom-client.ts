// TypeScript consumer of @aaisp/collectors' root entry in a project without prom-client,
// type-checked (tsc --noEmit, skipLibCheck: false) under nodenext and bundler resolution: the
// root's .d.ts files must not need prom-client's types. The @ts-expect-error lines prove the
// types are real, not any.
import type { BroadbandInfo } from '@aaisp/chaos-client';
import {
  assembleExposition,
  broadbandLines,
  CONTENT_TYPES,
  type CollectorMetrics,
  defineMetric,
  type MetricDefinition,
  type RenderedSeries,
  renderExposition,
  renderSeries,
  type Sample,
  type Snapshot,
} from '@aaisp/collectors';

/** An exposition of one answer, without prom-client. */
export function exposition(info: BroadbandInfo): { body: string; contentType: string } {
  const samples: Sample[] = broadbandLines.collect(info, {});
  const snapshot: Snapshot = { collector: broadbandLines, samples };
  return { body: renderExposition([snapshot], 'openmetrics'), contentType: CONTENT_TYPES.openmetrics };
}

/** The cached-bytes path. */
export function parts(snapshot: Snapshot): Buffer[] {
  const series: RenderedSeries = renderSeries(snapshot);
  return assembleExposition([series], 'text');
}

/** A collector of one's own is a CollectorMetrics too. */
export const own: CollectorMetrics = {
  name: 'own',
  metrics: [
    defineMetric({ name: 'own_up', type: 'gauge', help: 'Up.', unit: '', labels: [] }),
  ] satisfies MetricDefinition[],
};

export function typeErrors(sample: Sample): void {
  // @ts-expect-error a sample's value is a number
  const value: string = sample.value;
  // @ts-expect-error the formats are text and openmetrics
  renderExposition([], 'json');
  void value;
}
