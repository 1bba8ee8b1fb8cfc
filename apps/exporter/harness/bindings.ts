/**
 * Lookups over the exporter's collector bindings that only tests and the fault matrix need.
 *
 * @module
 */

import { BINDINGS, type CollectorBinding, callOf, nameOf } from '../src/collectors/index.ts';

/** Collector name → what one run calls, e.g. `broadband_lines` → `broadband/info`, `cqm` → `cqm/csv`. */
export function callTable(bindings: readonly CollectorBinding[] = BINDINGS): ReadonlyMap<string, string> {
  return new Map(bindings.map((binding) => [nameOf(binding), callOf(binding)]));
}

/** The binding of the collector called `name`; throws when there is none. */
export function bindingNamed(
  name: string,
  bindings: readonly CollectorBinding[] = BINDINGS,
): CollectorBinding {
  const binding = bindings.find((candidate) => nameOf(candidate) === name);
  if (binding === undefined) throw new Error(`no collector called ${name}`);
  return binding;
}
