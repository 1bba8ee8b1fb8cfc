import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  formatAgo,
  formatBitRate,
  formatBytes,
  formatDuration,
  formatMs,
  formatPercent,
} from './format.ts';

const NOW = 1_800_000_000_000;
const EVIL = '<img src=x onerror="alert(1)">&\'';

describe('the status page formatters', () => {
  it('humanise rates, bytes, durations and times', () => {
    expect(formatBitRate(79_987_000)).toBe('80.0 Mbit/s');
    expect(formatBitRate(999_960)).toBe('1.0 Mbit/s');
    expect(formatBitRate(0)).toBe('0 bit/s');
    expect(formatBitRate(undefined)).toBe('–');
    expect(formatBytes(231_845_120_448)).toBe('231.8 GB');
    expect(formatBytes(1_000_000_000_000)).toBe('1.0 TB');
    expect(formatDuration(0.5)).toBe('0.5 s');
    expect(formatDuration(300)).toBe('5 min');
    expect(formatDuration(5400)).toBe('1.5 h');
    expect(formatAgo(NOW, NOW - 12_000)).toBe('12 s ago');
    expect(formatAgo(NOW, NOW + 3 * 60_000)).toBe('in 3 min');
    expect(formatAgo(NOW, NOW - 4 * 3_600_000)).toBe('4 h ago');
    expect(formatAgo(NOW, NOW - 300)).toBe('just now');
    expect(formatAgo(NOW, NOW + 300)).toBe('in under 1 s');
    expect(formatAgo(NOW, undefined)).toBe('never');
    expect(formatPercent(0.2)).toBe('20 %');
    expect(formatPercent(0.051)).toBe('5.1 %');
    expect(formatMs(0.0068)).toBe('6.8 ms');
  });

  it('escape every HTML-special character', () => {
    expect(escapeHtml(EVIL)).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;');
  });
});
