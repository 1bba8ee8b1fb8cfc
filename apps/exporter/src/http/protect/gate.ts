/**
 * The protection every request passes before it reaches a route: the web-config `headers`, the
 * client certificate policy Node could not enforce in the TLS handshake, and basic auth.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { TLSSocket } from 'node:tls';
import type { WebConfig } from '../../config/config.ts';
import type { TlsSettings } from '../../config/web-config.ts';
import { send, TEXT } from '../respond.ts';
import { type BasicAuth, createBasicAuth, WWW_AUTHENTICATE } from './basic-auth.ts';
import { type ClientCertRefusal, clientCertificateRefusal } from './tls.ts';

/** How the endpoints are protected (from the web-config file). Absent: plain HTTP, open. */
export interface ServerProtection {
  /** Serve HTTPS with these settings. */
  readonly tls?: TlsSettings | undefined;
  /** Require basic auth (on every path, but see `healthOpen`). */
  readonly auth?: BasicAuth | undefined;
  /** Extra headers on every response. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * With `auth`, still answer `/health` and `/ready` (and Prometheus' names for them, `/-/healthy`
   * and `/-/ready`) without credentials (orchestrator probes).
   */
  readonly healthOpen?: boolean | undefined;
}

/**
 * The protection the web-config part of the configuration asks for: at start, and again at each
 * reload (new users get a new password check and cache).
 */
export function protectionOf(web: WebConfig): ServerProtection {
  return {
    tls: web.tls,
    auth: web.basicAuthUsers === undefined ? undefined : createBasicAuth({ users: web.basicAuthUsers }),
    headers: web.headers,
    healthOpen: web.healthOpen,
  };
}

/** The probes `healthOpen` leaves open: ours, and Prometheus' paths for the same answers. */
const PROBES: readonly string[] = ['/health', '/ready', '/-/healthy', '/-/ready'];

/** The 403 body for each refusal. */
const REFUSALS: Readonly<Record<ClientCertRefusal, string>> = {
  'no-certificate': 'a client certificate is required',
  untrusted: 'the client certificate is not signed by the configured client CA',
  'san-not-allowed': 'the client certificate has none of the allowed SANs',
};

/** Sets the web-config `headers` on `res`, first, so every answer carries them, refusals included. */
export function setExtraHeaders(web: ServerProtection | undefined, res: ServerResponse): void {
  for (const [name, value] of Object.entries(web?.headers ?? {})) res.setHeader(name, value);
}

/**
 * Answers 403 (and closes the connection) when the request's TLS connection does not satisfy the
 * client certificate policy. Returns whether it answered; false lets the request go on.
 */
export function refuseClientCertificate(
  web: ServerProtection | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  if (web?.tls === undefined || !(req.socket instanceof TLSSocket)) return false;
  const refusal = clientCertificateRefusal(req.socket, web.tls);
  if (refusal === undefined) return false;
  send(res, 403, TEXT, `Forbidden: ${REFUSALS[refusal]}\n`, { connection: 'close' });
  return true;
}

/**
 * The basic-auth gate for a request to `path`: answers 401 without valid credentials, or 503 when
 * too many password checks are waiting. Returns whether it answered; false lets the request go on
 * (no auth configured, `path` is a probe `healthOpen` leaves open, or the credentials are good).
 */
export async function refuseUnauthenticated(
  web: ServerProtection | undefined,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  if (web?.auth === undefined || (web.healthOpen === true && PROBES.includes(path))) return false;
  // A client that goes away while its check waits for its turn should not cost a bcrypt compare.
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  const result = await web.auth.check(req.headers.authorization, gone.signal);
  if (result.ok) return false;
  if (result.kind === 'busy') {
    send(res, 503, TEXT, 'Service Unavailable: too many password checks waiting\n', { 'retry-after': '1' });
  } else {
    send(res, 401, TEXT, 'Unauthorized\n', { 'www-authenticate': WWW_AUTHENTICATE });
  }
  return true;
}
