/**
 * The `code` of a thrown error: a Node.js system error's errno (`ENOENT`, `EACCES`, `EAGAIN`, …)
 * or OpenSSL's (`ERR_OSSL_…`). Messages can quote what they failed on (a path is fine, a key or a
 * password is not), so problems and logs say the code instead.
 *
 * @module
 */

/** The string `code` of `error`, if it is an Error that has one. */
export function errorCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
