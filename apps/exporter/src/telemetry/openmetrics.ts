/**
 * Renders a prom-client registry as OpenMetrics without changing it. prom-client 15 can only
 * render a registry in the content type it was created with, and its OpenMetrics rendering
 * renames counters in place, so the self-metrics registry stays in the Prometheus text format and
 * OpenMetrics scrapes are rendered here from its JSON form, escaped and formatted by the same
 * `@aaisp/collectors` helpers the collectors' series are.
 *
 * @module
 */

import { escapeHelp, escapeLabelValue, formatSampleValue } from '@aaisp/collectors';
import type { Registry } from 'prom-client';

/**
 * The OpenMetrics families of `registry`, without the closing `# EOF` (the caller adds it once,
 * after joining these with the collectors' families).
 */
export async function registryAsOpenMetrics(registry: Registry): Promise<string> {
  const out: string[] = [];
  for (const metric of await registry.getMetricsAsJSON()) {
    // prom-client's types call `type` a numeric enum; at run time it is the string ('counter', …).
    const type = String(metric.type);
    const family = type === 'counter' ? metric.name.replace(/_total$/, '') : metric.name;
    out.push(`# TYPE ${family} ${type}\n# HELP ${family} ${escapeHelp(metric.help, 'openmetrics')}\n`);
    for (const value of metric.values) {
      const name =
        'metricName' in value && typeof value.metricName === 'string' ? value.metricName : metric.name;
      const labels = Object.entries(value.labels)
        .filter(([, label]) => label !== undefined)
        .map(([key, label]) => `${key}="${escapeLabelValue(String(label))}"`)
        .join(',');
      out.push(`${name}${labels === '' ? '' : `{${labels}}`} ${formatSampleValue(value.value)}\n`);
    }
  }
  return out.join('');
}
