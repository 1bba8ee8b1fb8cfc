/**
 * `@aaisp/chaos-mock/msw`: the fake CHAOS as msw 3 request handlers, for unit tests that should
 * not open a port. The only entry of the package that imports msw, an optional peer dependency:
 * install `msw` to use it. Everything else (the server, line sets, scenarios, credentials and
 * {@link CHAOS_BASE_URL}) comes from the root entry, `@aaisp/chaos-mock`, which works without msw.
 *
 * @example
 * ```ts
 * import { CHAOS_BASE_URL } from '@aaisp/chaos-mock';
 * import { createChaosHandlers } from '@aaisp/chaos-mock/msw';
 * ```
 *
 * @module
 */

import { type HttpHandler, HttpResponse, http } from 'msw';
import { type ChaosMockControls, type ChaosMockOptions, controlsOf, createMockBackend } from './backend.ts';
import { CHAOS_BASE_URL } from './base-url.ts';
import { waitOrAbort } from './wait.ts';

/** Options for {@link createChaosHandlers}: the server's options less `port` and `host`, plus `baseUrl`. */
export interface ChaosHandlersOptions extends ChaosMockOptions {
  /**
   * The base URL the handlers answer under; a trailing slash is added if missing. Default
   * {@link CHAOS_BASE_URL}, the real CHAOS v2.
   */
  readonly baseUrl?: string;
}

/** msw handlers for a fake CHAOS, plus the same controls as a running server mock. */
export interface ChaosMockHandlers extends ChaosMockControls {
  /** Pass these to `setupServer(...handlers)` or `server.use(...handlers)`. */
  readonly handlers: readonly HttpHandler[];
  /** The base URL they answer under, with a trailing slash. */
  readonly baseUrl: string;
}

/**
 * Creates msw 3 handlers that behave exactly like the server of `startChaosMock` (from
 * `@aaisp/chaos-mock`): same wire rules, commands, line sets, scenarios and stats. A
 * `connection-reset` (and a `timeout` once the client aborts) becomes msw's network error.
 *
 * @throws {TypeError | RangeError} for a bad option.
 * @example
 * ```ts
 * import { createChaosHandlers } from '@aaisp/chaos-mock/msw';
 * import { setupServer } from 'msw/node';
 * const chaos = createChaosHandlers({ lines: 10 });
 * const server = setupServer(...chaos.handlers);
 * server.listen({ onUnhandledFrame: 'error' });
 * chaos.setScenario('rate-limit', { retryAfterSeconds: 5 });
 * ```
 */
export function createChaosHandlers(options: ChaosHandlersOptions = {}): ChaosMockHandlers {
  const backend = createMockBackend(options);
  const base = new URL(options.baseUrl ?? CHAOS_BASE_URL);
  if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
  const baseUrl = base.href;
  const handler = http.all(
    ({ request }) => request.url.startsWith(baseUrl),
    async ({ request }) => {
      const pathname = new URL(request.url).pathname.slice(base.pathname.length - 1);
      const outcome = await backend.handle(request, pathname);
      if (outcome.type === 'response') return outcome.response;
      if (outcome.type === 'hang') await waitOrAbort(outcome.hangMs, request.signal);
      return HttpResponse.error();
    },
  );
  return {
    handlers: [handler],
    baseUrl,
    ...controlsOf(backend),
  };
}
