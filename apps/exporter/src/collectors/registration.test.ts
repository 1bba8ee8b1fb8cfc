/**
 * Adding a collector to the exporter touches its binding file and nothing else: a throwaway
 * collector, registered only by being in the bindings list, gets an enable flag, a place in the
 * tier plan, a command in the call table, the optional (re-probe) policy, and its series and
 * self-metrics on `/metrics`.
 */

import { ChaosError } from '@aaisp/chaos-client';
import { type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { defineMetric } from '@aaisp/collectors';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callTable } from '../../harness/bindings.ts';
import { designIntervals, testExporterConfig } from '../../harness/exporter-config.ts';
import { waitFor } from '../../harness/wait.ts';
import { type App, startApp } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { renderMetricsReference } from '../docs/metrics-reference.ts';
import { renderCollectorSwitches, renderTiersTable } from '../docs/readme-tables.ts';
import { createScheduler } from '../schedule/scheduler.ts';
import { planTiers } from '../schedule/tiers.ts';
import { createLogger } from '../telemetry/logger.ts';
import type { CollectorBinding } from './binding.ts';
import { BINDINGS, chaosSource, enableSettings, nameOf } from './index.ts';

const widgets = defineMetric({
  name: 'aaisp_throwaway_widgets',
  type: 'gauge',
  help: 'Broadband service IDs, counted again by a collector that exists only in this test.',
  unit: '',
  labels: [],
});

/** The whole registration: one object, as a binding file would export it. */
const throwaway: CollectorBinding = {
  collector: {
    name: 'throwaway_widgets',
    commands: ['broadband/services'],
    metrics: [widgets],
  },
  summary: 'widgets count',
  source: chaosSource,
  tier: 'medium',
  enable: { flag: 'widgets', default: false },
  optional: true,
  start:
    () =>
    async ({ client, signal, context }) => [
      {
        metric: widgets.name,
        labels: context.account === undefined ? {} : { account: context.account },
        value: (await client.broadband.services({ signal })).length,
      },
    ],
};
const bindings = [...BINDINGS, throwaway];
const noFiles = (): string => {
  throw new Error('no files');
};
const silent = createLogger({ level: 'silent', format: 'json' });

