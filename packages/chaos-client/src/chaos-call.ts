/**
 * One CHAOS command over the shared transport: a POST form to `<subsystem>/<command>/json` with
 * the credentials in the body only, read commands retried and writes never, the answer envelope
 * checked, and each attempt reported to the client's hooks.
 *
 * @module
 */

import { chaosErrorAnswer, readChaosAnswer } from './chaos-answer.ts';
import { isRecord } from './is-record.ts';
import { chaosRetryPlan, type RetrySettings } from './retry-policy.ts';
import { secretForms } from './secret-forms.ts';
import { createTransport } from './transport.ts';
import type { ChaosAuth, ChaosHooks, ChaosRequestEvent } from './transport-types.ts';

/** @internal Everything a CHAOS caller needs, with defaults applied. */
export interface ChaosCallSettings {
  readonly auth: ChaosAuth;
  /** Absolute, ending in `/`. */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly retry: RetrySettings;
  readonly fetch: typeof globalThis.fetch | undefined;
  readonly userAgent: string;
  readonly signal: AbortSignal | undefined;
  readonly hooks: ChaosHooks;
}

/** @internal One call: which command, its attributes (never credentials), and whether it writes. */
export interface ChaosCall<T> {
  readonly subsystem: string;
  readonly command: string;
  readonly params: Readonly<Record<string, string>>;
  readonly write: boolean;
  readonly signal?: AbortSignal | undefined;
  /**
   * Turns the checked answer into the result. It runs inside the attempt, so a `schema` error it
   * throws is what the hooks report for that attempt, and it is never retried.
   */
  readonly parse: (answer: Record<string, unknown>) => T;
}

/** @internal Performs one CHAOS call. */
export type ChaosCaller = <T>(call: ChaosCall<T>) => Promise<T>;

function credentials(auth: ChaosAuth): Record<string, string> {
  if ('accountNumber' in auth) {
    return {
      account_number: auth.accountNumber,
      account_password: auth.accountPassword,
      ...(auth.controlLogin === undefined ? {} : { control_login: auth.controlLogin }),
    };
  }
  return { control_login: auth.controlLogin, control_password: auth.controlPassword };
}

/** @internal Creates the function that performs one CHAOS call with the given settings. */
export function createChaosCaller(settings: ChaosCallSettings): ChaosCaller {
  const transport = createTransport(settings);
  const auth = credentials(settings.auth);
  const secrets = secretForms(
    [auth.control_password, auth.account_password].filter(
      (secret): secret is string => typeof secret === 'string' && secret.length > 0,
    ),
  );
  /** Replaces every credential secret in a text CHAOS (or fetch) sent back. */
  const scrub = (text: string): string =>
    secrets.reduce((clean, secret) => clean.replaceAll(secret, '***'), text);

  return <T>(call: ChaosCall<T>): Promise<T> => {
    const signal =
      settings.signal && call.signal
        ? AbortSignal.any([settings.signal, call.signal])
        : (call.signal ?? settings.signal);
    const event = (attempt: number): ChaosRequestEvent => ({
      subsystem: call.subsystem,
      command: call.command,
      attempt,
    });
    return transport({
      url: new URL(
        `${encodeURIComponent(call.subsystem)}/${encodeURIComponent(call.command)}/json`,
        settings.baseUrl,
      ),
      method: 'post',
      // Credentials only ever travel in the form body: never in the path or a query string.
      body: new URLSearchParams({ ...call.params, ...auth }),
      accept: 'application/json',
      signal,
      retry: chaosRetryPlan(call.write, settings.retry),
      failure: {
        label: `CHAOS ${call.subsystem}/${call.command}`,
        subsystem: call.subsystem,
        command: call.command,
        scrub,
        noAnswer: 'no answer from CHAOS',
        // [?] A non-200 may carry CHAOS's usual `error` body (docs/chaos-api.md §10.7): keep its meaning.
        answerError: (data, status) =>
          isRecord(data) && 'error' in data ? chaosErrorAnswer(data.error, call, scrub, status) : undefined,
      },
      observer: {
        onAttempt: (attempt) => settings.hooks.onRequest?.(event(attempt)),
        onAttemptEnd: ({ attempt, ...end }) => settings.hooks.onResponse?.({ ...event(attempt), ...end }),
      },
      parse: (text) => call.parse(readChaosAnswer(text, call, scrub)),
    });
  };
}
