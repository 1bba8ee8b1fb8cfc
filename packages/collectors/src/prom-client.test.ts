import { type OpenMetricsContentType, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  broadbandLines,
  broadbandServices,
  lineCount,
  lineInfo,
  syncChanges,
  syncDownload,
} from './index.ts';
import { createPromAdapter } from './prom-client.ts';

describe('createPromAdapter', () => {
  it('replaces a collector’s previous snapshot: a vanished line vanishes at once', async () => {
    const registry = new Registry();
    const adapter = createPromAdapter(registry);
    adapter.apply(broadbandLines, [
      { metric: syncDownload.name, labels: { line_id: '1' }, value: 10 },
      { metric: syncDownload.name, labels: { line_id: '2' }, value: 20 },
    ]);
    adapter.apply(broadbandLines, [{ metric: syncDownload.name, labels: { line_id: '2' }, value: 21 }]);
    const body = await registry.metrics();
    expect(body).toContain('aaisp_broadband_sync_download_bits_per_second{line_id="2"} 21');
    expect(body).not.toContain('line_id="1"');
  });

  it('leaves other collectors’ series alone', async () => {
    const registry = new Registry();
    const adapter = createPromAdapter(registry);
    adapter.apply(broadbandServices, [{ metric: 'aaisp_broadband_services', labels: {}, value: 4 }]);
    adapter.apply(broadbandLines, [{ metric: lineCount.name, labels: {}, value: 3 }]);
    adapter.apply(broadbandLines, []);
    const body = await registry.metrics();
    expect(body).toContain('aaisp_broadband_services 4');
    expect(body).not.toMatch(/^aaisp_broadband_lines /m);
  });

  it('changes nothing when a snapshot is invalid', async () => {
    const registry = new Registry();
    const adapter = createPromAdapter(registry);
    adapter.apply(broadbandLines, [{ metric: lineCount.name, labels: {}, value: 3 }]);
    expect(() =>
      adapter.apply(broadbandLines, [
        { metric: lineCount.name, labels: {}, value: 4 },
        { metric: 'aaisp_not_mine', labels: {}, value: 1 },
      ]),
    ).toThrow(/does not define metric aaisp_not_mine/);
    expect(() =>
      adapter.apply(broadbandLines, [{ metric: lineCount.name, labels: { colour: 'red' }, value: 1 }]),
    ).toThrow(/no label colour/);
    expect(() =>
      adapter.apply(broadbandLines, [{ metric: syncChanges.name, labels: { line_id: '1' }, value: -1 }]),
    ).toThrow(/counter/);
    expect(await registry.metrics()).toContain('aaisp_broadband_lines 3');
  });

  it('sets counters to the snapshot value', async () => {
    const registry = new Registry();
    const adapter = createPromAdapter(registry);
    adapter.apply(broadbandLines, [{ metric: syncChanges.name, labels: { line_id: '1' }, value: 2 }]);
    adapter.apply(broadbandLines, [{ metric: syncChanges.name, labels: { line_id: '1' }, value: 3 }]);
    expect(await registry.metrics()).toContain('aaisp_broadband_sync_changes_total{line_id="1"} 3');
  });

  it('escapes quotes, backslashes and newlines in label values', async () => {
    const registry = new Registry();
    createPromAdapter(registry).apply(broadbandLines, [
      {
        metric: lineInfo.name,
        labels: { line_id: '1', login: 'a@a.1', name: 'Mum\'s "fast" line\\\nupstairs' },
        value: 1,
      },
    ]);
    const body = await registry.metrics();
    expect(body).toContain('name="Mum\'s \\"fast\\" line\\\\\\nupstairs"');
  });

  it('refuses a metric name someone else registered in the same registry', () => {
    const registry = new Registry();
    createPromAdapter(registry).apply(broadbandLines, [{ metric: lineCount.name, labels: {}, value: 1 }]);
    expect(() =>
      createPromAdapter(registry).apply(broadbandLines, [{ metric: lineCount.name, labels: {}, value: 1 }]),
    ).toThrow(/already registered/);
  });

  it('clear() removes a collector’s series', async () => {
    const registry = new Registry();
    const adapter = createPromAdapter(registry);
    adapter.apply(broadbandLines, [{ metric: lineCount.name, labels: {}, value: 3 }]);
    adapter.clear(broadbandLines);
    expect(await registry.metrics()).not.toMatch(/^aaisp_broadband_lines /m);
  });
});

describe('prom-client registries in either format', () => {
  it('renders OpenMetrics when the caller’s registry is an OpenMetrics one', async () => {
    const registry = new Registry<OpenMetricsContentType>();
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    createPromAdapter(registry).apply(broadbandLines, [{ metric: lineCount.name, labels: {}, value: 1 }]);
    const body = await registry.metrics();
    expect(body).toContain('aaisp_broadband_lines 1');
    expect(body.trimEnd().endsWith('# EOF')).toBe(true);
  });
});
