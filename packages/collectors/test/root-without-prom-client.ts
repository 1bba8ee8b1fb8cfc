/**
 * Run by `src/root-without-prom-client.test.ts` in a child Node (with `--conditions=@aaisp/source`)
 * whose resolver refuses `prom-client`, as if it were not installed: loads the root entry by its
 * package name, maps a `broadband/info` answer and renders it, then tries the `./prom-client`
 * subpath, which must fail. Prints one JSON object for the test to check.
 */
import { registerHooks } from 'node:module';

/** Every specifier of prom-client something tried to resolve, and from where. */
const refused: string[] = [];

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'prom-client' || specifier.startsWith('prom-client/')) {
      refused.push(`${specifier} from ${context.parentURL ?? '(entry)'}`);
      throw Object.assign(new Error(`Cannot find package '${specifier}' (prom-client is not installed)`), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    }
    return nextResolve(specifier, context);
  },
});

// Imported only now: the hook must be in place before the graph loads.
const { broadbandLines, emptySyncChangeState, renderExposition, trackSyncChanges } = await import(
  '@aaisp/collectors'
);

const info = {
  lines: [
    {
      id: '32001',
      login: 'test@a.1',
      raw: {},
      syncDownBps: 80_000_000,
      syncUpBps: 20_000_000,
      quota: { monthlyBytes: 100_000_000_000, remainingBytes: 25_000_000_000 },
    },
  ],
  serviceChoices: [],
  skipped: [],
};
const samples = broadbandLines.collect(info, { syncChanges: trackSyncChanges(emptySyncChangeState(), info) });
const exposition = renderExposition([{ collector: broadbandLines, samples }], 'text');
const refusedByRoot = [...refused];

const adapter = await import('@aaisp/collectors/prom-client').then(
  (module) => ({ loaded: typeof module.createPromAdapter, code: null, message: null }),
  (error: unknown) => ({
    loaded: null,
    code: error instanceof Error && 'code' in error ? String(error.code) : null,
    message: error instanceof Error ? error.message : String(error),
  }),
);

console.log(JSON.stringify({ exposition, refusedByRoot, adapter, refused }));
