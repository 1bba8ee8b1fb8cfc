import { broadbandLines, broadbandServices, lineCount, syncDownload } from '@aaisp/collectors';
import { describe, expect, it } from 'vitest';
import { storeText } from '../../harness/store-text.ts';
import { createSnapshotStore } from './snapshot.ts';

const MINUTE = 60_000;

describe('the snapshot store', () => {
  it('serves the last good samples and replaces them whole: a vanished line vanishes at once', () => {
    const store = createSnapshotStore();
    const entry = { account: 'default', collector: broadbandLines, collectedAtMs: 0, maxAgeMs: 3 * MINUTE };
    store.set({
      ...entry,
      samples: [
        { metric: syncDownload.name, labels: { line_id: '1' }, value: 10 },
        { metric: syncDownload.name, labels: { line_id: '2' }, value: 20 },
      ],
    });
    expect(storeText(store, 'text', 1000)).toContain('{line_id="1"} 10');
    store.set({
      ...entry,
      collectedAtMs: MINUTE,
      samples: [{ metric: syncDownload.name, labels: { line_id: '2' }, value: 21 }],
    });
    const text = storeText(store, 'text', MINUTE);
    expect(text).not.toContain('line_id="1"');
    expect(text).toContain('{line_id="2"} 21');
  });

  it('drops data older than its max age instead of serving it', () => {
    const store = createSnapshotStore();
    store.set({
      account: 'default',
      collector: broadbandLines,
      collectedAtMs: 0,
      maxAgeMs: 3 * MINUTE,
      samples: [{ metric: lineCount.name, labels: {}, value: 4 }],
    });
    expect(storeText(store, 'text', 3 * MINUTE)).toContain('aaisp_broadband_lines 4');
    expect(storeText(store, 'text', 3 * MINUTE + 1)).not.toContain('aaisp_broadband_lines 4');
    expect(store.entries(3 * MINUTE + 1)).toEqual([]);
  });

  it('renders once per change, not once per scrape', () => {
    const store = createSnapshotStore();
    store.set({
      account: 'default',
      collector: broadbandServices,
      collectedAtMs: 0,
      maxAgeMs: MINUTE,
      samples: [{ metric: 'aaisp_broadband_services', labels: {}, value: 1 }],
    });
    const first = storeText(store, 'openmetrics', 1);
    expect(storeText(store, 'openmetrics', 2)).toBe(first);
    expect(first.endsWith('# EOF\n')).toBe(true);
    expect(store.exposition('openmetrics', 2)).toBe(store.exposition('openmetrics', 3));
    // Past its max age the entry is dropped and the exposition assembled again.
    expect(storeText(store, 'openmetrics', MINUTE + 1)).toBe('# EOF\n');
  });

  it('keeps each account’s entries apart and merges them into one family', () => {
    const store = createSnapshotStore();
    for (const account of ['home', 'shop']) {
      store.set({
        account,
        collector: broadbandServices,
        collectedAtMs: 0,
        maxAgeMs: MINUTE,
        samples: [{ metric: 'aaisp_broadband_services', labels: { account }, value: account.length }],
      });
    }
    const text = storeText(store, 'text', 1);
    expect(text.match(/^# TYPE aaisp_broadband_services /gm)).toHaveLength(1);
    expect(text).toContain(
      'aaisp_broadband_services{account="home"} 4\naaisp_broadband_services{account="shop"} 4',
    );
  });

  it('drops what a reload no longer configures at once, by account or by collector', () => {
    const store = createSnapshotStore();
    for (const account of ['home', 'shop']) {
      for (const collector of [broadbandLines, broadbandServices]) {
        store.set({
          account,
          collector,
          collectedAtMs: 0,
          maxAgeMs: MINUTE,
          samples: [{ metric: 'aaisp_broadband_services', labels: { account }, value: account.length }],
        });
      }
    }
    expect(storeText(store, 'text', 1)).toContain('aaisp_broadband_services{account="shop"} 4');
    store.retain((account, collector) => account === 'home' || collector === broadbandLines.name);
    expect(store.entries(1).map((entry) => `${entry.account}/${entry.collector.name}`)).toEqual([
      'home/broadband_lines',
      'home/broadband_services',
      'shop/broadband_lines',
    ]);
    store.retain((account) => account === 'home');
    const text = storeText(store, 'text', 1);
    expect(text).not.toContain('account="shop"');
    expect(text).toContain('aaisp_broadband_services{account="home"} 4');
  });

  it('renders one account alone for /probe, and caches each account apart from the whole', () => {
    const store = createSnapshotStore();
    for (const account of ['home', 'shop']) {
      store.set({
        account,
        collector: broadbandServices,
        collectedAtMs: 0,
        maxAgeMs: MINUTE,
        samples: [
          { metric: 'aaisp_broadband_services', labels: { account }, value: account === 'home' ? 1 : 2 },
        ],
      });
    }
    const home = storeText(store, 'text', 1, 'home');
    expect(home).toContain('aaisp_broadband_services{account="home"} 1');
    expect(home).not.toContain('shop');
    expect(storeText(store, 'text', 1, 'shop')).toContain('aaisp_broadband_services{account="shop"} 2');
    expect(storeText(store, 'text', 1)).toContain(
      '{account="home"} 1\naaisp_broadband_services{account="shop"} 2',
    );
    expect(storeText(store, 'text', 1, 'nobody')).toBe('');
    // A change to one account is seen in its own rendering and in the whole.
    store.set({
      account: 'home',
      collector: broadbandServices,
      collectedAtMs: 2,
      maxAgeMs: MINUTE,
      samples: [{ metric: 'aaisp_broadband_services', labels: { account: 'home' }, value: 3 }],
    });
    expect(storeText(store, 'text', 3, 'home')).toContain('{account="home"} 3');
    expect(storeText(store, 'text', 3)).toContain('{account="home"} 3');
  });

  it('assembles the exposition once per change, from entries rendered when stored', () => {
    const store = createSnapshotStore();
    const entry = { account: 'default', collector: broadbandLines, maxAgeMs: MINUTE };
    store.set({ ...entry, collectedAtMs: 0, samples: [{ metric: lineCount.name, labels: {}, value: 4 }] });
    const first = store.exposition('text', 1);
    expect(Buffer.concat(first.parts).toString('utf8')).toBe(storeText(store, 'text', 1));
    expect(first.byteLength).toBe(Buffer.concat(first.parts).length);
    expect(store.exposition('text', 2)).toBe(first);
    // Small: one buffer (OpenMetrics keeps its `# EOF` apart, for the self-metrics to go before it).
    expect(first.parts).toHaveLength(1);
    const openmetrics = store.exposition('openmetrics', 2);
    expect(openmetrics.parts).toHaveLength(2);
    expect(openmetrics.parts.at(-1)?.toString('utf8')).toBe('# EOF\n');
    store.set({ ...entry, collectedAtMs: 3, samples: [{ metric: lineCount.name, labels: {}, value: 5 }] });
    const second = store.exposition('text', 3);
    expect(second).not.toBe(first);
    expect(storeText(store, 'text', 3)).toContain('aaisp_broadband_lines 5');
  });

  it('assembles a new exposition after a change and after an expiry (caches key on it)', () => {
    const store = createSnapshotStore();
    const empty = store.exposition('openmetrics', 0);
    // Nothing collected yet: an empty head, then the `# EOF` the server writes after its own metrics.
    expect(empty.parts.map((part) => part.toString('utf8'))).toEqual(['', '# EOF\n']);
    expect(empty.byteLength).toBe('# EOF\n'.length);
    const base = {
      account: 'default',
      collectedAtMs: 0,
      samples: [{ metric: lineCount.name, labels: {}, value: 4 }],
    };
    store.set({ ...base, collector: broadbandLines, maxAgeMs: MINUTE });
    store.set({ ...base, collector: broadbandServices, maxAgeMs: 3 * MINUTE, samples: [] });
    const both = store.exposition('text', 1);
    expect(store.exposition('text', 2)).toBe(both);
    store.set({ ...base, collector: broadbandServices, maxAgeMs: 3 * MINUTE });
    const afterChange = store.exposition('text', 3);
    expect(afterChange).not.toBe(both);
    expect(store.exposition('text', 4)).toBe(afterChange);
    const afterExpiry = store.exposition('text', MINUTE + 1);
    expect(afterExpiry).not.toBe(afterChange);
    expect(Buffer.concat(afterExpiry.parts).toString('utf8')).not.toContain('aaisp_broadband_lines 4');
  });

  it('writes a large exposition as parts, each series rendered once and shared by both formats', () => {
    const store = createSnapshotStore();
    const samples = Array.from({ length: 20_000 }, (_, line) => ({
      metric: syncDownload.name,
      labels: { line_id: String(30_000 + line) },
      value: 80_000_000,
    }));
    store.set({ account: 'default', collector: broadbandLines, collectedAtMs: 0, maxAgeMs: MINUTE, samples });
    const text = store.exposition('text', 1);
    const openmetrics = store.exposition('openmetrics', 1);
    expect(text.byteLength).toBeGreaterThan(1024 * 1024);
    const series = text.parts.find((part) => part.length > 1024 * 1024);
    expect(series?.toString('utf8').startsWith(`${syncDownload.name}{line_id="30000"} 80000000\n`)).toBe(
      true,
    );
    expect(openmetrics.parts).toContain(series);
    expect(openmetrics.parts.at(-1)?.toString('utf8')).toBe('# EOF\n');
    expect(Buffer.concat(text.parts).toString('utf8')).toBe(storeText(store, 'text', 1));
  });

  it('keeps its owner’s summary of each entry, not the samples; without one, nothing', () => {
    const store = createSnapshotStore({
      summarize: (entry) => `${entry.collector.name}: ${entry.samples.length} samples`,
    });
    const entry = {
      account: 'home',
      collector: broadbandServices,
      collectedAtMs: 0,
      maxAgeMs: MINUTE,
      samples: [{ metric: 'aaisp_broadband_services', labels: {}, value: 3 }],
    };
    store.set(entry);
    const [stored] = store.entries(1);
    expect(stored?.summary).toBe('broadband_services: 1 samples');
    expect(stored !== undefined && 'samples' in stored).toBe(false);
    const plain = createSnapshotStore();
    plain.set(entry);
    expect(plain.entries(1)[0]?.summary).toBeUndefined();
  });

  it('hands its owner the summary an entry replaces, live or expired', () => {
    const seen: (string | undefined)[] = [];
    const store = createSnapshotStore<string>({
      summarize: (entry, previous) => {
        seen.push(previous);
        return `run at ${entry.collectedAtMs}`;
      },
    });
    const entry = { account: 'home', collector: broadbandLines, maxAgeMs: MINUTE, samples: [] };
    store.set({ ...entry, collectedAtMs: 0 });
    store.set({ ...entry, collectedAtMs: 1000 });
    // Expired meanwhile: the next run still gets its summary.
    expect(store.entries(10 * MINUTE)).toEqual([]);
    store.set({ ...entry, collectedAtMs: 10 * MINUTE });
    // Another account's entry starts afresh.
    store.set({ ...entry, account: 'shop', collectedAtMs: 10 * MINUTE });
    expect(seen).toEqual([undefined, 'run at 0', 'run at 1000', undefined]);
  });

  it('keeps the summary of an entry dropped for age until a run replaces it or a reload drops it', () => {
    const store = createSnapshotStore({ summarize: (entry) => entry.samples.length });
    const entry = { account: 'home', collector: broadbandLines, collectedAtMs: 0, maxAgeMs: MINUTE };
    store.set({ ...entry, samples: [{ metric: lineCount.name, labels: {}, value: 2 }] });
    store.set({ ...entry, collector: broadbandServices, samples: [] });
    expect(store.expired(MINUTE)).toEqual([]);
    const expired = store.expired(MINUTE + 1);
    expect(expired.map((item) => [item.collector.name, item.summary, item.collectedAtMs])).toEqual([
      ['broadband_lines', 1, 0],
      ['broadband_services', 0, 0],
    ]);
    expect(expired.some((item) => 'series' in item)).toBe(false);
    // Not served: /metrics has nothing of it.
    expect(storeText(store, 'text', MINUTE + 1)).not.toContain('aaisp_broadband_lines');
    // A good run brings it back to life.
    store.set({ ...entry, collectedAtMs: 2 * MINUTE, samples: [] });
    expect(store.expired(2 * MINUTE).map((item) => item.collector.name)).toEqual(['broadband_services']);
    // A reload that no longer configures it drops it.
    store.retain((_account, collector) => collector !== 'broadband_services');
    expect(store.expired(2 * MINUTE)).toEqual([]);
    expect(store.entries(2 * MINUTE).map((item) => item.collector.name)).toEqual(['broadband_lines']);
  });
});
