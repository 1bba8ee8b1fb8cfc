// TypeScript consumer, type-checked only (tsc --noEmit) under nodenext and bundler resolution with
// strict and skipLibCheck: false, so the published .d.ts files (and those of their dependencies)
// are checked as a stranger's compiler sees them. It uses types and values from all three
// libraries; the @ts-expect-error lines prove the models are really typed (an `any` would make
// them unused, which is an error).
import {
  type BroadbandInfo,
  type BroadbandLine,
  type ChaosClient,
  type ChaosClientOptions,
  type ChaosErrorKind,
  type CqmData,
  type CqmSample,
  createChaosClient,
  fetchCqm,
  isChaosError,
  maskCqmUrl,
  type Quota,
  type Ratecard,
} from '@aaisp/chaos-client';
import {
  DEFAULT_CREDENTIALS,
  generateLines,
  isScenarioName,
  type MockLine,
  type RunningChaosMock,
  type ScenarioName,
  type StartChaosMockOptions,
  startChaosMock,
} from '@aaisp/chaos-mock';
import * as collectorsRoot from '@aaisp/collectors';
import {
  type BroadbandLinesContext,
  broadbandLines,
  type Collector,
  type CqmLineState,
  cqmLines,
  emptyCqmLineState,
  emptySyncChangeState,
  type MetricDefinition,
  renderExposition,
  type Sample,
  type Snapshot,
  telephonyRatecard,
  trackCqm,
  trackSyncChanges,
} from '@aaisp/collectors';
import { createPromAdapter, type PromAdapter } from '@aaisp/collectors/prom-client';
import type { Registry } from 'prom-client';

/** A client for a running mock, with the credentials the mock accepts. */
export function clientFor(mock: RunningChaosMock): ChaosClient {
  const options: ChaosClientOptions = {
    baseUrl: mock.url,
    auth: {
      controlLogin: DEFAULT_CREDENTIALS.controlLogin,
      controlPassword: DEFAULT_CREDENTIALS.controlPassword,
    },
    retry: { limit: 1, backoffLimitMs: 10 },
  };
  return createChaosClient(options);
}

/** Download sync rate per line ID; undefined when CHAOS sent no tx_rate. */
export async function downloadRates(client: ChaosClient): Promise<Map<string, number | undefined>> {
  const info: BroadbandInfo = await client.broadband.info();
  return new Map(info.lines.map((line: BroadbandLine) => [line.id, line.syncDownBps]));
}

/** Used bytes of a limited line; undefined for unlimited or quota-less lines. */
export function usedBytes(line: BroadbandLine): number | undefined {
  const quota: Quota | undefined = line.quota;
  if (quota === undefined || quota.monthlyBytes === 0 || quota.remainingBytes === undefined) return undefined;
  return quota.monthlyBytes - quota.remainingBytes;
}

/** A ChaosError's kind, or undefined for anything else. */
export function kindOf(error: unknown): ChaosErrorKind | undefined {
  if (!isChaosError(error)) return undefined;
  switch (error.kind) {
    case 'auth':
    case 'rate-limit':
    case 'schema':
      return error.kind;
    default:
      return error.kind;
  }
}

/** The newest CQM sample's average latency in seconds. */
export async function newestLatency(url: string): Promise<number | undefined> {
  const data: CqmData = await fetchCqm(url, { timeout: 5_000, retry: { limit: 0 } });
  const newest: CqmSample | undefined = data.samples.at(-1);
  return newest?.latencySeconds.avg;
}

/** One scrape's worth of the collectors, through the prom-client adapter, into our own registry. */
export async function scrape(
  client: ChaosClient,
  mock: RunningChaosMock,
  registry: Registry,
): Promise<string> {
  const adapter: PromAdapter = createPromAdapter(registry);
  const info = await client.broadband.info();
  const context: BroadbandLinesContext = { syncChanges: trackSyncChanges(emptySyncChangeState(), info) };
  const lineCollector: Collector<BroadbandInfo, BroadbandLinesContext> = broadbandLines;
  const samples: Sample[] = lineCollector.collect(info, context);
  adapter.apply(broadbandLines, samples);

  const ratecard: Ratecard = await client.telephony.ratecard();
  adapter.apply(telephonyRatecard, telephonyRatecard.collect(ratecard, {}));

  const states = new Map<string, CqmLineState>();
  for (const [lineId, url] of mock.cqmUrls()) {
    states.set(lineId, trackCqm(emptyCqmLineState(), await fetchCqm(url), Date.now()));
  }
  adapter.apply(
    cqmLines,
    cqmLines.collect(
      [...states].map(([lineId, state]) => ({ lineId, state })),
      {},
    ),
  );
  return registry.metrics();
}

/** The same samples without prom-client. */
export function render(snapshots: readonly Snapshot[]): string {
  return renderExposition(snapshots, 'openmetrics');
}

export function metricNames(collector: { readonly metrics: readonly MetricDefinition[] }): string[] {
  return collector.metrics.map((metric) => metric.name);
}

/** A mock with a scenario named on the command line, checked by the type guard. */
export async function mockWithScenario(name: string): Promise<RunningChaosMock> {
  const scenario: ScenarioName = isScenarioName(name) ? name : 'normal';
  const lines: MockLine[] = generateLines(10).filter((line) => line.traits.includes('rollover'));
  const options: StartChaosMockOptions = { port: 0, lines, scenario, cqm: { periodSeconds: 100 } };
  return startChaosMock(options);
}

export function safeCqmLabel(url: string): string {
  return maskCqmUrl(url);
}

// --- the types are real, not any ---------------------------------------------------------------
export function typeErrors(line: BroadbandLine, mock: RunningChaosMock, sample: Sample): void {
  // @ts-expect-error syncDownBps is number | undefined, not a string
  const rate: string = line.syncDownBps;
  // @ts-expect-error a line's id is read-only
  line.id = '1';
  // @ts-expect-error the mock's scenario names are a closed union
  mock.setScenario('no-such-scenario');
  // @ts-expect-error a sample's value is a number
  const value: string = sample.value;
  // @ts-expect-error auth needs a control login or an account number
  createChaosClient({ auth: { controlPassword: 'x' } });
  // @ts-expect-error the prom-client adapter is @aaisp/collectors/prom-client's, not the root's
  void collectorsRoot.createPromAdapter;
  void rate;
  void value;
}
