/**
 * The transport-level fault scenarios (`http-500`, `http-502-flaky`, `rate-limit`, `timeout`,
 * `slow`, `connection-reset`) and the `malformed-json` cut, which CHAOS and CQM play alike. They
 * come before authentication or the CQM secret is looked at: a proxy or an overloaded web server
 * answers them, not the application behind it.
 *
 * @module
 */

import { htmlOutcome, type MockOutcome, textOutcome } from './outcome.ts';
import type { ScenarioName, ScenarioOptions } from './scenarios.ts';
import { waitOrAbort } from './wait.ts';

/** The body of an HTTP 500, CHAOS's own (`telephony/services`) and the `http-500` scenario's. */
export const HTML_500: string =
  '<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>' +
  '<body><h1>Internal Server Error</h1><p>The server encountered an internal error.</p></body></html>\n';

const HTML_502 =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>' +
  '<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p></body></html>\n';

/** One mock's transport faults. */
export interface TransportFaults {
  /**
   * The fault `active` plays for one request, or `undefined` to answer it normally (after the
   * `slow` delay, which ends early when `signal` aborts).
   */
  answer(
    active: ScenarioName,
    options: ScenarioOptions,
    signal: AbortSignal,
  ): Promise<MockOutcome | undefined>;
  /** Restarts the `http-502-flaky` rhythm; called by every `setScenario`. */
  restart(): void;
}

/** Creates the faults of one mock, CHAOS and CQM sharing them. */
export function createTransportFaults(): TransportFaults {
  // Shared by CHAOS and CQM, so `http-502-flaky` keeps one rhythm across both.
  let flakyRequests = 0;
  return {
    async answer(active, options, signal) {
      switch (active) {
        case 'http-500':
          return htmlOutcome(HTML_500, 500);
        case 'http-502-flaky':
          // Counts only the requests this scenario plays for, so `commands` keeps the rhythm exact.
          return flakyRequests++ % (options.failEvery ?? 2) === 0 ? htmlOutcome(HTML_502, 502) : undefined;
        case 'rate-limit': {
          const seconds = options.retryAfterSeconds ?? 30;
          const retryAfter =
            options.retryAfterFormat === 'http-date'
              ? new Date(Date.now() + seconds * 1000).toUTCString()
              : String(seconds);
          return textOutcome('Too Many Requests\n', 429, { 'retry-after': retryAfter });
        }
        case 'timeout':
          return { type: 'hang', hangMs: options.hangMs };
        case 'connection-reset':
          return { type: 'reset' };
        case 'slow':
          await waitOrAbort(options.delayMs ?? 2000, signal);
          return undefined;
        default:
          return undefined;
      }
    },
    restart() {
      flakyRequests = 0;
    },
  };
}

/**
 * `malformed-json`: a body cut in half, JSON and CSV alike, so a client must notice rather than
 * read half the data.
 */
export function cutInHalf(body: string): string {
  return body.slice(0, Math.max(1, Math.floor(body.length / 2)));
}
