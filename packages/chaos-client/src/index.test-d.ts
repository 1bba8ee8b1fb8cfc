import { describe, expectTypeOf, it } from 'vitest';
import {
  type BroadbandInfo,
  type BroadbandLine,
  type ChaosAuth,
  type ChaosClient,
  type ChaosError,
  type ChaosErrorKind,
  createChaosClient,
  isChaosError,
  type OpenRecords,
  type Quota,
  type Ratecard,
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
});
