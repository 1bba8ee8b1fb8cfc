/**
 * `createChaosClient`: the typed CHAOS v2 client, one method per documented read command.
 *
 * @module
 */

import {
  type BroadbandInfo,
  type BroadbandQuota,
  type InvalidLinePolicy,
  type OpenRecords,
  parseBroadbandInfo,
  parseBroadbandQuota,
  parseOpenRecords,
} from './broadband.ts';
import { createChaosCaller } from './chaos-call.ts';
import { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS, withDefaults } from './defaults.ts';
import { isLoopbackHost } from './loopback.ts';
import { parseRatecard, type Ratecard } from './telephony.ts';
import type { ChaosAuth, ChaosHooks, RetryPolicy } from './transport-types.ts';
import { parseServiceList } from './wire.ts';

/** Options for {@link createChaosClient}. */
export interface ChaosClientOptions {
  /** Control login or account credentials. They travel only in POST bodies, never in a URL. */
  readonly auth: ChaosAuth;
  /**
   * Default {@link DEFAULT_BASE_URL}. A path is kept (`http://127.0.0.1:8080/chaos/`). Must be
   * `https://`; plain `http://` only to a host {@link isLoopbackHost} accepts.
   */
  readonly baseUrl?: string | URL | undefined;
  /** Per-attempt timeout in ms. Default {@link DEFAULT_TIMEOUT_MS} (30 000). */
  readonly timeout?: number | undefined;
  /** Retries for read commands: a count or a policy. Default 2 retries. Write commands never retry. */
  readonly retry?: number | RetryPolicy | undefined;
  /** The `fetch` to use (tests, proxies, instrumentation). Default the global `fetch`. */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** The `User-Agent` header. Default `@aaisp/chaos-client/<version>`. */
  readonly userAgent?: string | undefined;
  /** Aborts every call of this client (e.g. on shutdown); the abort reason is rethrown as is. */
  readonly signal?: AbortSignal | undefined;
  /** Observers of each HTTP attempt (subsystem, command, duration, outcome); never see credentials. */
  readonly hooks?: ChaosHooks | undefined;
}

/** Options every method takes. */
export interface CallOptions {
  /** Aborts this call only. */
  readonly signal?: AbortSignal | undefined;
}

/** Options of the methods that return lines. */
export interface LineCallOptions extends CallOptions {
  /** One line, by line ID (or phone number, which CHAOS may resolve to an old circuit). */
  readonly service?: string | undefined;
  /**
   * `throw` (default): a line that breaks the wire contract fails the call with a `schema` error
   * naming the line and field. `skip`: it is left out and reported in `skipped`, so one bad line
   * does not hide the good ones.
   */
  readonly onInvalidLine?: InvalidLinePolicy | undefined;
}

/** Options of the methods that need a service. */
export interface ServiceCallOptions extends CallOptions {
  readonly service: string;
}

/** Options of {@link ChaosClient.request}. */
export interface RequestOptions extends CallOptions {
  /**
   * Allow a write command (`kill`, `adjust`, `order`, `cease`) or any command not known to be a
   * read. Default false. Such commands are sent once, never retried.
   */
  readonly allowWrite?: boolean | undefined;
}

