import { describe, expect, it } from 'vitest';
import { BINDINGS, enableSettings } from '../collectors/index.ts';
import {
  allDisabledProblem,
  duplicateNameProblems,
  noCredentialsProblem,
  tierOrderProblems,
} from './checks.ts';
import type { AccountConfig } from './config.ts';
import type { FixedSettings } from './settings.ts';

const P = 'AAISP_EXPORTER_';

/** Fixed settings with the given intervals; the rest do not matter to these checks. */
function intervals(fast: number, medium: number, slow: number): FixedSettings {
  return {
    SERVER__HOST: '0.0.0.0',
    SERVER__PORT: 9099,
    WEB__ENABLE_LIFECYCLE: false,
    LOGGING__LEVEL: 'info',
    LOGGING__JSON: false,
    INTERVALS__FAST: fast,
    INTERVALS__MEDIUM: medium,
    INTERVALS__CQM: 300,
    INTERVALS__SLOW: slow,
    API__BASE_URL: 'https://chaos2.aa.net.uk',
    API__TIMEOUT: 30,
    API__MAX_RETRIES: 3,
    API__CONCURRENCY_LIMIT: 5,
    COLLECTORS__INCLUDE_POSTCODE: false,
    WEB__HEALTH_OPEN: false,
  };
}

const account = (name: string): AccountConfig => ({
  name,
  auth: { controlLogin: 'a@a', controlPassword: 'p' },
});

describe('tierOrderProblems', () => {
  it('accepts equal tiers and names each tier faster than the one before it', () => {
    expect(tierOrderProblems(intervals(300, 300, 300))).toEqual([]);
    expect(tierOrderProblems(intervals(600, 300, 300)).map((problem) => problem.variable)).toEqual([
      `${P}INTERVALS__MEDIUM`,
    ]);
    expect(tierOrderProblems(intervals(60, 900, 600))).toEqual([
      { variable: `${P}INTERVALS__SLOW`, message: `must not be shorter than ${P}INTERVALS__MEDIUM (900 s)` },
    ]);
  });
});

describe('allDisabledProblem', () => {
  const flags = enableSettings(BINDINGS);
  const all = (on: boolean) => Object.fromEntries(flags.map((flag) => [flag.flag, on]));

  it('is a problem, on the first flag, only when every collector is off', () => {
    expect(allDisabledProblem(BINDINGS, flags, all(false))).toEqual({
      variable: `${P}${flags[0]?.variable}`,
      message: 'every collector is disabled: enable at least one',
    });
    expect(allDisabledProblem(BINDINGS, flags, { ...all(false), login: true })).toBeUndefined();
  });

  it('has nothing to say without bindings', () => {
    expect(allDisabledProblem([], [], {})).toBeUndefined();
  });
});

describe('duplicateNameProblems', () => {
  it('reports each repeat once per extra use', () => {
    expect(duplicateNameProblems([account('a'), account('b')])).toEqual([]);
    expect(duplicateNameProblems([account('a'), account('a'), account('a')])).toEqual([
      { variable: `${P}CONFIG_FILE`, message: 'account name a is used twice' },
      { variable: `${P}CONFIG_FILE`, message: 'account name a is used twice' },
    ]);
  });
});

describe('noCredentialsProblem', () => {
  it('names the control login and every way to give credentials', () => {
    const problem = noCredentialsProblem();
    expect(problem.variable).toBe(`${P}AUTH__CONTROL_LOGIN`);
    expect(problem.message).toMatch(/AUTH__CONTROL_PASSWORD \(or _FILE\).*CONFIG_FILE.*--demo/);
  });
});
