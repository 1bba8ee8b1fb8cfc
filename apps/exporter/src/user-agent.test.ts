import { describe, expect, it } from 'vitest';
import { exporterUserAgent } from './user-agent.ts';

describe('exporterUserAgent', () => {
  it('names the product and version, and a recording as one', () => {
    expect(exporterUserAgent('1.4.0')).toBe('aaisp-exporter/1.4.0');
    expect(exporterUserAgent('1.4.0', 'record')).toBe('aaisp-exporter/1.4.0 (record)');
  });
});
