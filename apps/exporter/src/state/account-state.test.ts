import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { mockAccount } from '../../harness/exporter-config.ts';
import { MAX_AUTH_PAUSE_MS } from '../schedule/auth-breaker.ts';
import { restoredPauses } from './account-state.ts';
import { createStateKeeper } from './state-keeper.ts';

const NOW = Date.UTC(2026, 11, 5, 12, 0, 0);

function logged() {
  const lines: { msg: string; account?: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('restoredPauses', () => {
  it('restores a pause for the same credentials, capped at the longest pause from now', () => {
    const { logger, lines } = logged();
    const state = createStateKeeper({ logger });
    const home = mockAccount('home', 'wrong');
    const office = mockAccount('office', 'wrong');
    // home's pause was written by a clock a year ahead; office's is ordinary.
    state.setAuthPause('home', {
      untilMs: NOW + 365 * 86_400_000,
      refusals: 5,
      credentials: state.fingerprint(home.auth),
    });
    state.setAuthPause('office', {
      untilMs: NOW + 60_000,
      refusals: 1,
      credentials: state.fingerprint(office.auth),
    });
    const restored = restoredPauses(state, [home, office], logger, () => NOW);
    expect(Object.fromEntries(restored)).toEqual({
      home: { untilMs: NOW + MAX_AUTH_PAUSE_MS, refusals: 5 },
      office: { untilMs: NOW + 60_000, refusals: 1 },
    });
    expect(
      lines
        .filter((line) => line.msg.startsWith('CHAOS refused these credentials'))
        .map((line) => line.account),
    ).toEqual(['home', 'office']);
  });

  it('drops the pause of an account whose credentials changed, and says so', () => {
    const { logger, lines } = logged();
    const state = createStateKeeper({ logger });
    state.setAuthPause('home', {
      untilMs: NOW + 60_000,
      refusals: 1,
      credentials: state.fingerprint(mockAccount('home', 'old-password').auth),
    });
    const restored = restoredPauses(state, [mockAccount('home', 'new-password')], logger, () => NOW);
    expect(restored.size).toBe(0);
    expect(state.authPause('home')).toBeUndefined();
    expect(
      lines.some((line) => line.msg.startsWith('the credentials changed since CHAOS refused them')),
    ).toBe(true);
  });
});
