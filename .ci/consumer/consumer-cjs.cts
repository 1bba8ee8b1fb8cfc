// A CommonJS TypeScript module (.cts) importing the ESM-only packages: under module nodenext,
// TypeScript compiles these imports to require(), which Node >= 22.12 serves (require(esm)), and
// it must accept them with the same types as consumer.ts. Type-checked by tsconfig.nodenext.json.
import { type ChaosClient, createChaosClient, parseLondonWallTime } from '@aaisp/chaos-client';
import { broadbandLines, type Sample } from '@aaisp/collectors';
import { createPromAdapter, type PromAdapter } from '@aaisp/collectors/prom-client';
import { Registry } from 'prom-client';

export function client(password: string): ChaosClient {
  return createChaosClient({ auth: { controlLogin: 'ab123@a', controlPassword: password } });
}

export async function samples(chaos: ChaosClient): Promise<Sample[]> {
  return broadbandLines.collect(await chaos.broadband.info(), {});
}

export function adapter(): PromAdapter {
  return createPromAdapter(new Registry());
}

export const bst: Date | undefined = parseLondonWallTime('2026-07-14 17:00:00');
