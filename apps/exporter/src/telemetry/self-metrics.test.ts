import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createSelfMetrics } from './self-metrics.ts';

describe('self-metrics', () => {
  it('reports build info, collector runs and CHAOS requests on the app’s own registry', async () => {
    const registry = new Registry();
    const metrics = createSelfMetrics(registry, { version: '1.2.3', nodeVersion: 'v24.21.0' }, false);
    metrics.recordRun({
      tier: 'fast',
      account: 'default',
      collector: 'broadband_lines',
      durationMs: 120,
      outcome: 'ok',
    });
    metrics.recordRun({
      tier: 'slow',
      account: 'default',
      collector: 'telephony_ratecard',
      durationMs: 30,
      outcome: 'http',
    });
    metrics.recordApiRequest(
      { subsystem: 'broadband', command: 'info', attempt: 1, durationMs: 110, outcome: 'ok', status: 200 },
      'default',
    );
    const text = await registry.metrics();
    expect(text).toContain('aaisp_exporter_build_info{version="1.2.3",node_version="v24.21.0"} 1');
    expect(text).toContain('aaisp_exporter_up 1');
    expect(text).toContain('aaisp_collector_success{collector="broadband_lines"} 1');
    expect(text).toContain('aaisp_collector_success{collector="telephony_ratecard"} 0');
    expect(text).toContain(
      'aaisp_collector_errors_total{collector="telephony_ratecard",error_type="http"} 1',
    );
    expect(text).toMatch(/aaisp_collector_last_success_timestamp_seconds\{collector="broadband_lines"\} \d+/);
    expect(text).toContain(
      'aaisp_collector_duration_seconds_count{collector="broadband_lines",tier="fast"} 1',
    );
    expect(text).toContain('aaisp_api_requests_total{subsystem="broadband",command="info",outcome="ok"} 1');
    expect(text).toContain(
      'aaisp_api_request_duration_seconds_bucket{le="0.25",subsystem="broadband",command="info"} 1',
    );
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('adds the account label when several accounts are configured', async () => {
    const registry = new Registry();
    createSelfMetrics(registry, { version: '1', nodeVersion: 'v24' }, true).recordRun({
      tier: 'fast',
      account: 'shop',
      collector: 'broadband_lines',
      durationMs: 1,
      outcome: 'auth',
    });
    expect(await registry.metrics()).toContain(
      'aaisp_collector_errors_total{collector="broadband_lines",error_type="auth",account="shop"} 1',
    );
  });

  it('renders once per change: a scrape reuses the last render until a run or request is recorded, or a second passes', async () => {
    const registry = new Registry();
    let clock = 0;
    const metrics = createSelfMetrics(registry, { version: '1', nodeVersion: 'v24' }, false, () => clock);
    const run = { tier: 'fast', account: 'default', collector: 'broadband_lines', durationMs: 1 } as const;
    metrics.recordRun({ ...run, outcome: 'ok' });
    const first = metrics.render('text');
    expect(metrics.render('text')).toBe(first);
    expect(await first).toContain('aaisp_collector_success{collector="broadband_lines"} 1');
    // A recorded run shows on the very next scrape.
    metrics.recordRun({ ...run, outcome: 'timeout' });
    const second = metrics.render('text');
    expect(second).not.toBe(first);
    expect(await second).toContain('aaisp_collector_success{collector="broadband_lines"} 0');
    // The process metrics are at most a second old.
    clock = 999;
    expect(metrics.render('text')).toBe(second);
    clock = 1000;
    expect(metrics.render('text')).not.toBe(second);
    // Each format has its own render; OpenMetrics keeps counters' family names.
    expect(await metrics.render('openmetrics')).toContain('# TYPE aaisp_collector_errors counter');
  });
});
