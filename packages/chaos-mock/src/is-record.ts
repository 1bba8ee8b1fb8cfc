/**
 * The one plain-object guard of the package: request bodies, the server's control endpoints, the
 * `schema-drift` scenario and the tests' helpers all use it.
 *
 * @module
 */

/** Tells whether a parsed JSON value is a plain object (not `null`, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
