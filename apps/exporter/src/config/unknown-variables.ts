/**
 * `AAISP_EXPORTER_…` variables the exporter does not read: almost always a typo
 * (`INTERVAL__FAST`), which would otherwise leave the setting at its default in silence. Reported
 * as warnings with the nearest known name; they do not stop the exporter, since a variable meant
 * for a newer or older version should not keep this one from starting.
 *
 * @module
 */

import { BINDINGS, type CollectorBinding, enableSettings, sourceSettings } from '../collectors/index.ts';
import { nearestName } from '../nearest-name.ts';
import type { ConfigProblem } from './problem.ts';
import { SETTING_CATALOG } from './setting-catalog.ts';
import { type Env, PREFIX } from './settings.ts';

/** Every variable the exporter reads, after the prefix: the catalog's, the switches', the sources'. */
export function knownVariables(bindings: readonly CollectorBinding[] = BINDINGS): string[] {
  return [
    ...SETTING_CATALOG.map((entry) => entry.variable),
    ...enableSettings(bindings).map((setting) => setting.variable),
    ...sourceSettings(bindings).map((setting) => setting.variable),
  ];
}

/**
 * One warning per variable in `env` with the prefix that no part of the exporter reads, naming
 * the nearest known one when there is a likely one ({@link nearestName}).
 */
export function unknownVariableWarnings(
  env: Env,
  bindings: readonly CollectorBinding[] = BINDINGS,
): ConfigProblem[] {
  const known = new Set(knownVariables(bindings));
  const candidates = [...known].map((name) => `${PREFIX}${name}`);
  const warnings: ConfigProblem[] = [];
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith(PREFIX) || known.has(name.slice(PREFIX.length))) continue;
    const guess = nearestName(name, candidates);
    warnings.push({
      variable: name,
      message: `is not a variable the exporter reads, so it is ignored${guess === undefined ? '' : `; did you mean ${guess}?`}`,
    });
  }
  return warnings;
}
