import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { bindingNamed } from '../../harness/bindings.ts';

import { RUN_ERROR_KINDS } from '../schedule/scheduler.ts';
import type { TierPlan } from '../schedule/tiers.ts';
import { createSelfMetrics } from './self-metrics.ts';

/** A plan with non-default intervals: fast every 120 s, slow every 600 s. */
const TIERS: readonly TierPlan[] = [
  { name: 'fast', intervalSeconds: 120, maxAgeSeconds: 360, collectors: [bindingNamed('broadband_lines')] },
  {
    name: 'slow',
    intervalSeconds: 600,
    maxAgeSeconds: 1800,
    collectors: [bindingNamed('login_services'), bindingNamed('telephony_ratecard')],
  },
];
const BUILD = { version: '1', nodeVersion: 'v24' };

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

  it('serves each planned collector’s interval and max age, error counters at 0 for every type, and every account unpaused, from the start', async () => {
    const registry = new Registry();
    createSelfMetrics(registry, BUILD, false, Date.now, { accounts: ['default'], tiers: TIERS });
    const text = await registry.metrics();
    expect(text).toContain('aaisp_collector_interval_seconds{collector="broadband_lines",tier="fast"} 120');
    expect(text).toContain('aaisp_collector_max_age_seconds{collector="broadband_lines",tier="fast"} 360');
    expect(text).toContain(
      'aaisp_collector_interval_seconds{collector="telephony_ratecard",tier="slow"} 600',
    );
    expect(text).toContain('aaisp_collector_max_age_seconds{collector="login_services",tier="slow"} 1800');
    for (const collector of ['broadband_lines', 'login_services', 'telephony_ratecard']) {
      for (const kind of RUN_ERROR_KINDS)
        expect(text).toContain(
          `aaisp_collector_errors_total{collector="${collector}",error_type="${kind}"} 0`,
        );
    }
    expect(text.match(/^aaisp_collector_errors_total\{/gm)).toHaveLength(3 * RUN_ERROR_KINDS.length);
    expect(text).toContain('\naaisp_account_auth_paused 0\n');
    // Not paused: the pause end is absent, not 0.
    expect(text).not.toMatch(/^aaisp_account_auth_paused_until_timestamp_seconds/m);
    // No run yet: no success or last-success series is made up.
    expect(text).not.toMatch(/^aaisp_collector_success/m);
  });

  it('reads 0 for every collector of a paused account, with the pause’s end, until it closes; other accounts are untouched', async () => {
    const registry = new Registry();
    const metrics = createSelfMetrics(registry, BUILD, true, Date.now, {
      accounts: ['home', 'shop'],
      tiers: TIERS,
    });
    for (const account of ['home', 'shop'])
      metrics.recordRun({ tier: 'slow', account, collector: 'login_services', durationMs: 1, outcome: 'ok' });
    metrics.recordAuthPause({ account: 'shop', pause: { untilMs: 1_800_000_900_000, refusals: 1 } });
    let text = await registry.metrics();
    for (const collector of ['broadband_lines', 'login_services', 'telephony_ratecard'])
      expect(text).toContain(`aaisp_collector_success{collector="${collector}",account="shop"} 0`);
    expect(text).toContain('aaisp_collector_success{collector="login_services",account="home"} 1');
    expect(text).not.toContain('aaisp_collector_success{collector="broadband_lines",account="home"}');
    expect(text).toContain('aaisp_account_auth_paused{account="shop"} 1');
    expect(text).toContain('aaisp_account_auth_paused{account="home"} 0');
    expect(text).toContain('aaisp_account_auth_paused_until_timestamp_seconds{account="shop"} 1800000900');
    expect(text).not.toContain('aaisp_account_auth_paused_until_timestamp_seconds{account="home"}');
    expect(text).toContain(
      'aaisp_collector_max_age_seconds{collector="broadband_lines",tier="fast",account="shop"} 360',
    );

    // CHAOS accepts the account again: unpaused; each collector's success comes from its own run.
    metrics.recordAuthPause({ account: 'shop', pause: undefined });
    metrics.recordRun({
      tier: 'fast',
      account: 'shop',
      collector: 'broadband_lines',
      durationMs: 1,
      outcome: 'ok',
    });
    text = await registry.metrics();
    expect(text).toContain('aaisp_account_auth_paused{account="shop"} 0');
    expect(text).not.toContain('aaisp_account_auth_paused_until_timestamp_seconds{account="shop"}');
    expect(text).toContain('aaisp_collector_success{collector="broadband_lines",account="shop"} 1');
    expect(text).toContain('aaisp_collector_success{collector="login_services",account="shop"} 0');
  });

  it('with one account, the pause series are unlabelled: present while paused, absent after', async () => {
    const registry = new Registry();
    const metrics = createSelfMetrics(registry, BUILD, false, Date.now, {
      accounts: ['default'],
      tiers: TIERS,
    });
    metrics.recordAuthPause({ account: 'default', pause: { untilMs: 900_000, refusals: 1 } });
    let text = await metrics.render('text');
    expect(text).toContain('\naaisp_account_auth_paused 1\n');
    expect(text).toContain('\naaisp_account_auth_paused_until_timestamp_seconds 900\n');
    expect(text).toContain('aaisp_collector_success{collector="broadband_lines"} 0');
    metrics.recordAuthPause({ account: 'default', pause: undefined });
    text = await metrics.render('openmetrics');
    expect(text).toContain('\naaisp_account_auth_paused 0\n');
    expect(text).not.toMatch(/^aaisp_account_auth_paused_until_timestamp_seconds /m);
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

describe('self-metrics after a reload', () => {
  it('drops the series of removed accounts and collectors, starts the new ones, and keeps what the others counted', async () => {
    const registry = new Registry();
    const metrics = createSelfMetrics(registry, BUILD, true, Date.now, {
      accounts: ['home', 'office'],
      tiers: TIERS,
    });
    metrics.recordRun({
      tier: 'fast',
      account: 'home',
      collector: 'broadband_lines',
      durationMs: 5,
      outcome: 'http',
    });
    metrics.recordRun({
      tier: 'fast',
      account: 'office',
      collector: 'broadband_lines',
      durationMs: 5,
      outcome: 'ok',
    });
    metrics.recordAuthPause({ account: 'home', pause: { untilMs: 60_000, refusals: 1 } });
    metrics.recordApiRequest(
      { subsystem: 'broadband', command: 'info', attempt: 1, durationMs: 110, outcome: 'ok', status: 200 },
      'office',
    );
    // office leaves, shop arrives, and the slow tier now runs login_services only.
    const tiers = TIERS.map((tier) =>
      tier.name === 'slow' ? { ...tier, collectors: [bindingNamed('login_services')] } : tier,
    );
    await metrics.replan({ accounts: ['home', 'shop'], tiers });
    const text = await registry.metrics();
    expect(text).not.toContain('account="office"');
    expect(text).not.toContain('telephony_ratecard');
    expect(text).toContain(
      'aaisp_collector_errors_total{collector="broadband_lines",error_type="http",account="home"} 1',
    );
    expect(text).toContain('aaisp_account_auth_paused{account="home"} 1');
    expect(text).toContain('aaisp_account_auth_paused{account="shop"} 0');
    expect(text).toContain(
      'aaisp_collector_interval_seconds{collector="login_services",tier="slow",account="shop"} 600',
    );
    expect(text).toContain(
      'aaisp_collector_errors_total{collector="broadband_lines",error_type="auth",account="shop"} 0',
    );
  });

  it('reports each load: 1 and its time, then 0 for a refused one with the last good time kept', async () => {
    const registry = new Registry();
    const metrics = createSelfMetrics(registry, BUILD, false);
    metrics.recordReload({ ok: true, atMs: 1_700_000_000_000 });
    metrics.recordReload({ ok: false, atMs: 1_700_000_100_000 });
    const text = await registry.metrics();
    expect(text).toContain('aaisp_exporter_config_last_reload_successful 0');
    expect(text).toContain('aaisp_exporter_config_last_reload_success_timestamp_seconds 1700000000');
  });
});
