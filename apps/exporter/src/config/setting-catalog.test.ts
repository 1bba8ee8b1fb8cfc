import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultOf, SETTING_CATALOG } from './setting-catalog.ts';
import { FIXED_VARIABLES } from './settings.ts';

describe('SETTING_CATALOG', () => {
  it('lists every variable the settings parser reads, once', () => {
    const listed = SETTING_CATALOG.map((entry) => entry.variable);
    expect(new Set(listed).size).toBe(listed.length);
    for (const variable of FIXED_VARIABLES) expect(listed, variable).toContain(variable);
  });

  it('lists every variable read by name elsewhere in the configuration', () => {
    // The readers outside settings.ts name their variables as literals (`settingText(env, 'X')`,
    // `defaultLinesFile(env, 'X', …)`, `authVariable('X')`): each must be documented.
    const folder = new URL('.', import.meta.url);
    const named = new Set<string>();
    for (const file of readdirSync(folder)) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      const text = readFileSync(new URL(file, folder), 'utf8');
      for (const match of text.matchAll(/\(env, '([A-Z_]+)'|authVariable\('([A-Z_]+)'\)/g)) {
        named.add(match[1] ?? `AUTH__${match[2]}`);
      }
    }
    const listed = SETTING_CATALOG.map((entry) => entry.variable);
    expect(named.size).toBeGreaterThan(3);
    for (const variable of named) expect(listed, variable).toContain(variable);
  });

  it("shows the parser's defaults, and none where there is none", () => {
    const byName = new Map(SETTING_CATALOG.map((entry) => [entry.variable, entry]));
    const defaultText = (variable: string): string => {
      const entry = byName.get(variable);
      if (entry === undefined) throw new Error(`${variable} is not in the catalog`);
      return defaultOf(entry);
    };
    expect(defaultText('SERVER__PORT')).toBe('`9099`');
    expect(defaultText('INTERVALS__FAST')).toBe('`60`');
    expect(defaultText('WEB__HEALTH_OPEN')).toBe('`false`');
    expect(defaultText('API__BASE_URL')).toBe('`https://chaos2.aa.net.uk`');
    expect(defaultText('LOGGING__FORMAT')).toBe('`logfmt`');
    expect(defaultText('SHARD__COUNT')).toBe('–');
    expect(defaultText('AUTH__CONTROL_LOGIN')).toBe('–');
  });
});