/** The validated envelope of a raw {@link ChaosClient.request}. */
export interface ChaosEnvelope {
  /** The whole answer: `subsystem`, `command`, `request` (the echo) and the payload keys. */
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * A CHAOS v2 client. A failed CHAOS call rejects with a {@link ChaosError}; a call aborted by a
 * signal rejects with the abort reason; `request()` also rejects with a `TypeError` for misuse.
 */
export interface ChaosClient {
  readonly broadband: {
    /**
     * `broadband/info`: without `service`, every line the login can see, in one call.
     * @example
     * ```ts
     * const { lines } = await client.broadband.info();
     * for (const line of lines) console.log(line.id, line.syncDownBps, line.quota?.remainingBytes);
     * ```
     */
    info(options?: LineCallOptions): Promise<BroadbandInfo>;
    /** `broadband/quota`: quota figures per line (the same four fields `info` carries). */
    quota(options?: LineCallOptions): Promise<BroadbandQuota>;
    /** `broadband/services`: the line IDs visible to the login. */
    services(options?: CallOptions): Promise<string[]>;
    /** `broadband/usage` for one line. Shape unknown [?]: open records, see {@link OpenRecords}. */
    usage(options: ServiceCallOptions): Promise<OpenRecords>;
  };
  readonly login: {
    /** `login/services`: the control logins available (field names [?]: strings assumed). */
    services(options?: CallOptions): Promise<string[]>;
    /** `login/info` for one control login. Shape unknown [?]: open records of `info[]`. */
    info(options: ServiceCallOptions): Promise<OpenRecords>;
  };
  readonly telephony: {
    /** `telephony/ratecard`: prefixes to rate names, and each rate's charges. Works without VoIP. */
    ratecard(options?: CallOptions): Promise<Ratecard>;
    /** `telephony/services`. CHAOS answers HTTP 500 (`kind: 'http'`) on an account without VoIP. */
    services(options?: CallOptions): Promise<string[]>;
    /** `telephony/info` for one number. Shape unknown [?]: open records of `info[]`. */
    info(options: ServiceCallOptions): Promise<OpenRecords>;
  };
  /**
   * Any command, for what the typed methods do not cover. Answers the validated envelope (HTTP 200,
   * a JSON object, no `error`). Write commands are refused unless `allowWrite` is set.
   *
   * Rejects with a `TypeError` (without calling CHAOS) for a write command without `allowWrite`,
   * a name that is not a command, or credentials in `params`.
   */
  request(
    subsystem: string,
    command: string,
    params?: Readonly<Record<string, string>>,
    options?: RequestOptions,
  ): Promise<ChaosEnvelope>;
}

/**
 * Commands known to only read (docs/chaos-api.md §1; for `availability` and `check` this is [I],
 * §3.6). Anything else, `kill`, `adjust`, `order`, `cease` or a command we do not know, is treated
 * as a write: refused without `allowWrite`, never retried.
 */
const READ_COMMANDS: ReadonlySet<string> = new Set([
  'info',
  'quota',
  'services',
  'usage',
  'ratecard',
  'availability',
  'check',
]);
const CREDENTIAL_PARAMS = /^(control|account)[-_](login|password|number)$/i;
const NAME = /^[a-z][a-z0-9_-]*$/;

/**
 * Creates a CHAOS v2 client.
 *
 * @throws {TypeError | RangeError} for bad options (missing credentials, a negative timeout, …).
 * @example
 * ```ts
 * import { createChaosClient, isChaosError } from '@aaisp/chaos-client';
 *
 * const client = createChaosClient({ auth: { controlLogin: 'ab123@a', controlPassword: process.env.CHAOS_PASSWORD ?? '' } });
 * const { lines } = await client.broadband.info();
 * ```
 */
export function createChaosClient(options: ChaosClientOptions): ChaosClient {
  const { auth } = options;
  const login = 'accountNumber' in auth ? auth.accountNumber : auth.controlLogin;
  const password = 'accountNumber' in auth ? auth.accountPassword : auth.controlPassword;
  if (!login || !password)
    throw new TypeError('chaos-client: auth needs a login (or account number) and a password');
  const { timeoutMs, retry, userAgent } = withDefaults('chaos-client', {
    timeout: options.timeout,
    retry: typeof options.retry === 'number' ? { limit: options.retry } : options.retry,
    userAgent: options.userAgent,
  });
  const baseUrl = new URL(options.baseUrl ?? DEFAULT_BASE_URL);
  if (!baseUrl.pathname.endsWith('/')) baseUrl.pathname = `${baseUrl.pathname}/`;
  if (baseUrl.username || baseUrl.password || baseUrl.search) {
    throw new TypeError('chaos-client: baseUrl must not carry credentials or a query string');
  }
  // The password travels in every request body: plain HTTP only to this machine (a local mock).
  if (baseUrl.protocol !== 'https:' && !(baseUrl.protocol === 'http:' && isLoopbackHost(baseUrl.hostname))) {
    throw new TypeError('chaos-client: baseUrl must be https:// (plain http:// only for localhost)');
  }

  const send = createChaosCaller({
    auth,
    baseUrl: baseUrl.href,
    timeoutMs,
    retry,
    fetch: options.fetch,
    userAgent,
    signal: options.signal,
    hooks: options.hooks ?? {},
  });

  const read = <T>(
    subsystem: string,
    command: string,
    params: Record<string, string>,
    call: CallOptions | undefined,
    parse: (answer: Record<string, unknown>) => T,
  ): Promise<T> => send({ subsystem, command, params, write: false, signal: call?.signal, parse });
  const service = (call: LineCallOptions | undefined): Record<string, string> =>
    call?.service === undefined ? {} : { service: call.service };

  return {
    broadband: {
      info: (call) =>
        read('broadband', 'info', service(call), call, (answer) =>
          parseBroadbandInfo(answer, call?.onInvalidLine ?? 'throw'),
        ),
      quota: (call) =>
        read('broadband', 'quota', service(call), call, (answer) =>
          parseBroadbandQuota(answer, call?.onInvalidLine ?? 'throw'),
        ),
      services: (call) =>
        read('broadband', 'services', {}, call, (answer) => parseServiceList(answer, 'broadband')),
      usage: (call) =>
        read('broadband', 'usage', service(call), call, (answer) => parseOpenRecords(answer, 'usage')),
    },
    login: {
      services: (call) => read('login', 'services', {}, call, (answer) => parseServiceList(answer, 'login')),
      info: (call) =>
        read('login', 'info', service(call), call, (answer) => parseOpenRecords(answer, 'info')),
    },
    telephony: {
      ratecard: (call) => read('telephony', 'ratecard', {}, call, parseRatecard),
      services: (call) =>
        read('telephony', 'services', {}, call, (answer) => parseServiceList(answer, 'telephony')),
      info: (call) =>
        read('telephony', 'info', service(call), call, (answer) => parseOpenRecords(answer, 'info')),
    },
    request: async (subsystem, command, params = {}, call = {}) => {
      if (!NAME.test(subsystem) || !NAME.test(command)) {
        throw new TypeError(`chaos-client: "${subsystem}/${command}" is not a CHAOS command name`);
      }
      const write = !READ_COMMANDS.has(command);
      if (write && call.allowWrite !== true) {
        throw new TypeError(
          `chaos-client: ${subsystem}/${command} is not a known read command (it may change the account or the line); pass { allowWrite: true } to send it`,
        );
      }
      const credential = Object.keys(params).find((name) => CREDENTIAL_PARAMS.test(name.trim()));
      if (credential !== undefined) {
        throw new TypeError(
          `chaos-client: pass credentials in options.auth, not as the "${credential}" parameter`,
        );
      }
      return send({ subsystem, command, params, write, signal: call.signal, parse: (body) => ({ body }) });
    },
  };
}
