/**
 * The collectors the exporter runs: the only list of them. Adding a collector means writing its
 * binding file beside this one and naming it in {@link BINDINGS}; its enable flag, its place in
 * the tier plan, its call, its re-probe policy and its docs all follow from the binding. A
 * collector on a new data source brings its {@link DataSource} in the same file.
 *
 * @module
 */

import type { CollectorBinding, EnableFlag } from './binding.ts';
import { callOf, nameOf } from './binding.ts';
import { broadbandLines } from './broadband-lines.ts';
import { broadbandServices } from './broadband-services.ts';
import { cqm } from './cqm.ts';
import { loginServices } from './login-services.ts';
import type { AccountPart, DataSource, SourceSetting } from './source.ts';
import { telephonyRatecard } from './telephony-ratecard.ts';

export type {
  BindingDeps,
  CollectorBinding,
  CollectorRun,
  EnableFlag,
  FetchPolicy,
  RunInput,
  TargetMemory,
} from './binding.ts';
export { callOf, nameOf, targetsOf } from './binding.ts';
export { chaosSource } from './chaos-source.ts';
export { CQM_COMMAND } from './cqm-source.ts';
export type { AccountPart, DataSource, SourceDocs, SourcedCollector, SourceSetting } from './source.ts';

/** Every collector, in tier order (fast, medium, slow, cqm). */
export const BINDINGS: readonly CollectorBinding[] = [
  broadbandLines,
  broadbandServices,
  loginServices,
  telephonyRatecard,
  cqm,
];

/** An enable flag and the variable that sets it (after the `AAISP_EXPORTER_` prefix). */
export interface EnableSetting extends EnableFlag {
  /** E.g. `COLLECTORS__ENABLE_BROADBAND`. */
  readonly variable: string;
  /** The collectors it turns on. */
  readonly collectors: readonly string[];
}

/**
 * The distinct enable flags of `bindings`, in the order they first appear. Throws when two
 * bindings share a flag but not its default, or two bindings share a name: a programming error,
 * caught by the tests.
 */
export function enableSettings(bindings: readonly CollectorBinding[] = BINDINGS): EnableSetting[] {
  const settings = new Map<string, EnableSetting>();
  const names = new Set<string>();
  for (const binding of bindings) {
    const name = nameOf(binding);
    if (names.has(name)) throw new Error(`collector ${name} is bound twice`);
    names.add(name);
    callOf(binding);
    // Without a CHAOS command the docs have nothing to show but what the source says of itself.
    if (binding.collector.commands.length === 0 && binding.source.docs === undefined) {
      throw new Error(
        `collector ${name} has no CHAOS command, so its source ${binding.source.name} needs docs`,
      );
    }
    const { flag } = binding.enable;
    if (!/^[a-z][a-z0-9_]*$/.test(flag))
      throw new Error(`collector ${name}: flag ${flag} must be lower case`);
    const known = settings.get(flag);
    if (known !== undefined && known.default !== binding.enable.default) {
      throw new Error(
        `collectors ${known.collectors.join(', ')} and ${name} disagree on the default of ${flag}`,
      );
    }
    settings.set(flag, {
      ...binding.enable,
      variable: `COLLECTORS__ENABLE_${flag.toUpperCase()}`,
      collectors: [...(known?.collectors ?? []), name],
    });
  }
  return [...settings.values()];
}

/** Whether `binding` runs under `enabled` (flag → on), its default when the flag is not given. */
export function isEnabled(binding: CollectorBinding, enabled: Readonly<Record<string, boolean>>): boolean {
  return enabled[binding.enable.flag] ?? binding.enable.default;
}

/**
 * What the sources of `bindings` declare, each declaration once by its name (`declared` picks a
 * source's, `nameOf` names one). Throws when two sources declare the same name: a programming
 * error, caught by the tests.
 */
function declaredOnce<T>(
  bindings: readonly CollectorBinding[],
  declared: (source: DataSource) => readonly T[],
  nameOf: (item: T) => string,
): T[] {
  const byName = new Map<string, { item: T; source: DataSource }>();
  for (const { source } of bindings) {
    for (const item of declared(source)) {
      const known = byName.get(nameOf(item));
      if (known !== undefined && known.source !== source) {
        throw new Error(`sources ${known.source.name} and ${source.name} both declare ${nameOf(item)}`);
      }
      byName.set(nameOf(item), { item, source });
    }
  }
  return [...byName.values()].map(({ item }) => item);
}

/** The settings every source of `bindings` reads (`DataSource.settings`), each once; see {@link declaredOnce}. */
export function sourceSettings(bindings: readonly CollectorBinding[] = BINDINGS): SourceSetting[] {
  return declaredOnce(
    bindings,
    (source) => source.settings ?? [],
    (setting) => setting.variable,
  );
}

/** The account parts the sources of `bindings` read (`DataSource.accountPart`), each once; see {@link declaredOnce}. */
export function accountParts(bindings: readonly CollectorBinding[] = BINDINGS): AccountPart[] {
  return declaredOnce(
    bindings,
    (source) => (source.accountPart === undefined ? [] : [source.accountPart]),
    (part) => part.key,
  );
}
