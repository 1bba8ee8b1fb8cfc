/**
 * Which hosts are this machine: where plain `http://` is allowed (the mock, tests, a local
 * proxy), since a secret sent there never crosses the network in clear. One rule for every URL
 * setting, so the API base URL and the CQM links cannot disagree about what counts.
 *
 * @module
 */

/**
 * `localhost` in any case, any IPv4 address in 127.0.0.0/8, or the IPv6 loopback as a URL writes
 * it (`[::1]`). Octets are checked to be 0–255 so a string that is no address never passes.
 */
const LOOPBACK_HOST = /^(localhost|127(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}|\[::1\])$/i;

/**
 * Whether `hostname` (a `URL`'s `hostname`: IPv6 in brackets) names this machine. A name that
 * merely resolves to it (`foo.localhost`, an `/etc/hosts` entry) does not count: only what needs
 * no lookup is trusted.
 *
 * @example
 * ```ts
 * isLoopbackHost(new URL('http://127.0.0.1:8080/').hostname); // true
 * isLoopbackHost('[::1]'); // true
 * isLoopbackHost('example.com'); // false
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOST.test(hostname);
}
