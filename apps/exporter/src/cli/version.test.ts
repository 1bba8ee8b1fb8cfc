import { describe, expect, it } from 'vitest';
import { versionText } from './version.ts';

describe('versionText', () => {
  it('says what a bug report needs, in the Go exporters’ shape', () => {
    expect(versionText({ version: '1.2.3', nodeVersion: 'v24.11.1', platform: 'linux', arch: 'arm64' })).toBe(
      'aaisp-exporter, version 1.2.3 (@aaisp/exporter)\n  node version: v24.11.1\n  platform: linux/arm64\n',
    );
  });
});
