import { describe, expect, it } from 'vitest';
import { escapeHelp, escapeLabelValue, formatSampleValue } from './exposition-text.ts';

describe('exposition text', () => {
  it('escapes backslash, newline and quote in label values, and returns plain ones as they are', () => {
    expect(escapeLabelValue('a\\b\n"c"')).toBe('a\\\\b\\n\\"c\\"');
    expect(escapeLabelValue('plain value')).toBe('plain value');
  });

  it('escapes `"` in HELP for OpenMetrics only, as each spec says', () => {
    const help = 'say "hi"\\\nbye';
    expect(escapeHelp(help, 'text')).toBe('say "hi"\\\\\\nbye');
    expect(escapeHelp(help, 'openmetrics')).toBe('say \\"hi\\"\\\\\\nbye');
  });

  it('writes NaN and the infinities as the formats spell them', () => {
    expect(
      [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.25, -3, 1e21].map(formatSampleValue),
    ).toEqual(['NaN', '+Inf', '-Inf', '0.25', '-3', '1e+21']);
  });
});
