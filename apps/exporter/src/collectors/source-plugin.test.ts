/**
 * Adding a data source touches its own file and nothing else: a throwaway per-line HTTP feed,
 * declared here with its binding, is configured (its settings validated with the rest), planned,
 * run (its lines two at a time), served, fails alone (a broken feed leaves CHAOS collectors alone,
 * and CHAOS refusing the credentials does not pause it) and is documented, as the throwaway
 * collector of `registration.test.ts` is for CHAOS.
 */

import { createServer, type Server } from 'node:http';
import { type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { defineMetric, withAccount } from '@aaisp/collectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { testExporterConfig } from '../../harness/exporter-config.ts';
import { waitFor } from '../../harness/wait.ts';
import { type App, startApp } from '../app.ts';
import { type ExporterConfig, loadConfig } from '../config/config.ts';
import { renderMetricsReference } from '../docs/metrics-reference.ts';
import { renderCollectorSwitches, renderTiersTable } from '../docs/readme-tables.ts';
import { planTiers } from '../schedule/tiers.ts';
import { createLogger } from '../telemetry/logger.ts';
import type { CollectorBinding } from './binding.ts';
import { BINDINGS, callTable, nameOf } from './index.ts';
import type { DataSource } from './source.ts';

const feedValue = defineMetric({
  name: 'aaisp_throwaway_feed_value',
  type: 'gauge',
  help: 'A number per line from a feed that exists only in this test.',
  unit: '',
  labels: ['line_id'],
});

/** The whole data source: where the data comes from, its settings, its docs. */
const lineFeed: DataSource = {
  name: 'line-feed',
  pausedByChaosAuth: false,
  targetsAtOnce: 2,
  callOf: () => 'feed/line',
  settings: [
    {
      variable: 'FEED__URL',
      description: 'where the throwaway feed is',
      allowed: 'http(s) URL',
      schema: z.string().refine((text) => URL.canParse(text), 'must be an absolute URL'),
    },
    {
      variable: 'FEED__LINES',
      description: 'the lines the throwaway feed reads, comma-separated',
      allowed: 'line IDs',
      schema: z.string().regex(/^\d+(,\d+)*$/, 'must be line IDs separated by commas'),
    },
  ],
  docs: {
    tiersCall: 'none: one feed GET per line',
    switchCall: 'the throwaway feed, not CHAOS',
    command: 'none: the throwaway feed',
    optional: 'only with FEED__LINES set',
    sentence: 'Source: the throwaway feed (not CHAOS), one GET per line on each run.',
  },
};

const FeedAnswer = z.object({ value: z.number() });

/** The collector on it: one GET per line, through the source's per-target limit. */
const feed: CollectorBinding = {
  collector: { name: 'throwaway_feed', commands: [], metrics: [feedValue] },
  summary: 'a number per line',
  source: lineFeed,
  tier: 'medium',
  enable: { flag: 'feed', default: false },
  optional: false,
  start:
    ({ setting, eachTarget, fetchPolicy }) =>
    async ({ signal, context }) => {
      const base = setting('FEED__URL');
      const lines = setting('FEED__LINES')?.split(',') ?? [];
      if (base === undefined) return [];
      const values = await eachTarget(
        lines,
        async (line) => {
          const response = await fetch(new URL(line, base), {
            signal: AbortSignal.any([signal, AbortSignal.timeout(fetchPolicy.timeoutMs)]),
          });
          if (!response.ok) throw new Error(`feed answered HTTP ${response.status} for line ${line}`);
          return FeedAnswer.parse(await response.json()).value;
        },
        signal,
      );
      const samples = values.map((value, index) => ({
        metric: feedValue.name,
        labels: { line_id: lines[index] ?? '' },
        value,
      }));
      return withAccount(samples, context);
    },
};
const bindings = [...BINDINGS, feed];
const noFiles = (): string => {
  throw new Error('no files');
};
const silent = createLogger({ level: 'silent', json: true });
const env = {
  AAISP_EXPORTER_AUTH__CONTROL_LOGIN: 'ab123@a',
  AAISP_EXPORTER_AUTH__CONTROL_PASSWORD: 'pw',
  AAISP_EXPORTER_COLLECTORS__ENABLE_FEED: 'true',
  AAISP_EXPORTER_FEED__URL: 'http://127.0.0.1:1/lines/',
  AAISP_EXPORTER_FEED__LINES: '32001,32002,32003',
};

describe('a data source declared with its binding alone', () => {
  it('is configured: its settings are validated with the rest and named by their variable', () => {
    const good = loadConfig({ env, readFile: noFiles }, bindings);
    expect(good.ok && good.config.collectors.enabled.feed).toBe(true);
    expect(good.ok && good.config.collectors.sourceSettings).toEqual({
      FEED__URL: 'http://127.0.0.1:1/lines/',
      FEED__LINES: '32001,32002,32003',
    });
    const bad = loadConfig(
      {
        env: { ...env, AAISP_EXPORTER_FEED__URL: 'nowhere', AAISP_EXPORTER_FEED__LINES: '1,,2' },
        readFile: noFiles,
      },
      bindings,
    );
    expect(bad.ok ? [] : bad.problems).toEqual([
      { variable: 'AAISP_EXPORTER_FEED__URL', message: 'must be an absolute URL' },
      { variable: 'AAISP_EXPORTER_FEED__LINES', message: 'must be line IDs separated by commas' },
    ]);
    // Without the binding the variables mean nothing: they are not the exporter's settings.
    const unbound = loadConfig({ env: { ...env, AAISP_EXPORTER_FEED__URL: 'nowhere' }, readFile: noFiles });
    expect(unbound.ok && unbound.config.collectors.sourceSettings).toBeUndefined();
  });

  it('is planned on its tier, with its call in the call table', () => {
    const loaded = loadConfig({ env, readFile: noFiles }, bindings);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const plan = planTiers(loaded.config, bindings, loaded.config.accounts);
    expect(plan.map((tier) => [tier.name, tier.collectors.map(nameOf)])).toEqual([
      ['fast', ['broadband_lines']],
      ['medium', ['broadband_services', 'throwaway_feed']],
    ]);
    expect(callTable(bindings).get('throwaway_feed')).toBe('feed/line');
  });

  describe('run and served, failing alone', () => {
    let mock: RunningChaosMock;
    let app: App;
    let server: Server;
    let failing = false;
    let inFlight = 0;
    let mostInFlight = 0;
    let requests = 0;

    beforeAll(async () => {
      server = createServer((request, response) => {
        requests++;
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        const line = request.url?.split('/').at(-1) ?? '';
        // Held a moment, so lines fetched at once overlap.
        setTimeout(() => {
          inFlight--;
          if (failing) {
            response.writeHead(503).end();
            return;
          }
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ value: Number(line) % 100 }));
        }, 50);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      mock = await startChaosMock({ lines: 3 });
      const loaded = loadConfig(
        { env: { ...env, AAISP_EXPORTER_FEED__URL: `http://127.0.0.1:${port}/lines/` }, readFile: noFiles },
        bindings,
      );
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
      const config: ExporterConfig = testExporterConfig(mock.url, {
        intervals: { fastSeconds: 0.3, mediumSeconds: 0.3, slowSeconds: 0.6, cqmSeconds: 300 },
        collectors: loaded.config.collectors,
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
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    const metrics = async (): Promise<string> => (await fetch(`${app.url}/metrics`)).text();

    it('fetches its lines at most two at a time and serves their values', async () => {
      const text = await waitFor('the feed to be served', async () => {
        const body = await metrics();
        return body.includes('aaisp_collector_success{collector="throwaway_feed"} 1') ? body : undefined;
      });
      expect(text).toContain('aaisp_throwaway_feed_value{line_id="32001"} 1');
      expect(text).toContain('aaisp_throwaway_feed_value{line_id="32002"} 2');
      expect(text).toContain('aaisp_throwaway_feed_value{line_id="32003"} 3');
      expect(mostInFlight).toBe(2);
    });

    it('fails alone: a broken feed leaves the CHAOS collectors succeeding', async () => {
      failing = true;
      const text = await waitFor('the feed to fail', async () => {
        const body = await metrics();
        return body.includes('aaisp_collector_success{collector="throwaway_feed"} 0') ? body : undefined;
      });
      expect(text).toContain('aaisp_collector_success{collector="broadband_lines"} 1');
      expect(text).toMatch(
        /aaisp_collector_errors_total\{collector="throwaway_feed",error_type="internal"\} [1-9]/,
      );
      expect(text).toMatch(
        /aaisp_collector_errors_total\{collector="broadband_lines",error_type="internal"\} 0/,
      );
      failing = false;
    });

    it('is not paused when CHAOS refuses the credentials', async () => {
      mock.setScenario('auth-fail');
      await waitFor('the account to be paused', async () =>
        (await metrics()).includes('aaisp_account_auth_paused 1') ? true : undefined,
      );
      const before = requests;
      const text = await waitFor('the feed to run on', async () => {
        const body = await metrics();
        return requests >= before + 6 &&
          body.includes('aaisp_collector_success{collector="throwaway_feed"} 1')
          ? body
          : undefined;
      });
      expect(text).toContain('aaisp_collector_success{collector="broadband_lines"} 0');
      expect(text).toContain('aaisp_throwaway_feed_value{line_id="32002"} 2');
    });
  });

  it('is documented: the metrics reference, the Tiers table and the switches with its settings', () => {
    const doc = renderMetricsReference(bindings);
    expect(doc).toContain(
      '| `throwaway_feed` | medium | none: the throwaway feed | `AAISP_EXPORTER_COLLECTORS__ENABLE_FEED` | `false` | only with FEED__LINES set |',
    );
    expect(doc).toContain('Source: the throwaway feed (not CHAOS), one GET per line on each run.');
    expect(doc).toContain('| `aaisp_throwaway_feed_value` | gauge |');
    expect(renderTiersTable(bindings)).toContain(
      '| medium | 300 s | none: one feed GET per line | `throwaway_feed`: a number per line | `COLLECTORS__ENABLE_FEED` (off) | 900 s |',
    );
    const switches = renderCollectorSwitches(bindings);
    expect(switches).toContain(
      '| `AAISP_EXPORTER_COLLECTORS__ENABLE_FEED` | `false` | boolean | turns on `throwaway_feed` (medium, the throwaway feed, not CHAOS): a number per line |',
    );
    expect(switches).toContain(
      '| `AAISP_EXPORTER_FEED__URL` | – | http(s) URL | where the throwaway feed is |',
    );
    expect(renderCollectorSwitches()).not.toContain('FEED__');
  });
});
