/**
 * How a listening address is written in a URL or a message: an IPv6 host in brackets, so its
 * colons cannot be read as the port's.
 *
 * @module
 */

/**
 * `host:port`, with an IPv6 host bracketed.
 *
 * @example
 * ```ts
 * addressText('::1', 9099); // '[::1]:9099'
 * addressText('0.0.0.0', 9099); // '0.0.0.0:9099'
 * ```
 */
export function addressText(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
