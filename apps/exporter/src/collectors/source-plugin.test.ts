/**
 * Adding a data source is one file (its source and binding, as here) and a line in `BINDINGS`: a
 * throwaway per-line HTTP feed, declared in this file and handed to the exporter as `bindings`, is
 * configured (its setting validated with the rest, its lines per account in the accounts file),
 * planned (only for the account with lines), run (two lines at a time), served, fails alone (a
 * broken feed leaves CHAOS collectors alone, and CHAOS refusing the credentials does not pause it)
 * and is documented, as the throwaway collector of `registration.test.ts` is for CHAOS.
 */

import { createServer, type Server } from 'node:http';
import { ChaosError } from '@aaisp/chaos-client';
import { DEFAULT_CREDENTIALS, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { defineMetric, withAccount } from '@aaisp/collectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { callTable } from '../../harness/bindings.ts';
import { testExporterConfig } from '../../harness/exporter-config.ts';
import { waitFor } from '../../harness/wait.ts';
import { type App, startApp } from '../app.ts';
import { type ExporterConfig, loadConfig } from '../config/config.ts';
import { renderMetricsReference } from '../docs/metrics-reference.ts';
import { renderCollectorSwitches, renderTiersTable } from '../docs/readme-tables.ts';
import { planTiers, tierJobs } from '../schedule/tiers.ts';
import { createLogger } from '../telemetry/logger.ts';
import type { CollectorBinding } from './binding.ts';
import { BINDINGS, nameOf } from './index.ts';
import type { AccountPart, DataSource, SourceSetting } from './source.ts';

const feedValue = defineMetric({
  name: 'aaisp_throwaway_feed_value',
  type: 'gauge',
  help: 'A number per line from a feed that exists only in this test.',
  unit: '',
  labels: ['line_id'],
});

/** An account's part of the accounts file: `feed: { lines: [...] }`. */
const FeedPart = z.object({ lines: z.array(z.string().regex(/^\d+$/, 'must be a line ID')).min(1) });
const feedLines = (parts: Readonly<Record<string, unknown>> | undefined): readonly string[] =>
  FeedPart.safeParse(parts?.feed).data?.lines ?? [];

/** Where the feed is: one setting for every account. */
const feedUrl: SourceSetting = {
  variable: 'FEED__URL',
  description: 'where the throwaway feed is',
  allowed: 'http(s) URL',
  schema: z.string().refine((text) => URL.canParse(text), 'must be an absolute URL'),
};
/** Which lines each account has on it: its part of the accounts file. */
const feedPart: AccountPart = {
  key: 'feed',
  description: "the account's lines on the throwaway feed",
  schema: FeedPart,
};

/** The whole data source: where the data comes from, its configuration, its docs. */
const lineFeed: DataSource = {
  name: 'line-feed',
  pausedByChaosAuth: false,
  targetsAtOnce: 2,
  targetsOf: (account) => feedLines(account.parts),
  callOf: () => 'feed/line',
  settings: [feedUrl],
  accountPart: feedPart,
  docs: {
    tiersCall: 'none: one feed GET per line',
    switchCall: 'the throwaway feed, not CHAOS',
    command: 'none: the throwaway feed',
    optional: 'only for accounts with feed lines',
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
    async ({ accountConfig, signal, context }) => {
      const base = setting('FEED__URL');
      const lines = feedLines(accountConfig.parts);
      if (base === undefined) return [];
      const values = await eachTarget(
        lines,
        async (line) => {
          const response = await (fetchPolicy.fetch ?? fetch)(new URL(line, base), {
            headers: fetchPolicy.userAgent === undefined ? {} : { 'user-agent': fetchPolicy.userAgent },
            signal: AbortSignal.any([signal, AbortSignal.timeout(fetchPolicy.timeoutMs)]),
          });
          // An SDK error by kind, so the self-metrics count it as `http`, not `internal`.
          if (!response.ok) {
            throw new ChaosError('http', `feed: HTTP ${response.status} for line ${line}`, {
              status: response.status,
            });
          }
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
const silent = createLogger({ level: 'silent', format: 'json' });

/** An accounts file with `home`, whose three lines are on the feed, and `office`, with none. */
const accountsFile = (lines = "['32001', '32002', '32003']"): string => `accounts:
  - name: home
    control_login: ${DEFAULT_CREDENTIALS.controlLogin}
    control_password: ${DEFAULT_CREDENTIALS.controlPassword}
    feed:
      lines: ${lines}
  - name: office
    control_login: ${DEFAULT_CREDENTIALS.controlLogin}
    control_password: ${DEFAULT_CREDENTIALS.controlPassword}
`;
const env = {
  AAISP_EXPORTER_CONFIG_FILE: 'accounts.yaml',
  AAISP_EXPORTER_COLLECTORS__ENABLE_FEED: 'true',
  AAISP_EXPORTER_FEED__URL: 'http://127.0.0.1:1/lines/',
};
const files =
  (text = accountsFile()) =>
  (path: string): string => {
    if (path !== 'accounts.yaml') throw new Error(`no file ${path}`);
    return text;
  };

describe('a data source declared with its binding alone', () => {
  it("is configured: its setting and each account's part validated with the rest, named where they are", () => {
    const good = loadConfig({ env, readFile: files() }, bindings);
    if (!good.ok) throw new Error(JSON.stringify(good.problems));
    expect(good.config.collectors.enabled.feed).toBe(true);
    expect(good.config.collectors.sourceSettings).toEqual({ FEED__URL: 'http://127.0.0.1:1/lines/' });
    expect(good.config.accounts.map((account) => [account.name, account.parts])).toEqual([
      ['home', { feed: { lines: ['32001', '32002', '32003'] } }],
      ['office', undefined],
    ]);
    const bad = loadConfig(
      {
        env: { ...env, AAISP_EXPORTER_FEED__URL: 'nowhere' },
        readFile: files(accountsFile("['32001', 'x2']")),
      },
      bindings,
    );
    expect(bad.ok ? [] : bad.problems).toEqual([
      { variable: 'AAISP_EXPORTER_FEED__URL', message: 'must be an absolute URL' },
      {
        variable: 'AAISP_EXPORTER_CONFIG_FILE accounts.yaml: accounts.0.feed.lines.1',
        message: 'must be a line ID',
      },
    ]);
    // Without the binding neither means anything: they are not the exporter's settings.
    const unbound = loadConfig({ env: { ...env, AAISP_EXPORTER_FEED__URL: 'nowhere' }, readFile: files() });
    expect(unbound.ok && unbound.config.collectors.sourceSettings).toBeUndefined();
    expect(unbound.ok && unbound.config.accounts.map((account) => account.parts)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('is planned on its tier for the account with lines only, with its call in the call table', () => {
    const loaded = loadConfig({ env, readFile: files() }, bindings);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const plan = planTiers(loaded.config, bindings, loaded.config.accounts);
    expect(
      plan.map((tier) => [
        tier.name,
        tierJobs(tier, ['home', 'office']).map(({ account, collector }) => `${account}/${nameOf(collector)}`),
      ]),
    ).toEqual([
      ['fast', ['home/broadband_lines', 'office/broadband_lines']],
      ['medium', ['home/broadband_services', 'home/throwaway_feed', 'office/broadband_services']],
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
    const agents = new Set<string | undefined>();

    beforeAll(async () => {
      server = createServer((request, response) => {
        requests++;
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        agents.add(request.headers['user-agent']);
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
        { env: { ...env, AAISP_EXPORTER_FEED__URL: `http://127.0.0.1:${port}/lines/` }, readFile: files() },
        bindings,
      );
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
      const config: ExporterConfig = testExporterConfig(mock.url, {
        accounts: loaded.config.accounts,
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

    it("fetches the account's lines at most two at a time, with the exporter's User-Agent, and serves them", async () => {
      const text = await waitFor('the feed to be served', async () => {
        const body = await metrics();
        return body.includes('aaisp_collector_success{collector="throwaway_feed",account="home"} 1')
          ? body
          : undefined;
      });
      expect(text).toContain('aaisp_throwaway_feed_value{line_id="32001",account="home"} 1');
      expect(text).toContain('aaisp_throwaway_feed_value{line_id="32002",account="home"} 2');
      expect(text).toContain('aaisp_throwaway_feed_value{line_id="32003",account="home"} 3');
      // `office` has no lines: no job, so no series of its own, not even a success of 0.
      expect(text).not.toContain('collector="throwaway_feed",account="office"');
      expect(mostInFlight).toBe(2);
      expect([...agents]).toEqual(['aaisp-exporter/0.0.0-test']);
    });

    it('fails alone: a broken feed leaves the CHAOS collectors succeeding', async () => {
      failing = true;
      try {
        const text = await waitFor('the feed to fail', async () => {
          const body = await metrics();
          return body.includes('aaisp_collector_success{collector="throwaway_feed",account="home"} 0')
            ? body
            : undefined;
        });
        expect(text).toContain('aaisp_collector_success{collector="broadband_lines",account="home"} 1');
        expect(text).toMatch(
          /aaisp_collector_errors_total\{collector="throwaway_feed",error_type="http",account="home"\} [1-9]/,
        );
        expect(text).toContain(
          'aaisp_collector_errors_total{collector="broadband_lines",error_type="http",account="home"} 0',
        );
        // The last good values stay until they age out, like any collector's.
        expect(text).toContain('aaisp_throwaway_feed_value{line_id="32002",account="home"} 2');
      } finally {
        failing = false;
      }
    });

    it('is not paused when CHAOS refuses the credentials', async () => {
      mock.setScenario('auth-fail');
      await waitFor('the account to be paused', async () =>
        (await metrics()).includes('aaisp_account_auth_paused{account="home"} 1') ? true : undefined,
      );
      const before = requests;
      const text = await waitFor('the feed to run on', async () => {
        const body = await metrics();
        return requests >= before + 6 &&
          body.includes('aaisp_collector_success{collector="throwaway_feed",account="home"} 1')
          ? body
          : undefined;
      });
      expect(text).toContain('aaisp_collector_success{collector="broadband_lines",account="home"} 0');
      expect(text).toContain('aaisp_throwaway_feed_value{line_id="32002",account="home"} 2');
    });
  });

  it('is documented: the metrics reference, the Tiers table and the switches with its setting', () => {
    const doc = renderMetricsReference(bindings);
    expect(doc).toContain(
      '| `throwaway_feed` | medium | none: the throwaway feed | `AAISP_EXPORTER_COLLECTORS__ENABLE_FEED` | `false` | only for accounts with feed lines |',
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

  it('is refused at start when it lacks what the docs need or takes a name the exporter has', () => {
    const { docs: _docs, ...undocumented } = lineFeed;
    const withoutDocs = { ...feed, source: undocumented };
    expect(() => loadConfig({ env, readFile: files() }, [...BINDINGS, withoutDocs])).toThrow(
      'collector throwaway_feed has no CHAOS command, so its source line-feed needs docs',
    );
    const clash = { ...feed, source: { ...lineFeed, settings: [{ ...feedUrl, variable: 'SERVER__PORT' }] } };
    expect(() => loadConfig({ env, readFile: files() }, [...BINDINGS, clash])).toThrow(
      "a data source may not declare AAISP_EXPORTER_SERVER__PORT: it is one of the exporter's own",
    );
    const taken = { ...feed, source: { ...lineFeed, accountPart: { ...feedPart, key: 'name' } } };
    expect(() => loadConfig({ env, readFile: files() }, [...BINDINGS, taken])).toThrow(
      "a source's account part may not be called name",
    );
  });
});
