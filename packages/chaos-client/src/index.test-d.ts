import { describe, expectTypeOf, it } from 'vitest';
import {
  type BroadbandInfo,
  type BroadbandLine,
  type ChaosAuth,
  type ChaosClient,
  type ChaosError,
  type ChaosErrorKind,
  type CqmData,
  type CqmHooks,
  type CqmLinkSecrets,
  type CqmRequestEvent,
  type CqmResponseEvent,
  type CqmSample,
  cqmLinkSecrets,
  createChaosClient,
  DEFAULT_TIMEOUT_MS,
  type FetchCqmOptions,
  fetchCqm,
  isChaosError,
  isLoopbackHost,
  maskCqmUrl,
  type OpenRecords,
  parseCqmCsv,
  type Quota,
  type Ratecard,
  type RetryPolicy,
  type SkippedCqmRow,
} from './index.ts';

declare const client: ChaosClient;

describe('the public surface of @aaisp/chaos-client', () => {
  it('createChaosClient takes either credential pair and returns a ChaosClient', () => {
    expectTypeOf(createChaosClient).returns.toEqualTypeOf<ChaosClient>();
    expectTypeOf<{ controlLogin: string; controlPassword: string }>().toExtend<ChaosAuth>();
    expectTypeOf<{ accountNumber: string; accountPassword: string }>().toExtend<ChaosAuth>();
    expectTypeOf<{ controlLogin: string }>().not.toExtend<ChaosAuth>();
  });

  it('methods resolve to typed models', () => {
    expectTypeOf(client.broadband.info).returns.resolves.toEqualTypeOf<BroadbandInfo>();
    expectTypeOf(client.broadband.services).returns.resolves.toEqualTypeOf<string[]>();
    expectTypeOf(client.broadband.usage).returns.resolves.toEqualTypeOf<OpenRecords>();
    expectTypeOf(client.login.info).returns.resolves.toEqualTypeOf<OpenRecords>();
    expectTypeOf(client.telephony.ratecard).returns.resolves.toEqualTypeOf<Ratecard>();
  });

  it('a line has numbers, an optional quota, and raw strings', () => {
    expectTypeOf<BroadbandLine['id']>().toEqualTypeOf<string>();
    expectTypeOf<BroadbandLine['syncDownBps']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<BroadbandLine['quota']>().toEqualTypeOf<Quota | undefined>();
    expectTypeOf<Quota['updatedAt']>().toEqualTypeOf<Date | undefined>();
    expectTypeOf<BroadbandLine['raw']>().toEqualTypeOf<Readonly<Record<string, string>>>();
  });

  it('methods that need a service require it', () => {
    // @ts-expect-error: usage needs { service }
    void client.broadband.usage();
    // @ts-expect-error: login.info needs { service }
    void client.login.info({});
  });

  it('errors switch on a closed set of kinds', () => {
    expectTypeOf<ChaosError['kind']>().toEqualTypeOf<ChaosErrorKind>();
    expectTypeOf<ChaosErrorKind>().toEqualTypeOf<
      'auth' | 'unknown-command' | 'api' | 'http' | 'rate-limit' | 'network' | 'timeout' | 'schema'
    >();
    expectTypeOf(isChaosError).guards.toEqualTypeOf<ChaosError>();
  });

  it('fetchCqm takes a link and options and resolves to CqmData; parseCqmCsv is the parser alone', () => {
    expectTypeOf(fetchCqm).parameters.toEqualTypeOf<
      [url: string | URL, options?: FetchCqmOptions | undefined]
    >();
    expectTypeOf(fetchCqm).returns.resolves.toEqualTypeOf<CqmData>();
    expectTypeOf(parseCqmCsv).parameters.toEqualTypeOf<[text: string]>();
    expectTypeOf(parseCqmCsv).returns.toEqualTypeOf<CqmData>();
    expectTypeOf(maskCqmUrl).parameters.toEqualTypeOf<[url: string | URL]>();
    expectTypeOf(maskCqmUrl).returns.toEqualTypeOf<string>();
    expectTypeOf<FetchCqmOptions['retry']>().toEqualTypeOf<RetryPolicy | undefined>();
    expectTypeOf<FetchCqmOptions['hooks']>().toEqualTypeOf<CqmHooks | undefined>();
    // @ts-expect-error: retry is a policy, not a count
    void fetchCqm('https://control.aa.net.uk/cqmdirect.cgi/x/home.csv', { retry: 2 });
  });

  it('a CQM sample has a Date start and optional numbers', () => {
    expectTypeOf<CqmData['samples']>().toEqualTypeOf<readonly CqmSample[]>();
    expectTypeOf<CqmData['skipped']>().toEqualTypeOf<readonly SkippedCqmRow[]>();
    expectTypeOf<CqmSample['start']>().toEqualTypeOf<Date>();
    expectTypeOf<CqmSample['failedRatio']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<CqmSample['latencySeconds']['avg']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<CqmSample['trafficBitsPerSecond']['down']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SkippedCqmRow['line']>().toEqualTypeOf<number>();
  });

  it('cqmLinkSecrets lists the secret parts as strings; isLoopbackHost takes a hostname', () => {
    expectTypeOf(cqmLinkSecrets).parameters.toEqualTypeOf<[url: string | URL]>();
    expectTypeOf(cqmLinkSecrets).returns.toEqualTypeOf<CqmLinkSecrets>();
    expectTypeOf<CqmLinkSecrets['parts']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf(isLoopbackHost).toEqualTypeOf<(hostname: string) => boolean>();
    expectTypeOf(DEFAULT_TIMEOUT_MS).toEqualTypeOf<number>();
  });

  it('CQM hook events carry the masked link as a string, and an outcome of the closed kinds', () => {
    expectTypeOf<CqmRequestEvent>().toEqualTypeOf<{ readonly url: string; readonly attempt: number }>();
    expectTypeOf<CqmResponseEvent['outcome']>().toEqualTypeOf<'ok' | ChaosErrorKind>();
    expectTypeOf<CqmResponseEvent['status']>().toEqualTypeOf<number | undefined>();
  });
});
