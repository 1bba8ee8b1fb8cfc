import { describe, expect, it } from 'vitest';
import { editDistance, nearestName } from './nearest-name.ts';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions, and a swap as one', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('adress', 'address')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
  });
});

describe('nearestName', () => {
  const names = [
    '--web.listen-address',
    '--log.level',
    'AAISP_EXPORTER_INTERVALS__FAST',
    'AAISP_EXPORTER_SERVER__PORT',
  ];

  it('ignores case, the prefix and the separators people mix up', () => {
    expect(nearestName('--LOG_LEVEL', names)).toBe('--log.level');
    expect(nearestName('AAISP_EXPORTER_INTERVAL__FAST', names)).toBe('AAISP_EXPORTER_INTERVALS__FAST');
    expect(nearestName('--intervals-fast', names)).toBe('AAISP_EXPORTER_INTERVALS__FAST');
  });

  it('takes a part of a name of four letters or more', () => {
    expect(nearestName('--port', names)).toBe('AAISP_EXPORTER_SERVER__PORT');
    expect(nearestName('--log', names)).toBeUndefined();
  });

  it('guesses nothing far off', () => {
    expect(nearestName('--verbose', names)).toBeUndefined();
    expect(nearestName('--lg', [])).toBeUndefined();
  });
});