describe('a collector registered by its binding alone', () => {
  it('gets its enable flag, default off, validated like the others', () => {
    expect(enableSettings(bindings).map((setting) => setting.variable)).toEqual([
      'COLLECTORS__ENABLE_BROADBAND',
      'COLLECTORS__ENABLE_LOGIN',
      'COLLECTORS__ENABLE_TELEPHONY',
      'COLLECTORS__ENABLE_CQM',
      'COLLECTORS__ENABLE_WIDGETS',
    ]);
    const env = {
      AAISP_EXPORTER_AUTH__CONTROL_LOGIN: 'ab123@a',
      AAISP_EXPORTER_AUTH__CONTROL_PASSWORD: 'pw',
    };
    const off = loadConfig({ env, readFile: noFiles }, bindings);
    const on = loadConfig(
      { env: { ...env, AAISP_EXPORTER_COLLECTORS__ENABLE_WIDGETS: 'yes' }, readFile: noFiles },
      bindings,
    );
    const bad = loadConfig(
      { env: { ...env, AAISP_EXPORTER_COLLECTORS__ENABLE_WIDGETS: 'maybe' }, readFile: noFiles },
      bindings,
    );
    expect(off.ok && off.config.collectors.enabled.widgets).toBe(false);
    expect(on.ok && on.config.collectors.enabled.widgets).toBe(true);
    expect(bad.ok ? [] : bad.problems).toEqual([
      { variable: 'AAISP_EXPORTER_COLLECTORS__ENABLE_WIDGETS', message: 'must be true or false' },
    ]);
    // Without the binding the variable means nothing: it is not one of the exporter's settings.
    const unbound = loadConfig({
      env: { ...env, AAISP_EXPORTER_COLLECTORS__ENABLE_WIDGETS: 'maybe' },
      readFile: noFiles,
    });
    expect(unbound.ok).toBe(true);
  });

  it('joins its tier in the plan when enabled, and the call table', () => {
    const intervals = designIntervals;
    const plan = (enabled: Record<string, boolean>) =>
      planTiers({ intervals, collectors: { enabled, includePostcode: false } }, bindings, []).map((tier) => [
        tier.name,
        tier.collectors.map(nameOf),
      ]);
    expect(plan({})).toEqual([
      ['fast', ['broadband_lines']],
      ['medium', ['broadband_services']],
    ]);
    expect(plan({ widgets: true, broadband: false })).toEqual([['medium', ['throwaway_widgets']]]);
    expect(callTable(bindings).get('throwaway_widgets')).toBe('broadband/services');
  });

  it('is re-probed rarely, not backed off, when CHAOS answers HTTP 500 (it is optional)', async () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const calls: number[] = [];
      const scheduler = createScheduler({
        accounts: ['default'],
        tiers: [{ name: 'medium', intervalSeconds: 60, maxAgeSeconds: 180, collectors: [throwaway] }],
        concurrencyLimit: 1,
        logger: silent,
        reprobeMs: 60 * 60_000,
        collect: async () => {
          calls.push(Date.now());
          throw new ChaosError('http', 'CHAOS broadband/services: HTTP 500', { status: 500 });
        },
      });
      scheduler.start();
      await vi.advanceTimersByTimeAsync(59 * 60_000);
      expect(calls, 'a backed-off job would have been tried again within 8 intervals').toEqual([0]);
      await vi.advanceTimersByTimeAsync(2 * 60_000);
      expect(calls).toEqual([0, 60 * 60_000]);
      await scheduler.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  describe('served end to end', () => {
    let mock: RunningChaosMock;
    let app: App;
    beforeAll(async () => {
      mock = await startChaosMock({ lines: 3 });
      const config = testExporterConfig(mock.url, {
        collectors: { enabled: { broadband: true, widgets: true }, includePostcode: false },
      });
      app = await startApp(config, {
        logger: silent,
        version: '0.0.0-test',
        demo: false,
        bindings,
        timing: { staggerMs: 0 },
      });
    });
    afterAll(async () => {
      await app.stop();
      await mock.close();
    });

    it('has its series and its self-metrics on /metrics', async () => {
      const text = await waitFor('the throwaway collector to run', async () => {
        const body = await (await fetch(`${app.url}/metrics`)).text();
        return body.includes('aaisp_collector_success{collector="throwaway_widgets"} 1') ? body : undefined;
      });
      expect(text).toContain('# TYPE aaisp_throwaway_widgets gauge');
      expect(text).toContain(`aaisp_throwaway_widgets ${mock.lines().length}`);
      expect(mock.stats().byCommand['broadband/services']).toBeGreaterThanOrEqual(2);
    });
  });

  it('appears in docs/metrics.md: the collectors table and its metrics', () => {
    const doc = renderMetricsReference(bindings);
    expect(doc).toContain(
      '| `throwaway_widgets` | medium | `broadband/services` | `AAISP_EXPORTER_COLLECTORS__ENABLE_WIDGETS` | `false` | yes |',
    );
    expect(doc).toContain('### `throwaway_widgets`');
    expect(doc).toContain('| `aaisp_throwaway_widgets` | gauge |');
    expect(renderMetricsReference()).not.toContain('throwaway_widgets');
  });

  it('appears in the README tables: its tier row and its switch, with its summary', () => {
    expect(renderTiersTable(bindings)).toContain(
      '| medium | 300 s | `broadband/services` | `throwaway_widgets`: widgets count | `COLLECTORS__ENABLE_WIDGETS` (off) | 900 s |',
    );
    expect(renderCollectorSwitches(bindings)).toContain(
      '| `AAISP_EXPORTER_COLLECTORS__ENABLE_WIDGETS` | `false` | boolean | turns on `throwaway_widgets` (medium, `broadband/services`): widgets count |',
    );
    expect(renderTiersTable()).not.toContain('throwaway_widgets');
  });
});
