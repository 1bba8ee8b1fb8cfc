/**
 * `@aaisp/chaos-mock/msw`: the fake CHAOS as msw 3 request handlers, for unit tests that should
 * not open a port. The only entry of the package that imports msw, an optional peer dependency:
 * install `msw` to use it. Everything else (the server, line sets, scenarios, credentials,
 * {@link CHAOS_BASE_URL} and {@link CQM_BASE_URL}) comes from the root entry, `@aaisp/chaos-mock`,
 * which works without msw.
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
import { CQM_BASE_URL, CQM_PATH_PREFIX } from './cqm-url.ts';
import type { MockOutcome } from './outcome.ts';
import { waitOrAbort } from './wait.ts';

/** Options for {@link createChaosHandlers}: the server's options less `port` and `host`, plus `baseUrl`. */
export interface ChaosHandlersOptions extends ChaosMockOptions {
  /**
   * The base URL the handlers answer under; a trailing slash is added if missing. Default
   * {@link CHAOS_BASE_URL}, the real CHAOS v2.
   */
  readonly baseUrl?: string;
  /**
   * The base URL the fake CQM answers `cqmdirect.cgi/<secret>/<name>.csv` under; a trailing slash
   * is added if missing. Default {@link CQM_BASE_URL}, A&A's `https://control.aa.net.uk/`.
   */
  readonly cqmBaseUrl?: string;
}

/** msw handlers for a fake CHAOS, plus the same controls as a running server mock. */
export interface ChaosMockHandlers extends ChaosMockControls {
  /** Pass these to `setupServer(...handlers)` or `server.use(...handlers)`. */
  readonly handlers: readonly HttpHandler[];
  /** The base URL they answer CHAOS under, with a trailing slash. */
  readonly baseUrl: string;
  /** The base URL they answer CQM under, with a trailing slash; `cqmUrl()` resolves against it. */
  readonly cqmBaseUrl: string;
}

/** An absolute URL with a trailing slash on its path. */
function withSlash(url: string): URL {
  const base = new URL(url);
  if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
  return base;
}

/**
 * Creates msw 3 handlers that behave exactly like the server of `startChaosMock` (from
 * `@aaisp/chaos-mock`): same wire rules, commands, line sets, scenarios and stats, and the same
 * fake CQM (on `https://control.aa.net.uk/` by default). A `connection-reset` (and a `timeout`
 * once the client aborts) becomes msw's network error.
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
  const base = withSlash(options.baseUrl ?? CHAOS_BASE_URL);
  const baseUrl = base.href;
  const cqmBase = withSlash(options.cqmBaseUrl ?? CQM_BASE_URL);
  const cqmPrefix = new URL(CQM_PATH_PREFIX, cqmBase).href;
  const answer = async (outcome: MockOutcome, request: Request): Promise<Response> => {
    if (outcome.type === 'response') return outcome.response;
    if (outcome.type === 'hang') await waitOrAbort(outcome.hangMs, request.signal);
    return HttpResponse.error();
  };
  /** The request's path relative to `root`, keeping its leading slash. */
  const relative = (request: Request, root: URL): string =>
    new URL(request.url).pathname.slice(root.pathname.length - 1);
  // First, so CQM wins when both base URLs are one and the same.
  const cqm = http.all(
    ({ request }) => request.url.startsWith(cqmPrefix),
    async ({ request }) => answer(await backend.handleCqm(request, relative(request, cqmBase)), request),
  );
  const chaos = http.all(
    ({ request }) => request.url.startsWith(baseUrl),
    async ({ request }) => answer(await backend.handle(request, relative(request, base)), request),
  );
  return {
    handlers: [cqm, chaos],
    baseUrl,
    cqmBaseUrl: cqmBase.href,
    ...controlsOf(backend, cqmBase.href),
  };
}
