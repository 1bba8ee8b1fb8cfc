/**
 * The web-config file's TLS settings in Node's terms. Node's `requestCert` and
 * `rejectUnauthorized` express two of the toolkit's five client certificate policies exactly;
 * the others (a certificate required but not verified, verified only if given) and
 * `client_allowed_sans` need a check of the connection's certificate, which
 * {@link clientCertificateRefusal} makes for every request.
 *
 * @module
 */

import type { ServerOptions } from 'node:https';
import { BlockList, isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TlsSettings } from '../../config/web-config.ts';

/** The `node:https` options for these settings. */
export type HttpsOptions = Pick<
  ServerOptions,
  'cert' | 'key' | 'ca' | 'requestCert' | 'rejectUnauthorized' | 'minVersion' | 'maxVersion'
>;

/**
 * Maps the settings onto `node:https` options.
 *
 * | client_auth_type | requestCert | rejectUnauthorized | per-request check |
 * |---|---|---|---|
 * | NoClientCert | false | – | – |
 * | RequestClientCert | true | false | – |
 * | RequireAnyClientCert | true | false | a certificate was sent |
 * | VerifyClientCertIfGiven | true | false | if one was sent, it verified |
 * | RequireAndVerifyClientCert | true | true (the handshake fails) | – |
 */
export function httpsOptions(settings: TlsSettings): HttpsOptions {
  const requestCert = settings.clientAuth !== 'NoClientCert';
  return {
    cert: settings.cert,
    key: settings.key,
    ...(settings.clientCa === undefined ? {} : { ca: settings.clientCa }),
    requestCert,
    rejectUnauthorized: settings.clientAuth === 'RequireAndVerifyClientCert',
    minVersion: settings.minVersion,
    maxVersion: settings.maxVersion,
  };
}

/** Why a request's connection does not satisfy the client certificate policy. */
export type ClientCertRefusal = 'no-certificate' | 'untrusted' | 'san-not-allowed';

/**
 * Node's `subjectaltname` text (`DNS:a.example, IP Address:127.0.0.1, URI:spiffe://x`), split into
 * values. Node JSON-quotes a value that holds a comma or quote, so quoted values are unquoted.
 */
function sanValues(subjectAltName: string | undefined): string[] {
  if (subjectAltName === undefined) return [];
  const values: string[] = [];
  for (const match of subjectAltName.matchAll(/(?:^|, )[A-Za-z ]+:("(?:[^"\\]|\\.)*"|[^,]*)/g)) {
    const raw = match[1] ?? '';
    try {
      values.push(raw.startsWith('"') ? String(JSON.parse(raw)) : raw);
    } catch {
      // A value Node quoted in a way JSON cannot read cannot equal an allowed name either.
    }
  }
  return values;
}

/** Whether one of the certificate's SANs is allowed: exact for names, by address for IPs. */
function sanAllowed(values: readonly string[], allowed: readonly string[]): boolean {
  const addresses = new BlockList();
  for (const name of allowed) {
    const family = isIP(name);
    if (family !== 0) addresses.addAddress(name, family === 6 ? 'ipv6' : 'ipv4');
  }
  return values.some((value) => {
    const family = isIP(value);
    return family === 0 ? allowed.includes(value) : addresses.check(value, family === 6 ? 'ipv6' : 'ipv4');
  });
}

/**
 * Checks the client certificate of the request's connection against what Node could not enforce
 * in the handshake. Undefined means the request may go on.
 */
export function clientCertificateRefusal(
  socket: TLSSocket,
  settings: TlsSettings,
): ClientCertRefusal | undefined {
  if (settings.clientAuth === 'NoClientCert' || settings.clientAuth === 'RequestClientCert') return undefined;
  const certificate = socket.getPeerCertificate();
  // Node returns an empty object when the client sent no certificate.
  const sent = certificate !== null && Object.keys(certificate).length > 0;
  if (!sent) return settings.clientAuth === 'VerifyClientCertIfGiven' ? undefined : 'no-certificate';
  if (settings.clientAuth === 'VerifyClientCertIfGiven' && !socket.authorized) return 'untrusted';
  if (
    settings.clientAllowedSans !== undefined &&
    !sanAllowed(sanValues(certificate.subjectaltname), settings.clientAllowedSans)
  ) {
    return 'san-not-allowed';
  }
  return undefined;
}
