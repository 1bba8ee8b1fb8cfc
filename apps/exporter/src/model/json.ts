/**
 * A JSON value: what a data source may remember per target (`BindingDeps.memory`) and what the
 * state file holds. Part of the exporter's vocabulary (`model/`), so the collectors and the state
 * keeper name it without importing each other.
 *
 * @module
 */

/** Any value `JSON.stringify` writes and `JSON.parse` reads back unchanged. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };
