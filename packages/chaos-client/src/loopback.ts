/**
 * Which hosts are this machine: where plain `http://` may carry a secret (the CHAOS password in a
 * request body, a CQM link's key), since it then never crosses the network in clear. The SDK's
 * `baseUrl` check uses it, and so can an application that checks its own URL settings, so that
 * both agree about what counts as local.
 *
 * @module
 */

/**
 * `localhost` in any case, any IPv4 address in 127.0.0.0/8, or the IPv6 loopback as a URL writes
 * it (`[::1]`). Octets are checked to be 0–255 so a string that is no address never passes.
 */
const LOOPBACK_HOST = /^(localhost|127(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}|\[::1\])$/i;

/**
 * Whether `hostname` (a `URL`'s `hostname`: IPv6 in brackets) names this machine: `localhost` in
 * any case, an address in 127.0.0.0/8 or `[::1]`. A name that merely resolves to it
 * (`foo.localhost`, an `/etc/hosts` entry) does not count: only what needs no lookup is trusted.
 * Pass what the URL parser gives (`new URL(text).hostname`), which has already turned `127.1` or
 * `[0:0:0:0:0:0:0:1]` into the forms this accepts.
 *
 * @example
 * ```ts
 * import { isLoopbackHost } from '@aaisp/chaos-client';
 *
 * isLoopbackHost(new URL('http://127.0.0.1:8080/').hostname); //=> true
 * isLoopbackHost('[::1]'); //=> true
 * isLoopbackHost('example.com'); //=> false
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOST.test(hostname);
}
