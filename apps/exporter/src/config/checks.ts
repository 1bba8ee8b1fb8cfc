/**
 * Checks across settings, each valid on its own: what only the combination can get wrong. Each
 * returns its problems rather than adding them, so `loadConfig` decides when they run (some only
 * once everything else is valid, since their messages assume valid values).
 *
 * @module
 */

import { type CollectorBinding, type EnableSetting, isEnabled } from '../collectors/index.ts';
import type { AccountConfig } from '../model/account.ts';
import { authVariable } from './default-account.ts';
import type { ConfigProblem } from './problem.ts';
import { type FixedSettings, PREFIX } from './settings.ts';

/** An account name used twice would make two series sets indistinguishable by `account` label. */
export function duplicateNameProblems(accounts: readonly AccountConfig[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const names = new Set<string>();
  for (const account of accounts) {
    if (names.has(account.name)) {
      problems.push({
        variable: `${PREFIX}CONFIG_FILE`,
        message: `account name ${account.name} is used twice`,
      });
    }
    names.add(account.name);
  }
  return problems;
}

/** No account at all, outside demo mode: the exporter would have nothing to collect. */
export function noCredentialsProblem(): ConfigProblem {
  return {
    variable: authVariable('CONTROL_LOGIN'),
    message: `credentials are required: set ${authVariable('CONTROL_LOGIN')} and ${authVariable('CONTROL_PASSWORD')} (or _FILE), the account pair, ${PREFIX}CONFIG_FILE, or run with --demo`,
  };
}

/** A slower tier that ran more often than a faster one would turn the tier table upside down. */
export function tierOrderProblems(settings: FixedSettings): ConfigProblem[] {
  const tiersInOrder = [
    ['INTERVALS__FAST', settings.INTERVALS__FAST],
    ['INTERVALS__MEDIUM', settings.INTERVALS__MEDIUM],
    ['INTERVALS__SLOW', settings.INTERVALS__SLOW],
  ] as const;
  const problems: ConfigProblem[] = [];
  tiersInOrder.forEach(([name, seconds], index) => {
    const faster = tiersInOrder[index - 1];
    if (faster !== undefined && seconds < faster[1]) {
      problems.push({
        variable: `${PREFIX}${name}`,
        message: `must not be shorter than ${PREFIX}${faster[0]} (${faster[1]} s)`,
      });
    }
  });
  return problems;
}

/**
 * Every collector switched off: the exporter would start and serve nothing, which is surely not
 * meant. Named by the first flag, since any one of them would fix it.
 */
export function allDisabledProblem(
  bindings: readonly CollectorBinding[],
  flags: readonly EnableSetting[],
  enabled: Readonly<Record<string, boolean>>,
  accounts: readonly AccountConfig[] = [],
): ConfigProblem | undefined {
  const [firstFlag] = flags;
  // A collector whose source needs per-account targets (per-line links) runs only where some are
  // configured: without any it collects nothing.
  const runs = (binding: CollectorBinding): boolean => {
    const { targetsOf } = binding.source;
    return (
      isEnabled(binding, enabled) &&
      (targetsOf === undefined || accounts.some((account) => targetsOf(account).length > 0))
    );
  };
  if (firstFlag === undefined || bindings.some(runs)) return undefined;
  return {
    variable: `${PREFIX}${firstFlag.variable}`,
    message: 'every collector is disabled: enable at least one',
  };
}

/**
 * `LOGGING__FORMAT` and the older `LOGGING__JSON` asking for different formats: which one was
 * meant cannot be told, so neither wins in silence.
 */
export function logFormatProblem(settings: FixedSettings): ConfigProblem | undefined {
  const { LOGGING__FORMAT: format, LOGGING__JSON: json } = settings;
  // Only `true` asks for something: `false` is the old default, which any format may replace.
  if (format === undefined || json !== true || format === 'json') return undefined;
  return {
    variable: `${PREFIX}LOGGING__JSON`,
    message: `is ${json} but ${PREFIX}LOGGING__FORMAT is ${format}: set only LOGGING__FORMAT`,
  };
}
